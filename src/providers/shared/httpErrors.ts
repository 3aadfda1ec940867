// Pieces of error reporting every HTTP provider shares: what is safe to show (no keys, no credentials
// in URLs), short excerpts of server bodies, and the network failure beneath an SDK's connection error.
import { ProviderError } from '../types';
import { tlsFailure } from './tlsErrors';

/** Removes the API key and any bearer token or x-api-key value from text that may be shown or logged. */
export function redact(text: string, apiKey?: string): string {
  let out = text;
  if (apiKey && apiKey.length >= 4) out = out.split(apiKey).join('[redacted]');
  return out
    .replace(/Bearer\s+[^\s"',;]+/gi, 'Bearer [redacted]')
    .replace(/(x-api-key["']?\s*[:=]\s*["']?)[^\s"',;]+/gi, '$1[redacted]');
}

/** The base URL as safe to show: no user:password, no query (Azure keys sometimes ride there). */
export function displayUrl(baseUrl: string): string {
  try {
    const url = new URL(baseUrl);
    url.username = '';
    url.password = '';
    url.search = '';
    return url.toString().replace(/\/$/, '');
  } catch {
    return baseUrl;
  }
}

export function looksLikeJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** A server body (often an HTML error page) as one short line of text. */
export function excerpt(raw: string, max: number): string {
  const text = raw.replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, ' ').replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim();
  return text.length > max ? `${text.slice(0, max - 3)}...` : text;
}

/** The errno-style code (ECONNREFUSED, ENOTFOUND, UND_ERR_CONNECT_TIMEOUT...) somewhere down the cause chain. */
export function causeCode(err: unknown): string | undefined {
  let current: unknown = err;
  for (let depth = 0; depth < 6 && typeof current === 'object' && current !== null; depth++) {
    if ('code' in current && typeof current.code === 'string' && current.code) return current.code;
    current = 'cause' in current ? current.cause : undefined;
  }
  return undefined;
}

export interface NetworkFailureText {
  url: string;
  /** What to check, e.g. "Check hearth.openai.baseUrl (...) and that the server is running." */
  baseUrlAction: string;
}

/** A request that never got an HTTP answer: timed out, refused, unresolvable or failed TLS. */
export function networkFailure(timedOut: boolean, err: unknown, text: NetworkFailureText): ProviderError {
  const { url, baseUrlAction } = text;
  if (timedOut) {
    return new ProviderError('network', `The request to ${url} timed out.`, `${baseUrlAction} A proxy or firewall may be blocking it.`);
  }
  const code = causeCode(err);
  const tls = code ? tlsFailure(code, url) : undefined;
  if (tls) return new ProviderError('network', tls.message, tls.action);
  return new ProviderError('network', `Could not reach ${url}${code ? ` (${code})` : ''}.`, baseUrlAction);
}
