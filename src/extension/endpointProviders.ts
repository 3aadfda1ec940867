// One provider per entry of `hearth.endpoints` (user settings only), each with its own key bound to its own
// origin. Registered and unregistered as the setting changes; an SDK loads only when an endpoint is first used.
import type * as vscode from 'vscode';
import { resolveEndpoints, type ResolvedEndpoint } from '../providers/endpointPresets';
import type { ProviderRegistry } from '../providers/registry';
import type { FetchLike } from '../providers/shared/remoteProviderOptions';
import { presetContextWindows } from '../providers/presets/presetModelTable';
import type { ChatProvider } from '../providers/types';
import type { ApiKeys } from './apiKeys';
import { readSettings } from './settings';

export const endpointProviderPrefix = 'endpoint:';

export class EndpointProviders {
  private current = new Map<string, { endpoint: ResolvedEndpoint; unregister: () => Promise<void> }>();
  /** Syncs run one after another: two quick edits of the setting must not register an id twice. */
  private syncing: Promise<void> = Promise.resolve();

  constructor(
    private readonly registry: ProviderRegistry,
    private readonly keys: ApiKeys,
    private readonly log: vscode.LogOutputChannel,
    /** Tells the user what is wrong with their setting (once per change). */
    private readonly warn: (message: string) => void,
    /** The fetch remote requests use (certificates the user trusts: providers/shared/trustedCaFetch). */
    private readonly fetch?: FetchLike,
  ) {}

  /** Registers the endpoints the setting lists now; changed or removed ones are replaced or dropped. */
  sync(raw: unknown): Promise<void> {
    this.syncing = this.syncing.then(() => this.apply(raw)).catch((err: unknown) => this.log.error(`hearth.endpoints: ${String(err)}`));
    return this.syncing;
  }

  private async apply(raw: unknown): Promise<void> {
    const { endpoints, problems } = resolveEndpoints(raw);
    if (problems.length) {
      const text = problems.map((p) => (p.index >= 0 ? `entry ${p.index + 1}: ${p.message}` : p.message)).join('; ');
      this.log.warn(`hearth.endpoints: ${text}`);
      this.warn(`Hearth: some entries of hearth.endpoints were left out: ${text}`);
    }
    const next = new Map(endpoints.map((e) => [endpointProviderPrefix + e.id, e]));
    for (const [id, entry] of this.current) {
      if (JSON.stringify(next.get(id)) === JSON.stringify(entry.endpoint)) continue;
      await entry.unregister();
      this.current.delete(id);
    }
    for (const [id, endpoint] of next) {
      if (this.current.has(id)) continue;
      const unregister = this.registry.register(
        { id, label: endpoint.label, kind: 'remote', description: endpoint.local ? `${endpoint.baseUrl} (this computer)` : endpoint.baseUrl },
        () => this.create(id, endpoint),
      );
      this.current.set(id, { endpoint, unregister });
    }
  }

  get(providerId: string): ResolvedEndpoint | undefined {
    return this.current.get(providerId)?.endpoint;
  }

  private async create(id: string, e: ResolvedEndpoint): Promise<ChatProvider> {
    const getApiKey = (origin: string) => this.keys.get(id, origin);
    const fetch = this.fetch ? { fetch: this.fetch } : {};
    const common = {
      baseUrl: e.baseUrl,
      model: e.model ?? '',
      ...(e.contextWindow ? { contextWindow: e.contextWindow } : {}),
      knownContextWindows: presetContextWindows(e.preset),
    };
    if (e.api === 'anthropic') {
      const { AnthropicProvider } = await import('../providers/anthropic/anthropicProvider');
      return new AnthropicProvider({
        id,
        label: e.label,
        getApiKey,
        ...fetch,
        getSettings: () => ({ ...common, maxTokens: e.maxTokens ?? readSettings().anthropic.maxTokens, timeouts: readSettings().anthropic.timeouts }),
      });
    }
    const { OpenAiProvider } = await import('../providers/openai/openAiProvider');
    return new OpenAiProvider({
      id,
      label: e.label,
      getApiKey,
      ...fetch,
      getSettings: () => {
        const openai = readSettings().openai;
        return {
          ...common,
          maxTokens: e.maxTokens ?? openai.maxTokens,
          temperature: openai.temperature,
          timeouts: openai.timeouts,
          ...(e.contextSource ? { contextSource: e.contextSource } : {}),
          ...(e.maxTokensField ? { maxTokensField: e.maxTokensField } : {}),
        };
      },
    });
  }

  async dispose(): Promise<void> {
    for (const entry of this.current.values()) await entry.unregister();
    this.current.clear();
  }
}
