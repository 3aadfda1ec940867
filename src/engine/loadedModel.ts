// Loads a model folder onto a device and serves answers from it, one at a time (answers share
// the session and the prefix cache, so they are queued rather than run concurrently).
import type { ChatMessage } from '../protocol/chat';
import { readFileSync } from 'node:fs';
import type { Device, Dtype, GenerationRequest, Int4Compute, LoadedModelInfo } from '../protocol/engine';
import { DecoderSession, detectKvLayout } from './decoderSession';
import { openSession } from './devices';
import { EngineError, errorMessage, throwIfAborted } from './errors';
import { type GenerationEvent, generateAnswer } from './generation';
import { INT4_ACCURACY_LEVEL, withMatMulNBitsAccuracy } from './int4Compute';
import { type ModelFolder, readModelFolder } from './modelFolder';
import { PrefixCache } from './prefixCache';
import { TextCodec } from './textCodec';

export interface LoadModelOptions {
  device?: Device;
  dtype?: Dtype;
  /** 0 or absent: one thread per physical core. */
  threads?: number;
  /** Conversations whose KV cache is kept between turns (default 4). */
  prefixCacheSize?: number;
  /** Answer length when a request does not say (default 1024). */
  defaultMaxNewTokens?: number;
  /** Let onnxruntime's idle threads spin (default false: they would compete with the editor). */
  allowSpinning?: boolean;
  /** Let GroupQueryAttention graphs update the KV cache in place (default true; false for comparisons). */
  sharedKv?: boolean;
  /** Profile every run with onnxruntime; the JSON file is written on dispose (benchmarks only). */
  profileFilePrefix?: string;
  /** How int4 (MatMulNBits) weights are multiplied (default 'model': as exported). */
  int4Compute?: Int4Compute;
}

export interface LoadedModel {
  readonly info: LoadedModelInfo;
  readonly folder: ModelFolder;
  readonly text: TextCodec;
  readonly decoder: DecoderSession;
  /** Streams one answer; the last event is always `done` unless it throws an EngineError. */
  generate(request: GenerationRequest, signal?: AbortSignal): AsyncIterable<GenerationEvent>;
  /** Tokens of the rendered prompt of these messages (with the generation prompt). */
  countTokens(messages: readonly ChatMessage[]): number;
  /** Drops every conversation's cached prefix. */
  clearPrefixCache(): void;
  dispose(): Promise<void>;
}

export async function loadModel(dir: string, options: LoadModelOptions = {}, signal?: AbortSignal): Promise<LoadedModel> {
  const started = performance.now();
  const folder = readModelFolder(dir);
  const text = TextCodec.create(folder);
  const dtype = options.dtype ?? 'auto';
  const requested = options.device ?? 'auto';
  throwIfAborted(signal);

  let file = '';
  const int4Compute = options.int4Compute ?? 'model';
  let int4MatMulsChanged = 0;
  const opened = await openSession(
    {
      requested,
      threads: options.threads ?? 0,
      allowSpinning: options.allowSpinning ?? false,
      profileFilePrefix: options.profileFilePrefix,
      load: (path) => {
        if (int4Compute === 'model') return undefined;
        const patched = withMatMulNBitsAccuracy(readFileSync(path), INT4_ACCURACY_LEVEL[int4Compute]);
        int4MatMulsChanged = patched.nodes;
        return patched.nodes > 0 ? patched.bytes : undefined;
      },
      prepare: (device) => {
        const variant = folder.selectVariant(dtype, device === 'cpu' ? 'cpu' : 'gpu');
        file = variant.file;
        return variant;
      },
      // A GPU session can open and still fail on its first run: try one token before trusting it.
      check: async (session) => {
        const probe = new DecoderSession(session, DecoderSession.describe(session, folder.graph, file));
        await probe.forward([0], probe.emptyCache());
      },
    },
    signal,
  ).catch((err: unknown) => {
    if (err instanceof EngineError) throw err;
    throw new EngineError(
      'badModel',
      `onnxruntime could not load ${file}: ${errorMessage(err)}`,
      'The file may be damaged or incomplete (download it again), or need a newer onnxruntime; try another dtype.',
      file,
    );
  });
  if (signal?.aborted) {
    await opened.session.release();
    throwIfAborted(signal);
  }
  let decoder: DecoderSession;
  try {
    const io = DecoderSession.describe(opened.session, folder.graph, file);
    // In-place KV buffers on the CPU only: on a GPU the cache crosses the bus each step either way.
    const kvLayout = opened.device === 'cpu' && options.sharedKv !== false ? await detectKvLayout(opened.session, io) : 'packed';
    decoder = new DecoderSession(opened.session, io, kvLayout);
  } catch (err) {
    await opened.session.release();
    throw err;
  }

  const info: LoadedModelInfo = {
    modelId: folder.modelId,
    modelPath: dir,
    layout: folder.layout,
    modelFile: opened.prepared.file,
    dtype: opened.prepared.dtype,
    device: opened.device,
    requestedDevice: requested,
    skippedDevices: opened.skipped,
    contextWindow: folder.contextWindow,
    threads: opened.threads,
    threadSpinning: options.allowSpinning ?? false,
    int4Compute: int4MatMulsChanged > 0 ? int4Compute : 'model',
    int4MatMulsChanged,
    loadMs: performance.now() - started,
  };
  const prefixCache = new PrefixCache(options.prefixCacheSize ?? 4);
  const generationContext = {
    decoder,
    text,
    prefixCache,
    contextWindow: folder.contextWindow,
    samplingDefaults: folder.generationDefaults,
    device: opened.device,
    defaultMaxNewTokens: options.defaultMaxNewTokens ?? 1024,
  };
  let queue: Promise<void> = Promise.resolve();
  let disposed = false;

  return {
    info,
    folder,
    text,
    decoder,
    async *generate(request, generateSignal) {
      if (disposed) throw new EngineError('badRequest', 'The model was unloaded.', 'Send the message again.');
      // Wait for the answer before this one; this answer's end releases the next.
      let release = (): void => undefined;
      const previous = queue;
      queue = new Promise<void>((resolve) => (release = resolve));
      try {
        await previous;
        yield* generateAnswer(generationContext, request, generateSignal);
      } finally {
        release();
      }
    },
    countTokens: (messages) => text.encodeChat(messages).length,
    clearPrefixCache: () => prefixCache.clear(),
    async dispose() {
      disposed = true;
      prefixCache.clear();
      await queue;
      await opened.session.release();
    },
  };
}
