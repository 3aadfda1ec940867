// What every remote API provider is built from: its settings, its key, and seams for tests.

export type FetchLike = typeof globalThis.fetch;

export interface RemoteProviderOptions<Settings> {
  id?: string;
  label?: string;
  /** Read at every request, so settings changes apply to the next message. */
  getSettings(): Settings;
  /** From SecretStorage; undefined when none is set (whether that is an error is the provider's call). */
  getApiKey(): Promise<string | undefined>;
  /** A custom fetch (tests, proxies). */
  fetch?: FetchLike;
  now?: () => number;
}
