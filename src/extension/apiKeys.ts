// API keys live only in SecretStorage, never in settings, logs or history, each bound to the origin it was
// entered for (`hearth.apiKey.<provider>@<origin>`): a request to another origin finds no key to send.
import type * as vscode from 'vscode';
import { keyOrigin, mayCarryKey, plainHttpRefusal } from '../providers/shared/keyOrigin';

export class ApiKeys {
  /** Providers whose key from before origin binding has been looked for (once per session). */
  private readonly migrations = new Map<string, Promise<void>>();

  /**
   * `userOrigin` is the origin the user's own settings point a provider at: where a key saved before keys
   * were bound to origins is moved to, since that is the only address the user chose themselves.
   */
  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly userOrigin: (providerId: string) => string | undefined,
  ) {}

  private static key(providerId: string, origin: string): string {
    return `hearth.apiKey.${providerId}@${origin}`;
  }

  /** The key for requests from this provider to this origin (any URL; its origin is what counts). */
  async get(providerId: string, url: string): Promise<string | undefined> {
    const origin = keyOrigin(url);
    if (!mayCarryKey(origin)) return undefined;
    await this.migrate(providerId);
    return this.secrets.get(ApiKeys.key(providerId, origin));
  }

  /** Stores a key for the origin of `url`; throws, storing nothing, for plain http to another computer. */
  async set(providerId: string, url: string, value: string): Promise<void> {
    const origin = keyOrigin(url);
    if (!mayCarryKey(origin)) throw new Error(plainHttpRefusal(origin));
    await this.migrate(providerId);
    await this.secrets.store(ApiKeys.key(providerId, origin), value);
  }

  async clear(providerId: string, url: string): Promise<void> {
    await this.migrate(providerId);
    await this.secrets.delete(ApiKeys.key(providerId, keyOrigin(url)));
  }

  /** Moves a key saved without an origin (Hearth 0.1) to the origin of the user's settings, or drops it. */
  private migrate(providerId: string): Promise<void> {
    let done = this.migrations.get(providerId);
    if (!done) {
      done = (async () => {
        const legacyName = `hearth.apiKey.${providerId}`;
        const legacy = await this.secrets.get(legacyName);
        if (legacy === undefined) return;
        const origin = originOrUndefined(this.userOrigin(providerId));
        if (origin && mayCarryKey(origin) && (await this.secrets.get(ApiKeys.key(providerId, origin))) === undefined) {
          await this.secrets.store(ApiKeys.key(providerId, origin), legacy);
        }
        await this.secrets.delete(legacyName);
      })();
      // A failed migration (keychain locked) is tried again on the next use.
      done.catch(() => this.migrations.delete(providerId));
      this.migrations.set(providerId, done);
    }
    return done;
  }
}

function originOrUndefined(url: string | undefined): string | undefined {
  try {
    return url ? keyOrigin(url) : undefined;
  } catch {
    return undefined;
  }
}
