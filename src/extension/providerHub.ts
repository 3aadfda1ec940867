// Owns the provider registry and feeds each provider its settings, keys and logger.
import * as vscode from 'vscode';
import type { Price } from '../protocol/chat';
import type { ProviderOption, Status } from '../protocol/webviewMessages';
import { anthropicProviderId, registerAnthropicProvider } from '../providers/anthropic/registerAnthropicProvider';
import { deviceStatus } from '../providers/local/deviceStatus';
import type { LocalProvider } from '../providers/local/localProvider';
import { localProviderId, registerLocalProvider } from '../providers/local/registerLocalProvider';
import { openAiProviderId, registerOpenAiProvider } from '../providers/openai/registerOpenAiProvider';
import { ProviderRegistry } from '../providers/registry';
import { ProviderError, type ChatProvider } from '../providers/types';
import { findPreset } from '../providers/endpointPresets';
import { pickPrice, presetContextWindows, presetModel } from '../providers/presets/presetModelTable';
import type { ApiKeys } from './apiKeys';
import { EndpointProviders } from './endpointProviders';
import { readSettings } from './settings';
import { VscodeLmProvider, vscodeLmProviderId } from './vscodeLmProvider';
import { userTrustedFetch } from './userTrustedFetch';

/** Remote providers that need an API key from SecretStorage ("Hearth: Set API Key"). */
const keyedProviderIds: readonly string[] = [openAiProviderId, anthropicProviderId];

export class ProviderHub implements vscode.Disposable {
  private readonly registry = new ProviderRegistry();
  private readonly endpoints: EndpointProviders;
  /** Model lists of remote providers, fetched at most every few minutes (the status line asks after each answer). */
  private readonly modelLists = new Map<string, { at: number; result: Promise<{ models: string[]; error?: string; needsKey?: boolean }> }>();

  constructor(
    private readonly extensionUri: vscode.Uri,
    keys: ApiKeys,
    private readonly log: vscode.LogOutputChannel,
    /** Downloaded models (src/extension/modelDownloads.ts): the folder of the one a conversation chose, and the ids to offer. */
    private readonly localModels?: { resolve(id: string): Promise<string | undefined>; installed(): Promise<string[]> },
  ) {
    registerLocalProvider(this.registry, {
      engineHostPath: vscode.Uri.joinPath(extensionUri, 'dist', 'engineHost.js').fsPath,
      defaultModelPath: this.demoModelPath(),
      ...(localModels ? { resolveModel: (id: string) => localModels.resolve(id) } : {}),
      getSettings: () => readSettings().local,
      logger: {
        trace: (m) => log.trace(`[engine] ${m}`),
        info: (m) => log.info(`[engine] ${m}`),
        warn: (m) => log.warn(`[engine] ${m}`),
        error: (m) => log.error(`[engine] ${m}`),
      },
    });
    const fetch = userTrustedFetch();
    registerOpenAiProvider(this.registry, {
      getSettings: () => readSettings().openai,
      getApiKey: (origin) => keys.get(openAiProviderId, origin),
      fetch,
    });
    registerAnthropicProvider(this.registry, {
      getSettings: () => ({ ...readSettings().anthropic, knownContextWindows: presetContextWindows(this.builtInPreset(anthropicProviderId)) }),
      getApiKey: (origin) => keys.get(anthropicProviderId, origin),
      fetch,
    });
    this.endpoints = new EndpointProviders(this.registry, keys, log, (message) => void vscode.window.showWarningMessage(message), fetch);
    void this.endpoints.sync(readSettings().endpoints);
    // Hosts without the language model API (older VS Code forks) simply do not offer this provider.
    if (typeof vscode.lm?.selectChatModels === 'function') {
      this.registry.register(
        { id: vscodeLmProviderId, label: 'VS Code language models', kind: 'remote', description: 'Copilot or other chat models installed in VS Code' },
        () => new VscodeLmProvider({ getSettings: () => readSettings().vscodeLm }),
      );
    }
  }

