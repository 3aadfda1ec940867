// What every remote API provider is built from: its settings, its key, and seams for tests.
import type { KeyLookup } from './keyOrigin';
import type { RetryPolicy } from './retryPolicy';

export type FetchLike = typeof globalThis.fetch;

export interface RemoteProviderOptions<Settings> {
  id?: string;
  label?: string;
  /** Read at every request, so settings changes apply to the next message. */
  getSettings(): Settings;
  /**
   * The key stored for this origin (e.g. `https://api.openai.com`), from SecretStorage; undefined when none is
   * (whether that is an error is the provider's call). Never a key entered for another origin.
   */
  getApiKey: KeyLookup;
  /** Retries before the first token (default `defaultRetryPolicy`; tests shorten the waits). */
  retry?: RetryPolicy;
  /** A custom fetch (tests, proxies). */
  fetch?: FetchLike;
  now?: () => number;
}
