// Builds an openai SDK client from Hearth's settings, shielded from the SDK's environment defaults
// (OPENAI_API_KEY, OPENAI_BASE_URL, OPENAI_LOG...): keys come only from the caller, and nothing is logged.
import OpenAI from 'openai';
import type { ContextSource } from '../endpointPresets';
import type { FetchLike } from '../shared/remoteProviderOptions';
import type { StreamTimeouts } from '../shared/streamWatchdog';
import { withSseErrorEvents } from '../shared/sseErrorEvents';

export interface OpenAiSettings {
  /** e.g. https://api.openai.com/v1, http://127.0.0.1:11434/v1, https://RESOURCE.openai.azure.com/openai/v1 */
  baseUrl: string;
  model: string;
  /** null or undefined: the server's default (the VS Code setting's null). */
  maxTokens?: number | null;
  temperature?: number | null;
  /** Time allowed for the whole request, stream included; default 10 minutes. */
  timeoutMs?: number;
  /** Limits on a server that goes quiet (hearth.remote.*TimeoutSeconds). */
  timeouts?: StreamTimeouts;
  /** The model's context window when the user set it; otherwise asked of the server (`contextSource`). */
  contextWindow?: number;
  contextSource?: ContextSource;
  /** Context windows the endpoint's preset table knows, by model: used where the server says nothing. */
  knownContextWindows?: Readonly<Record<string, number>>;
  /** The token-limit field the service wants (OpenAI itself: `max_completion_tokens`). */
  maxTokensField?: 'max_tokens' | 'max_completion_tokens';
}

const azureHost = /\.(?:openai\.azure\.com|cognitiveservices\.azure\.com|services\.ai\.azure\.com)$/i;

/** Throws a clear error for a base URL that cannot work, before any request is made. */
export function checkBaseUrl(baseUrl: string): URL {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new Error(`hearth.openai.baseUrl is not a URL: "${baseUrl}". Use e.g. https://api.openai.com/v1.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`hearth.openai.baseUrl must start with http:// or https:// (got "${url.protocol}").`);
  }
  return url;
}

export function createOpenAiClient(settings: OpenAiSettings, apiKey: string | undefined, fetchImpl?: FetchLike): OpenAI {
  const url = checkBaseUrl(settings.baseUrl);
  // Azure's classic deployment URLs carry ?api-version=...; the SDK wants it as a default query.
  const apiVersion = url.searchParams.get('api-version');
  url.search = '';
  const azure = azureHost.test(url.hostname);
  return new OpenAI({
    // Local servers (Ollama, LM Studio, llama-server) need no key, but the SDK insists on one.
    apiKey: apiKey ?? 'no-key',
    adminAPIKey: null,
    organization: null,
    project: null,
    webhookSecret: null,
    baseURL: url.toString().replace(/\/$/, ''),
    maxRetries: 0,
    timeout: settings.timeoutMs ?? 10 * 60_000,
    logLevel: 'off',
    // Errors sent inside the stream in llama-server's or other non-OpenAI forms become SDK errors too.
    fetch: withSseErrorEvents(fetchImpl ?? ((input, init) => globalThis.fetch(input, init))),
    ...(azure && apiKey ? { defaultHeaders: { 'api-key': apiKey } } : {}),
    ...(apiVersion ? { defaultQuery: { 'api-version': apiVersion } } : {}),
  });
}