  /** The demo model built into the VSIX (dist/demo-model), used when hearth.local.modelPath is empty. */
  demoModelPath(): string {
    return vscode.Uri.joinPath(this.extensionUri, 'dist', 'demo-model').fsPath;
  }

  options(): ProviderOption[] {
    return this.registry.list().map(({ id, label, kind }) => ({ id, label, kind, ...(this.isKeyed(id) ? { keyed: true } : {}) }));
  }

  label(id: string): string {
    return this.registry.list().find((p) => p.id === id)?.label ?? id;
  }

  defaultProviderId(): string {
    return readSettings().provider;
  }

  /** Providers whose API key "Set API Key" manages. */
  keyedProviders(): ProviderOption[] {
    return this.options().filter((p) => this.isKeyed(p.id));
  }

  /** The configured provider when it needs a key; undefined otherwise (the command then asks which one). */
  configuredKeyedProviderId(): string | undefined {
    const id = this.defaultProviderId();
    return this.isKeyed(id) ? id : undefined;
  }

  private isKeyed(id: string): boolean {
    return keyedProviderIds.includes(id) || this.endpoints.get(id) !== undefined;
  }

  /** Where a keyed provider sends requests (and its key): always the user's settings, never a workspace's. */
  endpointUrl(id: string): string | undefined {
    const endpoint = this.endpoints.get(id);
    if (endpoint) return endpoint.baseUrl;
    const settings = readSettings();
    if (id === openAiProviderId) return settings.openai.baseUrl;
    if (id === anthropicProviderId) return settings.anthropic.baseUrl;
    return undefined;
  }

  /** Where a provider's answers come from, as the panel names it: a host, or this computer. */
  endpointLabel(id: string): string {
    if (id === localProviderId) return 'this computer';
    if (id === vscodeLmProviderId) return 'VS Code language models';
    const url = this.endpointUrl(id);
    try {
      return url ? new URL(url).host : id;
    } catch {
      return url ?? id;
    }
  }

  /**
   * Per million tokens: nothing for Hearth's own engine; for an endpoint the user's prices, else its preset's list
   * price for `model` (dated), else nothing for a server on this computer; else unknown.
   */
  priceFor(id: string, model?: string): Price | undefined {
    if (id === localProviderId) return { input: 0, output: 0, currency: 'USD' };
    const endpoint = this.endpoints.get(id);
    const preset = endpoint ? endpoint.preset : this.builtInPreset(id);
    const entry = presetModel(preset, model ?? this.configuredModel(id));
    return pickPrice({ user: endpoint?.price, preset: entry, local: endpoint?.local ?? false });
  }

  /** hearth.anthropic.* pointed at Anthropic's own API is priced by the Anthropic preset's table. */
  private builtInPreset(id: string): string | undefined {
    if (id !== anthropicProviderId) return undefined;
    const anthropic = findPreset('anthropic');
    try {
      return anthropic && new URL(readSettings().anthropic.baseUrl).origin === new URL(anthropic.baseUrl).origin ? anthropic.id : undefined;
    } catch {
      return undefined;
    }
  }

  configuredModel(id: string): string | undefined {
    const endpoint = this.endpoints.get(id);
    if (endpoint) return endpoint.model;
    const settings = readSettings();
    if (id === openAiProviderId) return settings.openai.model;
    if (id === anthropicProviderId) return settings.anthropic.model;
    if (id === vscodeLmProviderId) return settings.vscodeLm.model || undefined;
    return undefined;
  }

  get(id: string): Promise<ChatProvider> {
    return this.registry.get(id);
  }

  /** The provider's models, with those the user listed for an endpoint first; throws when the server cannot list them. */
  async listModels(id: string, signal?: AbortSignal): Promise<string[]> {
    const provider = await this.registry.get(id);
    const configured = this.endpoints.get(id)?.models ?? [];
    try {
      return [...new Set([...configured, ...(await provider.models(signal)).map((m) => m.id)])];
    } catch (err) {
      if (configured.length) return configured;
      throw err;
    }
  }

