// The engine host's JSON-RPC side: validates every request with zod, keeps one loaded model
// (loading another one, or the same with other options, replaces it and its prefix cache), and
// streams answers as notifications. Cancellation tokens become AbortSignals.
import { type CancellationToken, type MessageConnection, ResponseError } from 'vscode-jsonrpc';
import type { z } from 'zod';
import {
  ChatParamsSchema,
  type ChatEventParams,
  CountTokensParamsSchema,
  type CountTokensResult,
  ENGINE_ERROR_CODE,
  EngineMethods,
  EngineNotifications,
  type GenerationResult,
  type LoadedModelInfo,
  type LoadModelParams,
  LoadModelParamsSchema,
  type LogParams,
} from '../protocol/engine';
import { EngineError, errorMessage } from './errors';
import type { KvLayout } from './kvCache';
import { type LoadedModel, loadModel } from './loadedModel';

const KV_LAYOUT_NOTES: Record<KvLayout, string> = {
  appended: 'KV cache kept in place, new rows appended',
  shared: 'KV cache updated in place',
  packed: 'KV cache copied per step',
  device: 'KV cache kept on the device',
};

export function serveEngine(connection: MessageConnection): void {
  let current: { params: LoadModelParams; model: LoadedModel } | undefined;
  const log = (level: LogParams['level'], message: string): void => {
    void connection.sendNotification(EngineNotifications.log, { level, message } satisfies LogParams);
  };

  // Loads run one after another; answers and counts wait for the load in progress.
  let loading: Promise<unknown> = Promise.resolve();
  const requireModel = async (): Promise<LoadedModel> => {
    await loading.catch(() => undefined);
    if (!current) throw new EngineError('badRequest', 'No model is loaded.', 'Load a model first (engine/loadModel).');
    return current.model;
  };

  handle(connection, EngineMethods.loadModel, LoadModelParamsSchema, (params, signal): Promise<LoadedModelInfo> => {
    const load = loading.catch(() => undefined).then(async () => {
      if (current && sameLoad(current.params, params)) return current.model.info;
      const previous = current;
      current = undefined;
      await previous?.model.dispose();
      const model = await loadModel(params.modelPath, params, signal);
      current = { params, model };
      const skipped = model.info.skippedDevices.map((s) => `${s.device}: ${s.reason}`).join('; ');
      const passes = model.decoder.passLimit ? ` (prompts fed ${model.decoder.passLimit} tokens per pass: longer passes computed wrong on this device)` : '';
      const kv = KV_LAYOUT_NOTES[model.decoder.kvLayout] + passes;
      const int4 = model.info.int4Compute === 'model' ? '' : `, ${model.info.int4MatMulsChanged} int4 matmuls set to ${model.info.int4Compute}`;
      const threads = `${model.info.threads} threads${model.info.threadSpinning ? ', spinning' : ''}${int4}`;
      const where = model.info.adapter ? `${model.info.device}, ${model.info.adapter}` : model.info.device;
      log('info', `Loaded ${model.info.modelFile} (${model.info.dtype}) on ${where} (${threads}) in ${Math.round(model.info.loadMs)} ms, ${kv}` + (skipped ? ` (skipped ${skipped})` : ''));
      return model.info;
    });
    loading = load;
    return load;
  });

  handle(connection, EngineMethods.chat, ChatParamsSchema, async (params, signal): Promise<GenerationResult> => {
    const { requestId, ...request } = params;
    const model = await requireModel();
    for await (const event of model.generate(request, signal)) {
      if (event.type === 'done') {
        const { finishReason, usage } = event.result;
        if (finishReason === 'cancelled') log('info', `Answer ${requestId} cancelled after ${usage.completionTokens} tokens.`);
        return event.result;
      }
      void connection.sendNotification(EngineNotifications.chatEvent, { requestId, event } satisfies ChatEventParams);
    }
    throw new Error('the answer ended without a result');
  });

  handle(connection, EngineMethods.countTokens, CountTokensParamsSchema, async (params): Promise<CountTokensResult> => {
    const model = await requireModel();
    const tokens = 'text' in params ? model.text.encode(params.text).length : model.countTokens(params.messages, params.tools);
    return { tokens, contextWindow: model.info.contextWindow };
  });

  connection.onRequest(EngineMethods.dispose, async () => {
    await loading.catch(() => undefined);
    const previous = current;
    current = undefined;
    await previous?.model.dispose();
    return null;
  });
}

function sameLoad(a: LoadModelParams, b: LoadModelParams): boolean {
  return a.modelPath === b.modelPath && a.device === b.device && a.dtype === b.dtype && a.threads === b.threads && a.allowSpinning === b.allowSpinning && a.int4Compute === b.int4Compute;
}

/** Registers a request handler with validated params, an AbortSignal, and typed errors. */
function handle<S extends z.ZodType, R>(
  connection: MessageConnection,
  method: string,
  schema: S,
  handler: (params: z.infer<S>, signal: AbortSignal) => Promise<R>,
): void {
  connection.onRequest(method, async (raw: unknown, token: CancellationToken) => {
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
      const error = new EngineError('badRequest', `Invalid ${method} parameters: ${parsed.error.issues[0]?.message ?? 'unknown'}`);
      return new ResponseError(ENGINE_ERROR_CODE, error.message, error.toData());
    }
    const controller = new AbortController();
    const subscription = token.onCancellationRequested(() => controller.abort());
    try {
      return await handler(parsed.data, controller.signal);
    } catch (err) {
      const error = err instanceof EngineError ? err : new EngineError('unknown', `The engine failed: ${errorMessage(err)}`);
      return new ResponseError(ENGINE_ERROR_CODE, error.message, error.toData());
    } finally {
      subscription.dispose();
    }
  });
}
