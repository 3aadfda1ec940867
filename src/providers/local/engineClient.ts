// The extension-host end of the engine host: forks the child process, talks JSON-RPC over its
// IPC channel, and turns the child's death into an `engineCrashed` error for every request
// still waiting on it.
import { type ChildProcess, fork } from 'node:child_process';
import { CancellationTokenSource, ResponseError } from 'vscode-jsonrpc';
import { IPCMessageReader, IPCMessageWriter, type MessageConnection, createMessageConnection } from 'vscode-jsonrpc/node';
import type { z } from 'zod';
import {
  type ChatParams,
  ChatEventParamsSchema,
  type CountTokensParams,
  type CountTokensResult,
  CountTokensResultSchema,
  EngineErrorDataSchema,
  EngineMethods,
  EngineNotifications,
  type GenerationResult,
  GenerationResultSchema,
  type LoadedModelInfo,
  LoadedModelInfoSchema,
  type LoadModelParams,
  LogParamsSchema,
  type StreamEvent,
} from '../../protocol/engine';
import { ProviderError } from '../types';
import { engineHostEnv } from './engineHostEnv';
import { type EngineOutputLine, EngineStderr } from './engineStderr';

export interface EngineLogger {
  /** Start-up noise of native libraries (see engineStderr.ts): there when asked for, not a warning. */
  trace(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface EngineClientOptions {
  /** dist/engineHost.js */
  hostScript: string;
  logger: EngineLogger;
}

const RESTART_ACTION =
  'Send the message again to restart the local engine. If it keeps crashing, the model may be too large for this computer: try a smaller model or dtype q4.';

export class EngineClient {
  private readonly child: ChildProcess;
  private readonly connection: MessageConnection;
  private readonly chatListeners = new Map<string, (event: StreamEvent) => void>();
  private readonly exitListeners = new Set<() => void>();
  private exitError: ProviderError | undefined;
  private readonly exited: Promise<never>;
  private stopping = false;

  constructor(options: EngineClientOptions) {
    // execArgv: []: the host is plain bundled JS; do not inherit loaders/inspectors of the parent.
    this.child = fork(options.hostScript, [], { stdio: ['ignore', 'pipe', 'pipe', 'ipc'], execArgv: [], env: engineHostEnv() });
    this.child.stdout?.on('data', (d: Buffer) => options.logger.info(d.toString().trimEnd()));
    const stderr = new EngineStderr();
    const logStderr = (lines: EngineOutputLine[]): void => {
      for (const line of lines) options.logger[line.level](line.text);
    };
    this.child.stderr?.on('data', (d: Buffer) => logStderr(stderr.push(d.toString())));
    this.child.stderr?.on('end', () => logStderr(stderr.flush()));
    this.exited = new Promise<never>((_, reject) => {
      const onGone = (what: string): void => {
        if (this.exitError) return;
        this.exitError = this.stopping
          ? new ProviderError('cancelled', 'The local engine was stopped.')
          : new ProviderError('engineCrashed', `The local engine stopped unexpectedly (${what}).`, RESTART_ACTION);
        if (!this.stopping) options.logger.error(this.exitError.message);
        reject(this.exitError);
        this.connection.dispose();
        for (const listener of this.exitListeners) listener();
      };
      this.child.on('exit', (code, signal) => onGone(signal ? `signal ${signal}` : `exit code ${code}`));
      this.child.on('error', (err) => onGone(err.message));
    });
    this.exited.catch(() => undefined);

    this.connection = createMessageConnection(new IPCMessageReader(this.child), new IPCMessageWriter(this.child));
    this.connection.onNotification(EngineNotifications.chatEvent, (raw: unknown) => {
      const parsed = ChatEventParamsSchema.safeParse(raw);
      if (parsed.success) this.chatListeners.get(parsed.data.requestId)?.(parsed.data.event);
    });
    this.connection.onNotification(EngineNotifications.log, (raw: unknown) => {
      const parsed = LogParamsSchema.safeParse(raw);
      if (parsed.success) options.logger[parsed.data.level](parsed.data.message);
    });
    this.connection.listen();
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get alive(): boolean {
    return this.exitError === undefined;
  }

  /** Called once when the process has gone, whatever the reason. */
  onExit(listener: () => void): void {
    this.exitListeners.add(listener);
  }

  loadModel(params: LoadModelParams, signal?: AbortSignal): Promise<LoadedModelInfo> {
    return this.request(EngineMethods.loadModel, params, LoadedModelInfoSchema, signal);
  }

  countTokens(params: CountTokensParams, signal?: AbortSignal): Promise<CountTokensResult> {
    return this.request(EngineMethods.countTokens, params, CountTokensResultSchema, signal);
  }

  /** Streams `chatEvent`s to `onEvent` until the answer's result arrives. */
  async chat(params: ChatParams, onEvent: (event: StreamEvent) => void, signal?: AbortSignal): Promise<GenerationResult> {
    this.chatListeners.set(params.requestId, onEvent);
    try {
      return await this.request(EngineMethods.chat, params, GenerationResultSchema, signal);
    } finally {
      this.chatListeners.delete(params.requestId);
    }
  }

  /** Asks the host to release its model, then ends the process. */
  async stop(): Promise<void> {
    if (!this.alive) return;
    this.stopping = true;
    const gone = this.exited.catch(() => undefined);
    try {
      await Promise.race([this.connection.sendRequest(EngineMethods.dispose), gone, timeout(2000)]);
    } catch {
      // Stopping anyway.
    }
    this.child.kill();
    await Promise.race([gone, timeout(2000)]);
    if (this.alive) this.child.kill('SIGKILL');
  }

  private async request<S extends z.ZodType>(method: string, params: unknown, schema: S, signal?: AbortSignal): Promise<z.infer<S>> {
    if (this.exitError) throw this.exitError;
    const cancel = new CancellationTokenSource();
    const onAbort = (): void => cancel.cancel();
    signal?.addEventListener('abort', onAbort);
    try {
      const raw: unknown = await Promise.race([this.connection.sendRequest(method, params, cancel.token), this.exited]);
      const parsed = schema.safeParse(raw);
      if (!parsed.success) throw new ProviderError('unknown', `The local engine sent an unexpected ${method} answer.`, RESTART_ACTION);
      return parsed.data;
    } catch (err) {
      throw toProviderError(err);
    } finally {
      signal?.removeEventListener('abort', onAbort);
      cancel.dispose();
    }
  }
}

function toProviderError(err: unknown): ProviderError {
  if (err instanceof ProviderError) return err;
  if (err instanceof ResponseError) {
    const data = EngineErrorDataSchema.safeParse(err.data);
    if (data.success) return new ProviderError(data.data.kind, data.data.message, data.data.action);
    return new ProviderError('unknown', `The local engine failed: ${err.message}`);
  }
  const message = err instanceof Error ? err.message : String(err);
  return new ProviderError('engineCrashed', `Lost the connection to the local engine: ${message}`, RESTART_ACTION);
}

function timeout(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