  /** Model list (or why there is none) and context window of a remote provider, for the panel. */
  private async remoteStatus(id: string, model: string | undefined): Promise<Partial<Status>> {
    const cached = this.modelLists.get(id);
    let list = cached && Date.now() - cached.at < 5 * 60_000 ? cached.result : undefined;
    if (!list) {
      list = this.listModels(id).then(
        (models) => ({ models }),
        (err: unknown) => ({
          models: [],
          error: err instanceof Error ? err.message : String(err),
          // The kind, not the wording: the empty state offers Set API Key when the list failed for want of a key.
          needsKey: err instanceof ProviderError && err.kind === 'auth',
        }),
      );
      this.modelLists.set(id, { at: Date.now(), result: list });
    }
    const provider = await this.registry.get(id);
    const [{ models, error, needsKey }, contextWindow] = await Promise.all([list, provider.contextWindow?.(model ?? this.configuredModel(id)).catch(() => undefined)]);
    return { models, ...(error ? { modelsError: error } : {}), ...(needsKey ? { nextStep: 'setApiKey' as const } : {}), ...(contextWindow ? { contextWindow } : {}) };
  }

  /** What the status line shows for a provider; the local engine is not started just to describe it. */
  async status(id: string, chosenModel?: string): Promise<Partial<Status>> {
    if (id !== localProviderId && id !== vscodeLmProviderId && this.registry.has(id)) return this.remoteStatus(id, chosenModel);
    if (id !== localProviderId) return {};
    // The panel's model picker offers the downloaded models whether or not the engine runs.
    const downloaded = this.localModels ? await this.localModels.installed() : [];
    // Only the bundled demo model would answer: the empty state offers a real one to download.
    const demoOnly = downloaded.length === 0 && !readSettings().local.modelPath;
    const installed = { ...(this.localModels ? { models: downloaded } : {}), ...(demoOnly ? { nextStep: 'downloadModel' as const } : {}) };
    if (!this.registry.isCreated(id)) return installed;
    const local = (await this.registry.get(id)) as LocalProvider;
    const model = local.status.model;
    if (!model) return installed;
    return {
      ...installed,
      model: model.modelId,
      ...deviceStatus(model),
      contextWindow: model.contextWindow,
    };
  }

  /** Exact token count when the local engine is already running; otherwise undefined (the caller estimates). */
  async countTokens(id: string, text: string, signal?: AbortSignal): Promise<number | undefined> {
    if (id !== localProviderId || !this.registry.isCreated(id)) return undefined;
    const local = (await this.registry.get(id)) as LocalProvider;
    try {
      return (await local.countTokens([{ role: 'user', content: text }], signal)).tokens;
    } catch {
      return undefined;
    }
  }

  async restartLocal(): Promise<void> {
    await this.registry.reset(localProviderId);
  }

  settingsChanged(e: vscode.ConfigurationChangeEvent): void {
    if (e.affectsConfiguration('hearth.endpoints')) void this.endpoints.sync(readSettings().endpoints);
    if (['hearth.endpoints', 'hearth.openai', 'hearth.anthropic'].some((k) => e.affectsConfiguration(k))) this.modelLists.clear();
    // Model, device, dtype, threads (and their spinning) and int4 compute are fixed when the engine loads a model: start it afresh.
    const reload = ['modelPath', 'device', 'dtype', 'threads', 'threadSpinning', 'int4Compute'].some((k) => e.affectsConfiguration(`hearth.local.${k}`));
    if (reload && this.registry.isCreated(localProviderId)) {
      this.log.info('Local model settings changed: the engine restarts on the next question.');
      void this.registry.reset(localProviderId);
    }
  }

  keysChanged(): void {
    // Keys are read at every request; only the model lists fetched with the old ones are forgotten.
    this.modelLists.clear();
  }

  dispose(): void {
    void this.endpoints.dispose();
    void this.registry.dispose();
  }
}
