// The local model as a ChatProvider. Inference runs in a separate engine host process (forked
// on the first request) so it can neither block nor crash the extension host; a crash fails the
// running answer with `engineCrashed` and the next request starts a fresh host. The host is
// stopped after `idleTimeoutMinutes` without requests to give its memory back.
import type { ChatMessage } from '../../protocol/chat';
import type { Device, Dtype, GenerationUsage, Int4Compute, LoadedModelInfo, SamplingOverrides, StreamEvent, ThinkingMode } from '../../protocol/engine';
import { type ChatEvent, type ChatProvider, type ChatRequest, type ModelInfo, ProviderError } from '../types';
import { EngineClient, type EngineLogger } from './engineClient';
import { EventQueue } from './eventQueue';
import type { CountTokensParams, CountTokensResult, EngineMessage, ToolSpec } from '../../protocol/engine';

export interface LocalProviderSettings {
  /** '' means `defaultModelPath`. */
  modelPath: string;
  device: Device;
  dtype: Dtype;
  threads: number;
  /** Let onnxruntime's idle threads spin: faster on an idle machine, slower when the cores are shared. */
  threadSpinning: boolean;
  /** How int4 weights are multiplied: as the model says, int8 (faster) or fp32 (exact). */
  int4Compute: Int4Compute;
  idleTimeoutMinutes: number;
  maxNewTokens: number;
  temperature: number | null;
  topK: number | null;
  topP: number | null;
  minP: number | null;
  repetitionPenalty: number | null;
  seed: number | null;
  /** `off`: ask the chat template not to think (`enable_thinking: false`), where it has that switch. Default `auto`. */
  thinking?: ThinkingMode;
}

export interface LocalProviderOptions {
  id?: string;
  label?: string;
  /** Path of dist/engineHost.js. */
  engineHostPath: string;
  /** Read at every request, so settings changes apply to the next message. */
  getSettings(): LocalProviderSettings;
  logger: EngineLogger;
  /** The model used when settings name none (e.g. the bundled demo model). */
  defaultModelPath?: string;
  /** The folder of a conversation's chosen model (an installed model's id); undefined when it names none. */
  resolveModel?(model: string): Promise<string | undefined>;
}

/** What the panel can show about the local engine. */
export interface LocalEngineStatus {
  state: 'stopped' | 'loading' | 'ready' | 'generating';
  /** The loaded model: device that runs it, devices skipped and why, context window. */
  model?: LoadedModelInfo;
  /** Tokens of the last answer (prompt tokens are what the conversation now uses of the window). */
  lastUsage?: GenerationUsage;
}

/** A request with what only the local engine takes: tool calls and results in the messages, and tools. */
export interface LocalChatRequest extends Omit<ChatRequest, 'messages'> {
  messages: EngineMessage[];
  /** Laid out by a chat template that takes tools (VS Code's language model API). */
  tools?: ToolSpec[];
}

export class LocalProvider implements ChatProvider {
  readonly id: string;
  readonly label: string;
  readonly kind = 'local' as const;
  private client: EngineClient | undefined;
  private currentStatus: LocalEngineStatus = { state: 'stopped' };
  private readonly statusListeners = new Set<(status: LocalEngineStatus) => void>();
  private idleTimer: NodeJS.Timeout | undefined;
  private busy = 0;
  private nextRequestId = 1;
  private disposed = false;
  /** The model the engine's running work uses, and how much of it runs: the engine holds one model at a time. */
  private engaged: { modelPath: string; count: number } | undefined;
  /** Work for another model, in arrival order: it starts once the running work is done. */
  private readonly waiting: { modelPath: string; start(): void }[] = [];

  constructor(private readonly options: LocalProviderOptions) {
    this.id = options.id ?? 'local';
    this.label = options.label ?? 'Local model';
  }

  get status(): LocalEngineStatus {
    return this.currentStatus;
  }

