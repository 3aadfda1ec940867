// Loads a model folder onto a device and serves answers from it, one at a time (answers share
// the session and the prefix cache, so they are queued rather than run concurrently). A GPU that
// fails mid-answer is given up for the next device in line, and the answer goes on there.
import type { Device, Dtype, EngineMessage, GenerationRequest, Int4Compute, LoadedModelInfo, SkippedDevice, ToolSpec } from '../protocol/engine';
import { describeAdapter } from './adapterInfo';
import { DecoderSession, type GraphIo, SHORT_PASS_TOKENS, appendedKvWorks, detectKvLayout, longPassesWork } from './decoderSession';
import { type ConcreteDevice, type CreateSession, DEVICE_RESIDENT_KV, type OpenedSession, deviceCandidates, failureReason, openSession } from './devices';
import { EngineError, errorMessage, throwIfAborted } from './errors';
import { type DecoderReplacement, type GenerationEvent, generateAnswer } from './generation';
import { type KvLayout, disposeKvCache } from './kvCache';
import { INT4_ACCURACY_LEVEL, resolveInt4Compute, withMatMulNBitsAccuracy } from './int4Compute';
import { withMaskFromCacheLength, type MaskRewriteNames } from './deviceMaskRewrite';
import { type KvRowsGraphNames, type KvRowsPlacement, withNewKvRowOutputs } from './kvRowsRewrite';
import { type ModelFolder, readModelFolder } from './modelFolder';
import { PrefixCache } from './prefixCache';
import { TextCodec } from './textCodec';
import { graphWithWeightsByReference } from './weightsByReference';

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
  /**
   * KV cache layout (kvCache.ts). 'auto' (default): on the CPU, 'appended' for a graph that can be
   * rewritten to return new rows (GroupQueryAttention or standard attention), else 'shared' when
   * the graph allows it, else 'packed'; on WebGPU, kept on the device. 'shared' and 'packed' skip
   * the rewrite, and 'packed' copies a GPU's cache through the host each step; for comparisons.
   */
  kvCache?: 'auto' | 'shared' | 'packed';
  /** Profile every run with onnxruntime; the JSON file is written on dispose (benchmarks only). */
  profileFilePrefix?: string;
  /** How int4 (MatMulNBits) weights are multiplied (default 'model': as exported; 'auto' by the CPU, int4Compute.ts). */
  int4Compute?: Int4Compute;
  /** Makes onnxruntime sessions (default InferenceSession.create); tests put failing providers here. */
  createSession?: CreateSession;
}

export interface LoadedModel {
  /** Changes when a failed device was given up for the next one. */
  readonly info: LoadedModelInfo;
  readonly folder: ModelFolder;
  readonly text: TextCodec;
  /** The decoder that runs now (replaced after a device failure). */
  readonly decoder: DecoderSession;
  /** Streams one answer; the last event is always `done` unless it throws an EngineError. */
  generate(request: GenerationRequest, signal?: AbortSignal): AsyncIterable<GenerationEvent>;
  /** Tokens of the rendered prompt of these messages (with the generation prompt). */
  countTokens(messages: readonly EngineMessage[], tools?: readonly ToolSpec[]): number;
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
  const int4Compute = resolveInt4Compute(options.int4Compute ?? 'model');
  const kvCache = options.kvCache ?? 'auto';
  let int4MatMulsChanged = 0;
  let kvRowsAfter: KvRowsPlacement = 'filled';
  const kvNames = {
    inputIds: folder.graph.inputNames?.input_ids ?? 'input_ids',
    attentionMask: folder.graph.inputNames?.attention_mask ?? 'attention_mask',
  };
  const maskNames: MaskRewriteNames = { ...kvNames, pastKey: (folder.graph.inputNames?.['past_key_names'] ?? 'past_key_values.%d.key').replace('%d', '0') };
  // The present outputs a device-resident KV cache keeps on the GPU (named from the config, as
  // onnxruntime wants them when the session is made).
  const presentOutputs: string[] = [];
  for (let i = 0; i < (folder.graph.numLayers ?? 0); i++) {
    presentOutputs.push(
      (folder.graph.outputNames?.['present_key_names'] ?? 'present.%d.key').replace('%d', String(i)),
      (folder.graph.outputNames?.['present_value_names'] ?? 'present.%d.value').replace('%d', String(i)),
    );
  }
  /** How a GPU session keeps its cache: on the device where onnxruntime-node can, else copied per step. */
  const gpuKvLayout = (device: ConcreteDevice, io: GraphIo): 'device' | 'packed' =>
    DEVICE_RESIDENT_KV.has(device) && kvCache !== 'packed' && presentOutputs.length > 0 && io.kvOutputs === 'present' ? 'device' : 'packed';

