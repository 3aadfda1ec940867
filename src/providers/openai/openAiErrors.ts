// Turns whatever the openai SDK or the network threw into a ProviderError the panel can explain.
// Every message passes through `redact`: servers sometimes quote the key they were sent.
import { APIConnectionError, APIConnectionTimeoutError, APIError } from 'openai';
import { ProviderError } from '../types';
import { keyAction } from '../shared/keyOrigin';
import { parseRetryAfterMs } from '../shared/retryAfter';
import { displayUrl, excerpt, looksLikeJson, networkFailure, redact } from '../shared/httpErrors';

/** Re-exported for callers and tests that already import them from here. */
export { displayUrl, redact } from '../shared/httpErrors';

export interface ErrorContext {
  baseUrl: string;
  model: string;
  apiKey?: string;
  /** The origin the request went to, whose stored key (if any) it carried. */
  keyOrigin?: string;
}

const setKeyAction = "Run 'Hearth: Set API Key'.";
const contextWording =
  /context[ _-]?length|maximum context|context window|too many tokens|prompt is too long|exceeds? the (?:model'?s? )?(?:context|max)|reduce the length/i;

/** Maps an error thrown while opening the request (before any text arrived). */
export function toProviderError(err: unknown, ctx: ErrorContext): ProviderError {
  if (err instanceof ProviderError) return err;
  const url = displayUrl(ctx.baseUrl);
  const baseUrlAction = `Check hearth.openai.baseUrl (${url}) and that the server is running.`;
  if (err instanceof APIConnectionError) {
    return networkFailure(err instanceof APIConnectionTimeoutError, err, {
      url,
      baseUrlAction,
    });
  }
  if (err instanceof APIError) return fromApiError(err, ctx, url);
  const message = err instanceof Error ? err.message : String(err);
  return new ProviderError('unknown', redact(`Unexpected error from ${url}: ${message}`, ctx.apiKey));
}

/** Maps an error thrown after the stream started: text may already have been shown, and stays. */
export function toStreamError(err: unknown, ctx: ErrorContext): ProviderError {
  if (err instanceof ProviderError) return err;
  // An `{"error": ...}` event inside the stream: the server's own explanation.
  if (err instanceof APIError && !(err instanceof APIConnectionError)) return toProviderError(err, ctx);
  if (err instanceof SyntaxError) {
    return new ProviderError('server', `${displayUrl(ctx.baseUrl)} sent a malformed chunk; the answer is incomplete.`, 'Try again; if it persists, the server is not fully OpenAI-compatible.');
  }
  return connectionClosed(ctx);
}

export function connectionClosed(ctx: ErrorContext): ProviderError {
  return new ProviderError(
    'network',
    'The connection closed before the answer finished.',
    `The partial answer is kept. Try again, or check hearth.openai.baseUrl (${displayUrl(ctx.baseUrl)}) and your network.`,
  );
}

function fromApiError(err: APIError, ctx: ErrorContext, url: string): ProviderError {
  const status = err.status;
  const body = serverText(err);
  const detail = redact(body.text, ctx.apiKey);
  const suffix = detail ? `: ${detail}` : '.';
  if (body.notJson && status !== undefined) {
    return new ProviderError(
      'server',
      `${url} answered ${status} with a non-JSON body${detail ? `: "${detail}"` : '.'}`,
      `Check hearth.openai.baseUrl (${url}): it must be an OpenAI-compatible API (usually ending in /v1).`,
      status,
    );
  }
  const code = typeof err.code === 'string' ? err.code : '';
  if (status === 401 || status === 403) {
    const what = ctx.apiKey ? 'refused the API key' : 'wants an API key';
    return new ProviderError('auth', `The API at ${url} ${what} (${status})${suffix}`, keyAction(ctx, setKeyAction), status);
  }
  if (status === 404) {
    return new ProviderError(
      'badModel',
      `Model '${ctx.model}' or the API path was not found at ${url} (404)${suffix}`,
      'Check hearth.openai.model / the base URL (hearth.openai.baseUrl).',
      status,
    );
  }
  if (status === 429) {
    const retryMs = err.headers ? parseRetryAfterMs(err.headers) : undefined;
    const wait = retryMs !== undefined ? `Retry after ${Math.ceil(retryMs / 1000)} s.` : 'Wait a moment and try again.';
    const quota = code === 'insufficient_quota' ? ' Check your plan and billing.' : '';
    return new ProviderError('rateLimit', `Rate limited by ${url} (429)${suffix}`, `${wait}${quota}`, status);
  }
  const type = typeof err.type === 'string' ? err.type : '';
  const contextCodes = ['context_length_exceeded', 'exceed_context_size_error'];
  if (contextCodes.includes(code) || contextCodes.includes(type) || ((status === 400 || status === 413 || status === undefined) && contextWording.test(body.text))) {
    return new ProviderError('contextTooLong', `The conversation is too long for '${ctx.model}'${suffix}`, 'Start a new conversation or shorten the message.', status);
  }
  if (status !== undefined && status >= 500) {
    return new ProviderError('server', `The API server failed (${status})${suffix}`, 'Try again later.', status);
  }
  if (status === 400 || status === 422) {
    return new ProviderError('badRequest', `The API rejected the request (${status})${suffix}`, 'Check hearth.openai.model, maxTokens and temperature.', status);
  }
  if (status === undefined) {
    // Sent inside the stream after HTTP 200: the server's own words, and the partial answer stays.
    return new ProviderError('server', `${url} reported an error during the answer${suffix}`, 'The partial answer is kept. Try again; if it repeats, check the server\'s log.');
  }
  return new ProviderError('unknown', `The API answered ${status}${suffix}`, undefined, status);
}

/** The server's own words: `{error:{message}}`, Ollama's `{error:"..."}`, or a short excerpt of a non-JSON body. */
function serverText(err: APIError): { text: string; notJson: boolean } {
  const e: unknown = err.error;
  if (typeof e === 'string') return { text: e, notJson: false };
  if (typeof e === 'object' && e !== null && 'message' in e && typeof e.message === 'string') {
    return { text: e.message, notJson: false };
  }
  if (e !== undefined) return { text: JSON.stringify(e), notJson: false };
  // No JSON error object: the SDK put "<status> <raw body>" in the message.
  const raw = err.message.replace(/^\d{3}\s*/, '');
  if (raw === 'status code (no body)') return { text: '', notJson: false };
  return { text: excerpt(raw, 120), notJson: raw.length > 0 && !looksLikeJson(raw) };
}