  /** Returns a function that unsubscribes. */
  onDidChangeStatus(listener: (status: LocalEngineStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  /** The engine host's process id while it runs. */
  get engineProcessId(): number | undefined {
    return this.client?.alive ? this.client.pid : undefined;
  }

  async models(): Promise<ModelInfo[]> {
    const model = this.currentStatus.model;
    if (model) return [{ id: model.modelId, label: `${model.modelId} (${model.dtype}, ${model.device})`, contextWindow: model.contextWindow }];
    const path = this.modelPath(this.options.getSettings());
    return path ? [{ id: folderName(path) }] : [];
  }

  /** Exact token count of these messages as the model will see them. */
  async countTokens(messages: ChatMessage[], signal?: AbortSignal): Promise<{ tokens: number; contextWindow: number }> {
    return this.withEngine(null, async (client) => client.countTokens({ messages }, signal), {}, signal);
  }

  /** Token count by a given model (an installed model's id; undefined: the default model), loading it when needed. */
  async countTokensWith(model: string | undefined, params: CountTokensParams, signal?: AbortSignal): Promise<CountTokensResult> {
    return this.withEngine(model, async (client) => client.countTokens(params, signal), {}, signal);
  }

  async *chat(request: LocalChatRequest, signal?: AbortSignal): AsyncGenerator<ChatEvent> {
    if (signal?.aborted) {
      yield { type: 'finish', reason: 'cancelled' };
      return;
    }
    const settings = this.options.getSettings();
    const requestId = String(this.nextRequestId++);
    const queue = new EventQueue<StreamEvent>();
    let settled = false;
    let failure: unknown;
    let result: Awaited<ReturnType<EngineClient['chat']>> | undefined;
    // Aborted by the caller, or by the caller leaving the loop early: either way the engine stops.
    const stop = new AbortController();
    const onAbort = (): void => {
      stop.abort();
      queue.wake();
    };
    signal?.addEventListener('abort', onAbort);
    const answer = this.withEngine(
      request.model,
      async (client) => {
        this.setStatus({ ...this.currentStatus, state: 'generating' });
        return client.chat(
          {
            requestId,
            ...(request.conversationId ? { conversationId: request.conversationId } : {}),
            messages: request.messages,
            ...(request.tools?.length ? { tools: request.tools } : {}),
            maxNewTokens: request.maxTokens ?? settings.maxNewTokens,
            sampling: samplingOf(settings, request.temperature),
            ...(settings.thinking ? { thinking: settings.thinking } : {}),
          },
          (event) => queue.push(event),
          stop.signal,
        );
      },
      // The user sees why the answer has not started.
      { onWait: (text) => queue.push({ type: 'notice', text }) },
      stop.signal,
    ).then(
      (r) => (result = r),
      (err: unknown) => (failure = err),
    );
    void answer.finally(() => {
      settled = true;
      queue.wake();
    });

    try {
      for (;;) {
        for (const event of queue.drain()) yield event;
        // Stop waiting at once; the engine ends the answer within a token on its own.
        if (stop.signal.aborted) {
          yield { type: 'finish', reason: 'cancelled' };
          return;
        }
        if (settled) break;
        await queue.whenReady();
      }
      for (const event of queue.drain()) yield event;
      if (failure !== undefined) throw failure;
      if (!result) throw new ProviderError('unknown', 'The local engine ended the answer without a result.');
      this.setStatus({ ...this.currentStatus, state: 'ready', lastUsage: result.usage });
      const { promptTokens, completionTokens, reasoningTokens } = result.usage;
      yield { type: 'usage', usage: { promptTokens, completionTokens, ...(reasoningTokens ? { reasoningTokens } : {}) } };
      yield {
        type: 'stats',
        stats: {
          ...(result.stats.timeToFirstTokenMs !== undefined ? { timeToFirstTokenMs: result.stats.timeToFirstTokenMs } : {}),
          ...(result.stats.tokensPerSecond !== undefined ? { tokensPerSecond: result.stats.tokensPerSecond } : {}),
          device: result.stats.device,
        },
      };
      yield { type: 'finish', reason: result.finishReason };
    } finally {
      signal?.removeEventListener('abort', onAbort);
      if (!settled) stop.abort();
    }
  }

  /** Stops the engine host; the next request starts a new one (e.g. 'Hearth: Restart Local Engine'). */
  async restart(): Promise<void> {
    await this.stopEngine();
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    this.statusListeners.clear();
    await this.stopEngine();
  }

  /**
   * Runs `work` against a started engine with the model loaded; tracks idleness. `requestedModel`: the
   * conversation's model (undefined: none chosen), or null for whichever model is loaded.
   * Work for another model than the running work's waits for it (`onWait` says so; `signal` ends the
   * wait): loading it at once would leave the running request's next step on the wrong model.
   * Loading is not cancelled with the request: the next request would only start it again.
   */
  private async withEngine<T>(
    requestedModel: string | undefined | null,
    work: (client: EngineClient) => Promise<T>,
    hooks: { onWait?(notice: string): void },
    signal: AbortSignal | undefined,
  ): Promise<T> {
    if (this.disposed) throw new ProviderError('badRequest', 'The local provider has been disposed.');
    const settings = this.options.getSettings();
    // hearth.local.modelPath overrides the conversation's model; without either, the default model.
    const chosen = !settings.modelPath.trim() && requestedModel ? await this.options.resolveModel?.(requestedModel) : undefined;
    const loaded = this.engaged?.modelPath ?? this.currentStatus.model?.modelPath;
    const modelPath = chosen ?? (requestedModel === null ? loaded : undefined) ?? this.modelPath(settings);
    if (!modelPath) {
      throw new ProviderError('badModel', 'No local model is set.', "Run 'Hearth: Select Model' to choose a model folder, or set hearth.local.modelPath.");
    }
    this.busy++;
    this.cancelIdleTimer();
    let engaged = false;
    try {
      await this.engage(modelPath, requestedModel === null, hooks.onWait, signal);
      engaged = true;
      if (this.disposed) throw new ProviderError('badRequest', 'The local provider has been disposed.');
      const client = this.ensureClient();
      if (this.currentStatus.model?.modelPath !== modelPath) this.setStatus({ state: 'loading' });
      const model = await client.loadModel({
        modelPath,
        device: settings.device,
        dtype: settings.dtype,
        threads: settings.threads,
        allowSpinning: settings.threadSpinning,
        int4Compute: settings.int4Compute,
      });
      if (JSON.stringify(this.currentStatus.model) !== JSON.stringify(model)) this.setStatus({ state: 'ready', model });
      return await work(client);
    } finally {
      if (engaged) this.disengage();
      this.busy--;
      if (this.busy === 0 && this.client?.alive) {
        if (this.currentStatus.state === 'generating') this.setStatus({ ...this.currentStatus, state: 'ready' });
        this.scheduleIdleStop(settings.idleTimeoutMinutes);
      }
    }
  }

  /**
   * Holds `modelPath` for one piece of work; waits while other work runs on another model, or waits
   * for one (first come, first served). `anyModel` work (a count by whichever model is loaded) joins
   * the running work at once, so it never makes the engine load a model back.
   */
  private async engage(modelPath: string, anyModel: boolean, onWait: ((notice: string) => void) | undefined, signal: AbortSignal | undefined): Promise<void> {
    if (!this.engaged) {
      this.engaged = { modelPath, count: 1 };
      return;
    }
    if (this.engaged.modelPath === modelPath && (anyModel || this.waiting.length === 0)) {
      this.engaged.count++;
      return;
    }
    if (signal?.aborted) throw new ProviderError('badRequest', 'The request was cancelled.');
    if (this.engaged.modelPath !== modelPath) {
      const notice = `Loading ${folderName(modelPath)} once the answer on ${folderName(this.engaged.modelPath)} is done (the engine holds one model at a time).`;
      this.options.logger.info(notice);
      onWait?.(notice);
    }
    await new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        this.waiting.splice(this.waiting.indexOf(waiter), 1);
        reject(new ProviderError('badRequest', 'The request was cancelled.'));
      };
      const waiter = {
        modelPath,
        start: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(waiter);
    });
  }