  const open = (candidates: readonly ConcreteDevice[], rewriteKv: boolean): Promise<OpenedSession<{ file: string; dtype: string }>> =>
    openSession(
      {
        requested,
        candidates,
        threads: options.threads ?? 0,
        allowSpinning: options.allowSpinning ?? false,
        profileFilePrefix: options.profileFilePrefix,
        createSession: options.createSession,
        outputsOnDevice: () => (kvCache === 'packed' ? [] : presentOutputs),
        load: (path, candidate) => {
          // New-rows KV outputs on the CPU only: on a GPU the cache stays on the device instead, and
          // the graph builds its own all-ones mask (deviceMaskRewrite.ts) so none is sent per token.
          const patched = patchedGraph(path, file, int4Compute, rewriteKv && candidate === 'cpu' ? kvNames : undefined, candidate === 'cpu' ? undefined : maskNames);
          int4MatMulsChanged = patched.int4MatMulsChanged;
          kvRowsAfter = patched.kvRowsAfter ?? 'filled';
          return patched.bytes;
        },
        prepare: (candidate) => {
          const variant = folder.selectVariant(dtype, candidate === 'cpu' ? 'cpu' : 'gpu');
          file = variant.file;
          return variant;
        },
        // A GPU session can open and still fail on its first run: try one token before trusting it.
        check: async (session, device) => {
          const io = DecoderSession.describe(session, folder.graph, file);
          const probe = new DecoderSession(session, io, gpuKvLayout(device, io), {}, device);
          const out = await probe.forward([0], probe.emptyCache());
          disposeKvCache(out.cache);
          await probe.dispose();
          if (!out.logits.every(Number.isFinite)) throw new Error('Failed its smoke test: the logits of a first token are not finite numbers');
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

  /** Opens the first working device of `candidates` and its decoder; devices passed over are added to `skipped`. */
  const openDecoder = async (candidates: readonly ConcreteDevice[], skipped: SkippedDevice[]): Promise<{ opened: OpenedSession<{ file: string; dtype: string }>; decoder: DecoderSession }> => {
    let opened = await open(candidates, kvCache === 'auto').catch((err: unknown) => {
      if (kvCache !== 'auto') throw err;
      // onnxruntime may have refused the rewritten graph: load the model as exported (a damaged
      // model fails again, with its own error).
      return open(candidates, false);
    });
    try {
      throwIfAborted(signal);
      let io: GraphIo = { ...DecoderSession.describe(opened.session, folder.graph, file), kvRowsAfter };
      if (io.kvOutputs === 'newRows' && !(await appendedKvWorks(opened.session, io))) {
        // The rewritten graph does not reproduce a whole-prompt pass: load the model as exported.
        await opened.session.release();
        const before = opened.skipped;
        opened = { ...(await open(['cpu'], false)), skipped: before };
        io = DecoderSession.describe(opened.session, folder.graph, file);
      }
      // In-place KV buffers on the CPU; on a GPU the cache stays on the device where it can.
      let kvLayout: KvLayout = gpuKvLayout(opened.device, io);
      if (opened.device === 'cpu') kvLayout = kvCache !== 'packed' ? await detectKvLayout(opened.session, io) : 'packed';
      const decoder = new DecoderSession(opened.session, io, kvLayout, {}, opened.device);
      if (opened.device !== 'cpu' && !(await longPassesWork(decoder))) decoder.passLimit = SHORT_PASS_TOKENS;
      throwIfAborted(signal);
      skipped.push(...opened.skipped);
      return { opened, decoder };
    } catch (err) {
      await opened.session.release();
      throw err;
    }
  };

  const skippedDevices: SkippedDevice[] = [];
  let current = await openDecoder(deviceCandidates(requested), skippedDevices);
  const infoOf = (opened: OpenedSession<{ file: string; dtype: string }>): LoadedModelInfo => {
    const adapter = describeAdapter(opened.device);
    return {
      modelId: folder.modelId,
      modelPath: dir,
      layout: folder.layout,
      modelFile: opened.prepared.file,
      dtype: opened.prepared.dtype,
      device: opened.device,
      ...(adapter ? { adapter } : {}),
      requestedDevice: requested,
      skippedDevices: [...skippedDevices],
      contextWindow: folder.contextWindow,
      threads: opened.threads,
      threadSpinning: options.allowSpinning ?? false,
      int4Compute: int4MatMulsChanged > 0 ? int4Compute : 'model',
      int4MatMulsChanged,
      thinkingSwitch: text.thinkingSwitch,
      loadMs: performance.now() - started,
    };
  };
  let info = infoOf(current.opened);
  const prefixCache = new PrefixCache(options.prefixCacheSize ?? 4);
  const generationContext = {
    decoder: current.decoder,
    text,
    prefixCache,
    contextWindow: folder.contextWindow,
    samplingDefaults: folder.generationDefaults,
    device: current.opened.device,
    defaultMaxNewTokens: options.defaultMaxNewTokens ?? 1024,
    /** A GPU failed mid-answer: give it up for the next candidate (the CPU last) and go on there. */
    recover: async (err: unknown): Promise<DecoderReplacement | undefined> => {
      const failed = current.opened.device;
      if (failed === 'cpu' || disposed) return undefined;
      const reason = `${failureReason(failed, errorMessage(err))} (failed mid-answer)`;
      // Every cached conversation lives on the failed device.
      prefixCache.clear();
      await current.decoder.dispose().catch(() => undefined);
      await current.opened.session.release().catch(() => undefined);
      skippedDevices.push({ device: failed, reason });
      const candidates = deviceCandidates(requested);
      const rest = candidates.slice(candidates.indexOf(failed) + 1);
      current = await openDecoder(rest.length > 0 ? rest : ['cpu'], skippedDevices);
      info = infoOf(current.opened);
      generationContext.decoder = current.decoder;
      generationContext.device = current.opened.device;
      return { decoder: current.decoder, device: current.opened.device, notice: `${reason}; the answer goes on on ${current.opened.device}.` };
    },
  };
  let queue: Promise<void> = Promise.resolve();
  let disposed = false;

  return {
    get info() {
      return info;
    },
    folder,
    text,
    get decoder() {
      return current.decoder;
    },
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
    countTokens: (messages, tools) => text.encodeChat(messages, 'auto', tools).length,
    clearPrefixCache: () => prefixCache.clear(),
    async dispose() {
      disposed = true;
      await queue;
      prefixCache.clear();
      await current.decoder.dispose();
      await current.opened.session.release();
    },
  };
}

/**
 * The model's graph bytes with the int4 compute choice applied and, given the graph's input names,
 * the KV cache returned as new rows (CPU), or the attention mask built inside the graph (GPUs); undefined when nothing changes (the file loads as it is).
 * Inline weights are referenced in the model file rather than copied (weightsByReference.ts):
 * onnxruntime given the file itself keeps its parsed bytes beside the weights it loads (measured on
 * a 365 MB int4 file: 680-701 MB resident after load against 458, and 4.9 s against 2.4).
 */
function patchedGraph(
  path: string,
  file: string,
  int4Compute: Exclude<Int4Compute, 'auto'>,
  kvNames: KvRowsGraphNames | undefined,
  maskNames?: MaskRewriteNames,
): { bytes?: Uint8Array; int4MatMulsChanged: number; kvRowsAfter?: KvRowsPlacement } {
  let byReference: ReturnType<typeof graphWithWeightsByReference>;
  try {
    byReference = graphWithWeightsByReference(path);
  } catch (err) {
    throw new EngineError('badModel', `${file} is damaged or incomplete (${errorMessage(err)}).`, 'Download the file again, or pick another dtype.', file);
  }
  let bytes = byReference.bytes;
  let changed = byReference.referenced > 0;
  let int4MatMulsChanged = 0;
  if (int4Compute !== 'model') {
    const patched = withMatMulNBitsAccuracy(bytes, INT4_ACCURACY_LEVEL[int4Compute]);
    int4MatMulsChanged = patched.nodes;
    if (patched.nodes > 0) [bytes, changed] = [patched.bytes, true];
  }
  const rewritten = kvNames ? withNewKvRowOutputs(bytes, kvNames) : undefined;
  if (rewritten) [bytes, changed] = [rewritten.bytes, true];
  const kv = rewritten ? { kvRowsAfter: rewritten.appendsAfter } : {};
  const ownMask = maskNames ? withMaskFromCacheLength(bytes, maskNames) : undefined;
  if (ownMask) [bytes, changed] = [ownMask, true];
  return changed ? { bytes, int4MatMulsChanged, ...kv } : { int4MatMulsChanged };
}
