// Builds an @anthropic-ai/sdk client from Hearth's settings, shielded from the SDK's environment defaults
// (ANTHROPIC_API_KEY, ANTHROPIC_AUTH_TOKEN, credential profiles on disk, ANTHROPIC_LOG, OpenTelemetry): the key
// comes only from the caller, nothing is logged or traced, and the SDK never retries on its own.
import Anthropic from '@anthropic-ai/sdk';
import type { FetchLike } from '../shared/remoteProviderOptions';
import type { StreamTimeouts } from '../shared/streamWatchdog';

export interface AnthropicSettings {
  /** e.g. https://api.anthropic.com, or an Anthropic-compatible proxy; the SDK appends /v1/messages. */
  baseUrl: string;
  model: string;
  /** Required by the Messages API: the most tokens one answer may have. */
  maxTokens: number;
  /** Time allowed for the whole request, stream included; default 10 minutes. */
  timeoutMs?: number;
  /** Limits on a server that goes quiet (hearth.remote.*TimeoutSeconds). */
  timeouts?: StreamTimeouts;
  /** The model's context window when the user set it; otherwise read from the API's model list. */
  contextWindow?: number;
  /** Context windows the preset table knows, by model: used where the API's model list says nothing. */
  knownContextWindows?: Readonly<Record<string, number>>;
}

export const defaultAnthropicBaseUrl = 'https://api.anthropic.com';

/** Throws a clear error for a base URL that cannot work, before any request is made. */
export function checkAnthropicBaseUrl(baseUrl: string): URL {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new Error(`hearth.anthropic.baseUrl is not a URL: "${baseUrl}". Use e.g. ${defaultAnthropicBaseUrl}.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`hearth.anthropic.baseUrl must start with http:// or https:// (got "${url.protocol}").`);
  }
  return url;
}

/** The SDK adds `/v1/...` itself, so a base URL copied with `/v1` at the end would ask for `/v1/v1/messages`. */
export function normalizeAnthropicBaseUrl(baseUrl: string): string {
  const url = checkAnthropicBaseUrl(baseUrl);
  url.search = '';
  return url.toString().replace(/\/+$/, '').replace(/\/v1$/, '');
}

export function createAnthropicClient(settings: AnthropicSettings, apiKey: string, fetchImpl?: FetchLike): Anthropic {
  return new Anthropic({
    // A key passed in code is the client's only credential: no environment variable or profile is read.
    apiKey,
    webhookKey: null,
    baseURL: normalizeAnthropicBaseUrl(settings.baseUrl),
    maxRetries: 0,
    timeout: settings.timeoutMs ?? 10 * 60_000,
    logLevel: 'off',
    openTelemetry: false,
    ...(fetchImpl ? { fetch: fetchImpl } : {}),
  });
}