  /** One piece of work is done; when none runs, the first waiting model (and all work waiting for it) goes next. */
  private disengage(): void {
    if (!this.engaged || --this.engaged.count > 0) return;
    this.engaged = undefined;
    const next = this.waiting[0]?.modelPath;
    if (next === undefined) return;
    const starting = this.waiting.filter((w) => w.modelPath === next);
    for (const w of starting) this.waiting.splice(this.waiting.indexOf(w), 1);
    this.engaged = { modelPath: next, count: starting.length };
    for (const w of starting) w.start();
  }

  private ensureClient(): EngineClient {
    if (this.client?.alive) return this.client;
    const client = new EngineClient({ hostScript: this.options.engineHostPath, logger: this.options.logger });
    client.onExit(() => {
      if (this.client !== client) return;
      this.client = undefined;
      this.cancelIdleTimer();
      this.setStatus({ state: 'stopped' });
    });
    this.client = client;
    return client;
  }

  private scheduleIdleStop(minutes: number): void {
    this.cancelIdleTimer();
    if (!(minutes > 0)) return;
    this.idleTimer = setTimeout(() => {
      if (this.busy === 0) {
        this.options.logger.info(`Stopping the idle local engine after ${minutes} minute(s).`);
        void this.stopEngine();
      }
    }, minutes * 60_000);
    this.idleTimer.unref();
  }

  private cancelIdleTimer(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }

  private async stopEngine(): Promise<void> {
    this.cancelIdleTimer();
    const client = this.client;
    this.client = undefined;
    if (client) await client.stop();
    this.setStatus({ state: 'stopped' });
  }

  private modelPath(settings: LocalProviderSettings): string | undefined {
    return settings.modelPath.trim() || this.options.defaultModelPath || undefined;
  }

  private setStatus(status: LocalEngineStatus): void {
    this.currentStatus = status;
    for (const listener of this.statusListeners) listener(status);
  }
}

/** A model folder's last path segment, as the log and the model list name it. */
function folderName(modelPath: string): string {
  return modelPath.split(/[\\/]/).filter(Boolean).pop() ?? modelPath;
}

function samplingOf(settings: LocalProviderSettings, requestTemperature: number | undefined): SamplingOverrides {
  const pick = <K extends keyof SamplingOverrides>(key: K, value: number | null | undefined): Partial<SamplingOverrides> =>
    value === null || value === undefined ? {} : { [key]: value };
  return {
    ...pick('temperature', requestTemperature ?? settings.temperature),
    ...pick('topK', settings.topK),
    ...pick('topP', settings.topP),
    ...pick('minP', settings.minP),
    ...pick('repetitionPenalty', settings.repetitionPenalty),
    ...pick('seed', settings.seed),
  };
}
