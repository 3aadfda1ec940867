// Turns whatever the Anthropic SDK or the network threw into a ProviderError the panel can explain.
// Anthropic errors arrive as `{type:'error', error:{type, message}}`, over HTTP (with a status) or as an
// `event: error` inside a stream (no status, e.g. overloaded_error mid-answer): both map by `error.type`.
// Every message passes through `redact`: proxies sometimes quote the key they were sent.
import { APIConnectionError, APIConnectionTimeoutError, APIError } from '@anthropic-ai/sdk';
import { parseRetryAfterMs } from '../shared/retryAfter';
import { displayUrl, excerpt, looksLikeJson, networkFailure, redact } from '../shared/httpErrors';
import { ProviderError } from '../types';

/** Re-exported for callers and tests that already import them from here. */
export { displayUrl, redact } from '../shared/httpErrors';

export interface AnthropicErrorContext {
  baseUrl: string;
  model: string;
  apiKey?: string;
  /** The origin the request went to, whose stored key (if any) it carried. */
  keyOrigin?: string;
}

export const setKeyAction = "Run 'Hearth: Set API Key' and choose Anthropic.";
const contextWording = /prompt is too long|too many (?:input )?tokens|context (?:window|length)|exceeds? the (?:model'?s? )?(?:context|max)/i;

/** Maps an error thrown while opening the request (before any text arrived). */
export function toAnthropicError(err: unknown, ctx: AnthropicErrorContext): ProviderError {
  if (err instanceof ProviderError) return err;
  const url = displayUrl(ctx.baseUrl);
  const baseUrlAction = `Check hearth.anthropic.baseUrl (${url}) and your network.`;
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
export function toAnthropicStreamError(err: unknown, ctx: AnthropicErrorContext): ProviderError {
  if (err instanceof ProviderError) return err;
  // An `event: error` inside the stream: the server's own explanation.
  if (err instanceof APIError && !(err instanceof APIConnectionError)) return toAnthropicError(err, ctx);
  if (err instanceof SyntaxError) {
    return new ProviderError('server', `${displayUrl(ctx.baseUrl)} sent a malformed event; the answer is incomplete.`, 'Try again; if it persists, the server is not fully Anthropic-compatible.');
  }
  return streamClosed(ctx);
}

export function streamClosed(ctx: AnthropicErrorContext): ProviderError {
  return new ProviderError(
    'network',
    'The connection closed before the answer finished.',
    `The partial answer is kept. Try again, or check hearth.anthropic.baseUrl (${displayUrl(ctx.baseUrl)}) and your network.`,
  );
}

function fromApiError(err: APIError, ctx: AnthropicErrorContext, url: string): ProviderError {
  const status = err.status;
  const body = serverText(err);
  const detail = redact(body.text, ctx.apiKey);
  const suffix = detail ? `: ${detail}` : '.';
  const type: string = err.type ?? '';
  if (body.notJson && status !== undefined) {
    return new ProviderError(
      'server',
      `${url} answered ${status} with a non-JSON body${detail ? `: "${detail}"` : '.'}`,
      `Check hearth.anthropic.baseUrl (${url}): it must be the Anthropic API or a compatible proxy.`,
      status,
    );
  }
  if (status === 401 || type === 'authentication_error') {
    return new ProviderError('auth', `Anthropic refused the API key${status ? ` (${status})` : ''}${suffix}`, setKeyAction, status);
  }
  if (status === 403 || type === 'permission_error') {
    return new ProviderError('auth', `This API key may not use '${ctx.model}'${status ? ` (${status})` : ''}${suffix}`, "Check the key's workspace and model access in the Anthropic Console, or run 'Hearth: Set API Key'.", status);
  }
  if (status === 404 || type === 'not_found_error') {
    return new ProviderError(
      'badModel',
      `Model '${ctx.model}' or the API path was not found at ${url}${status ? ` (${status})` : ''}${suffix}`,
      'Check hearth.anthropic.model (or pick one with Hearth: Select Model) and hearth.anthropic.baseUrl.',
      status,
    );
  }
  if (status === 429 || type === 'rate_limit_error') {
    const retryMs = err.headers ? parseRetryAfterMs(err.headers) : undefined;
    const wait = retryMs !== undefined ? `Retry after ${Math.ceil(retryMs / 1000)} s.` : 'Wait a moment and try again.';
    return new ProviderError('rateLimit', `Rate limited by Anthropic${status ? ` (${status})` : ''}${suffix}`, wait, status);
  }
  if (status === 402 || type === 'billing_error') {
    return new ProviderError('rateLimit', `Anthropic refused the request for billing reasons${suffix}`, 'Check your plan and credit balance in the Anthropic Console.', status);
  }
  if (status === 413 || type === 'request_too_large' || ((status === 400 || status === undefined) && contextWording.test(body.text))) {
    return new ProviderError('contextTooLong', `The conversation is too long for '${ctx.model}'${suffix}`, 'Start a new conversation or shorten the message.', status);
  }
  if (status === 529 || type === 'overloaded_error') {
    return new ProviderError('server', `Anthropic is overloaded${status ? ` (${status})` : ''}${suffix}`, 'Try again in a moment.', status);
  }
  if ((status !== undefined && status >= 500) || type === 'api_error' || type === 'timeout_error') {
    return new ProviderError('server', `The Anthropic API failed${status ? ` (${status})` : ''}${suffix}`, 'Try again later.', status);
  }
  if (status === 400 || status === 422 || type === 'invalid_request_error') {
    return new ProviderError('badRequest', `Anthropic rejected the request${status ? ` (${status})` : ''}${suffix}`, 'Check hearth.anthropic.model and hearth.anthropic.maxTokens.', status);
  }
  return new ProviderError(status === undefined ? 'server' : 'unknown', `The Anthropic API answered ${status ?? 'an error'}${suffix}`, undefined, status);
}

/** The server's own words: `{type:'error', error:{message}}`, or a short excerpt of a non-JSON body. */
function serverText(err: APIError): { text: string; notJson: boolean } {
  if (err.apiMessage) return { text: err.apiMessage, notJson: false };
  const e: unknown = err.error;
  if (typeof e === 'string') return { text: excerpt(e, 160), notJson: false };
  if (e !== undefined && e !== null) return { text: excerpt(JSON.stringify(e), 160), notJson: false };
  // No JSON body: the SDK put "<status> <raw body>" in the message.
  const raw = err.message.replace(/^\d{3}\s*/, '');
  if (raw === 'status code (no body)') return { text: '', notJson: false };
  return { text: excerpt(raw, 160), notJson: raw.length > 0 && !looksLikeJson(raw) };
}
