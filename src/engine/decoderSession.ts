// One forward pass of a decoder-only ONNX graph with a KV cache: feeds the new tokens and the
// past, returns the last position's logits and the grown cache. Works for the transformers.js
// export (position_ids input) and the onnxruntime-genai one (GroupQueryAttention derives
// positions from attention_mask); asks for the last position's logits only when the graph can.
// With a 'shared' KV layout the present outputs are bound to the past inputs' own buffers; with
// 'appended' the graph returns only the new rows (kvRowsRewrite.ts), which are copied into them
// (a graph that appends after the whole past buffer gets a mask that leaves its unused rows out).
// With 'device' the present outputs stay on the GPU and are fed back as they are: per step only the
// new token ids (and positions) and the last position's logits cross between host and device; a GPU
// session's graph builds its own attention mask (deviceMaskRewrite.ts), so `attentionMask` is unset.
import { type InferenceSession, Tensor } from 'onnxruntime-node';
import { DeviceKvTrimmer } from './deviceKvTrim';
import { EngineError } from './errors';
import { type KvCache, type KvDataType, type KvLayout, compactKvCache, disposeKvCache, emptyKvCache, reserveKvCache, sliceKvCache, writeKvRows } from './kvCache';
import { type KvRowsPlacement, NEW_ROWS_SUFFIX } from './kvRowsRewrite';
import type { GraphHints } from './modelFolder';

interface LayerNames {
  pastKey: string;
  pastValue: string;
  /** The output to fetch: the present cache, or its new rows when `kvOutputs` is 'newRows'. */
  presentKey: string;
  presentValue: string;
}

export interface GraphIo {
  inputIds: string;
  attentionMask?: string;
  positionIds?: string;
  logitsToKeep?: string;
  logits: string;
  layers: LayerNames[];
  /** 'present': the graph returns the whole cache; 'newRows': only the rows each pass adds. */
  kvOutputs: 'present' | 'newRows';
  /**
   * With 'newRows', where the graph appends them (kvRowsRewrite.ts): after the past's filled rows
   * (GroupQueryAttention), or after the whole past buffer, its unfilled rows masked out (Concat).
   */
  kvRowsAfter: KvRowsPlacement;
  kvType: KvDataType;
  kvHeads: number;
  headDim: number;
  /** Integer type of input_ids / attention_mask / position_ids. */
  idType: 'int64' | 'int32';
  /** Logits per position, when the graph declares it. */
  vocabSize?: number;
}

/** Prompt tokens per forward pass when the graph returns the last position's logits only. */
const PREFILL_CHUNK = 512;
/**
 * Without num_logits_to_keep a chunk returns [chunk, vocab] float32 logits, held twice (onnxruntime's
 * buffer and the copy handed to JS): keep that under ~16 MB (128 tokens at a 32k vocabulary).
 */
const FULL_LOGITS_BUDGET_BYTES = 16 * 2 ** 20;
const MIN_PREFILL_CHUNK = 32;

export interface ForwardResult {
  /** Logits of the last fed position. */
  logits: Float32Array;
  cache: KvCache;
}

/** Bytes the engine moved between host and device memory (counted on GPU devices only). */
export interface TransferCounts {
  toDevice: number;
  toHost: number;
}

export class DecoderSession {
  readonly kvLayout: KvLayout;
  /** What this decoder's runs copied between host and device, as the engine fed and fetched it. */
  readonly transferred: TransferCounts = { toDevice: 0, toHost: 0 };
  /** Device tensors this decoder produced; disposed ones drop out when listed. */
  private readonly deviceTensors = new Set<Tensor>();
  private readonly trimmer: DeviceKvTrimmer | undefined;

  /**
   * `kvLayout` defaults to 'packed'; a graph that returns new rows always runs 'appended', and only
   * it can. `device` is the execution provider the session runs on ('device' layout: its trims too).
   */
  constructor(
    readonly session: InferenceSession,
    readonly io: GraphIo,
    kvLayout: KvLayout = 'packed',
    private readonly runOptions: InferenceSession.RunOptions = {},
    readonly device: string = 'cpu',
  ) {
    if (io.kvOutputs !== 'newRows' && kvLayout === 'appended') throw new RangeError('the appended KV layout needs a graph that returns new rows');
    if (kvLayout === 'device' && (device === 'cpu' || io.kvOutputs === 'newRows')) throw new RangeError('the device KV layout needs a GPU session whose graph returns the whole cache');
    this.kvLayout = io.kvOutputs === 'newRows' ? 'appended' : kvLayout;
    if (this.kvLayout === 'device') this.trimmer = new DeviceKvTrimmer(device, io.layers.length * 2, io.kvType);
  }

  /** The device tensors of this decoder's caches that are still alive (not disposed). */
  liveDeviceTensors(): Tensor[] {
    for (const tensor of this.deviceTensors) if (tensor.location !== 'gpu-buffer') this.deviceTensors.delete(tensor);
    return [...this.deviceTensors];
  }

  /**
   * The first `length` tokens of a cache; the source must not be used afterwards. Host layouts
   * trim in place; a device cache is sliced on the device (deviceKvTrim.ts) and the source disposed.
   */
  async trim(cache: KvCache, length: number): Promise<KvCache> {
    if (cache.layout !== 'device' || length === cache.length) return sliceKvCache(cache, length);
    if (length > cache.length) throw new RangeError(`cannot slice a ${cache.length}-token KV cache to ${length}`);
    if (length === 0 || !this.trimmer) {
      disposeKvCache(cache);
      return this.emptyCache();
    }
    const names = [...cache.tensors.keys()];
    const sliced = await this.trimmer.trim([...cache.tensors.values()], length);
    disposeKvCache(cache);
    const tensors = new Map<string, Tensor>();
    names.forEach((name, i) => tensors.set(name, this.owned(sliced[i] as Tensor)));
    return { length, layout: 'device', capacity: length, tensors };
  }

  /** Releases what this decoder made itself (the trim session); the inference session is the caller's. */
  async dispose(): Promise<void> {
    await this.trimmer?.release();
  }

  static describe(session: InferenceSession, hints: GraphHints, file: string): GraphIo {
    return describeGraph(session, hints, file);
  }

  /** Most tokens per forward pass where longer passes were found to compute wrong (longPassesWork). */
  passLimit: number | undefined;

  /** Prompt tokens to feed per forward pass: bounds the memory a long prompt's prefill needs. */
  get prefillChunk(): number {
    let chunk = PREFILL_CHUNK;
    if (!this.io.logitsToKeep) {
      const perToken = (this.io.vocabSize ?? 151_936) * 4;
      const fit = 2 ** Math.floor(Math.log2(FULL_LOGITS_BUDGET_BYTES / perToken));
      chunk = Math.max(MIN_PREFILL_CHUNK, Math.min(PREFILL_CHUNK, fit));
    }
    return Math.min(chunk, this.passLimit ?? chunk);
  }

  emptyCache(): KvCache {
    const names = this.io.layers.flatMap((l) => [l.pastKey, l.pastValue]);
    return emptyKvCache(names, this.io.kvType, this.io.kvHeads, this.io.headDim, this.kvLayout);
  }

  /**
   * A cache sized for `tokens` positions: grown with headroom when too small, and moved to smaller
   * buffers when a trimmed prefix left it far too large (the operators' work grows with the
   * buffer: measured, a GroupQueryAttention step at 200 tokens took 24.1 ms in a 2272-row buffer
   * against 21.0 in 320 rows). A packed cache is returned as is (it grows per step anyway). A graph
   * that appends after the whole buffer attends over every row of it, so its cache gets no rows
   * ahead at all (forward makes room for a pass's rows after it).
   */
  reserve(cache: KvCache, tokens: number): KvCache {
    if (cache.layout === 'appended' && this.io.kvRowsAfter === 'capacity') return compactKvCache(cache, cache.length);
    return reserveKvCache(compactKvCache(cache, tokens), tokens);
  }

  async forward(ids: readonly number[], past: KvCache): Promise<ForwardResult> {
    if (ids.length === 0) throw new RangeError('forward needs at least one token');
    const io = this.io;
    const total = past.length + ids.length;
    // A graph that appends after the whole past buffer sees the buffer as it is (its unfilled rows
    // masked out, and not many of them: a trimmed prefix's are dropped) and gets room for the new
    // rows afterwards; the others need the room beforehand.
    const afterCapacity = past.layout === 'appended' && io.kvRowsAfter === 'capacity';
    const fed = afterCapacity ? compactKvCache(past, total) : reserveKvCache(past, total);
    const feeds: Record<string, Tensor> = {};
    feeds[io.inputIds] = intTensor(io.idType, ids, [1, ids.length]);
    if (io.attentionMask) {
      // Over the fed rows: the buffer's unfilled ones are 0 when the graph sees the whole buffer.
      feeds[io.attentionMask] = maskTensor(io.idType, past.length, afterCapacity ? fed.capacity : past.length, ids.length);
    }
    if (io.positionIds) {
      feeds[io.positionIds] = intTensor(io.idType, ids.map((_, i) => past.length + i), [1, ids.length]);
    }
    if (io.logitsToKeep) feeds[io.logitsToKeep] = new Tensor('int64', BigInt64Array.from([1n]), []);

    if (past.layout === 'shared' || past.layout === 'appended') {
      const appended = past.layout === 'appended';
      const fetches: Record<string, Tensor | null> = { [io.logits]: null };
      for (const layer of io.layers) {
        const key = cacheTensor(fed, layer.pastKey);
        const value = cacheTensor(fed, layer.pastValue);
        feeds[layer.pastKey] = key;
        feeds[layer.pastValue] = value;
        // 'shared': the operator sees the same buffer as past and present and appends the new rows
        // in place. 'appended': the graph returns only the new rows, copied in below.
        fetches[layer.presentKey] = appended ? null : key;
        fetches[layer.presentValue] = appended ? null : value;
      }
      const out = await this.session.run(feeds, fetches, this.runOptions);
      const cache = reserveKvCache(fed, total);
      if (appended) {
        for (const layer of io.layers) {
          writeKvRows(cacheTensor(cache, layer.pastKey), out[layer.presentKey] as Tensor, past.length);
          writeKvRows(cacheTensor(cache, layer.pastValue), out[layer.presentValue] as Tensor, past.length);
        }
      }
      return { logits: lastRow(out[io.logits] as Tensor), cache: { ...cache, length: total } };
    }

    for (const [name, tensor] of past.tensors) feeds[name] = tensor;
    this.count(feeds, 'toDevice');
    const out = await this.session.run(feeds, this.runOptions);
    this.count(out, 'toHost');
    const tensors = new Map<string, Tensor>();
    for (const layer of io.layers) {
      tensors.set(layer.pastKey, this.owned(out[layer.presentKey] as Tensor));
      tensors.set(layer.pastValue, this.owned(out[layer.presentValue] as Tensor));
    }
    // The superseded device tensors are released now, not when V8 gets round to their handles:
    // over a long answer that would hold one whole cache per step on the device.
    if (past.layout === 'device') disposeKvCache(past);
    return { logits: lastRow(out[io.logits] as Tensor), cache: { length: total, layout: past.layout, capacity: total, tensors } };
  }

  private owned(tensor: Tensor): Tensor {
    if (tensor.location === 'gpu-buffer') this.deviceTensors.add(tensor);
    return tensor;
  }

  /** Adds the host-side tensors of a run's feeds or outputs to the transfer count (GPU devices only). */
  private count(tensors: Readonly<Record<string, Tensor>>, direction: keyof TransferCounts): void {
    if (this.device === 'cpu') return;
    for (const tensor of Object.values(tensors)) if (tensor.location === 'cpu') this.transferred[direction] += (tensor.data as ArrayBufferView).byteLength;
  }
}

/**
 * 'shared' when this graph computes the same logits with past and present bound to one buffer
 * (GroupQueryAttention's in-place mode), else 'packed'. Checked by running it: two one-token
 * steps each way must agree, so a graph that rejects the binding or reads it wrongly stays packed.
 * A graph that returns new rows (kvRowsRewrite.ts) is 'appended'; check it with appendedKvWorks.
 */
export async function detectKvLayout(session: InferenceSession, io: GraphIo): Promise<KvLayout> {
  if (io.kvOutputs === 'newRows') return 'appended';
  const packed = new DecoderSession(session, io, 'packed');
  // Fatal-only logging: a graph that rejects the binding is an expected answer here, not an error.
  const shared = new DecoderSession(session, io, 'shared', { logSeverityLevel: 4 });
  try {
    const ids = [0, 1];
    const expected = await packed.forward(ids.slice(1), (await packed.forward(ids.slice(0, 1), packed.emptyCache())).cache);
    // A capacity of 4 leaves unused rows after the filled ones, as in real use.
    const first = await shared.forward(ids.slice(0, 1), shared.reserve(shared.emptyCache(), 4));
    const actual = await shared.forward(ids.slice(1), first.cache);
    return sameLogits(expected.logits, actual.logits) ? 'shared' : 'packed';
  } catch {
    return 'packed';
  }
}

/**
 * Whether a graph rewritten to return new KV rows serves a cached, chunked run as one pass over
 * the whole prompt: first a token, then a two-token chunk, then a token, in buffers with unused
 * rows after the filled ones, against the four tokens at once. For a graph that appends after the
 * whole buffer this also checks that its attention honours the mask over the unused rows.
 */
export async function appendedKvWorks(session: InferenceSession, io: GraphIo): Promise<boolean> {
  const decoder = new DecoderSession(session, io, 'appended', { logSeverityLevel: 4 });
  try {
    const ids = [0, 1, 2, 3];
    // From an empty buffer: a graph that appends after the buffer sees no unfilled rows here.
    const whole = await decoder.forward(ids, decoder.emptyCache());
    let step = await decoder.forward(ids.slice(0, 1), decoder.reserve(decoder.emptyCache(), 6));
    step = await decoder.forward(ids.slice(1, 3), step.cache);
    step = await decoder.forward(ids.slice(3), step.cache);
    return sameLogits(whole.logits, step.logits);
  } catch {
    return false;
  }
}

/** Tokens per pass that a GPU decoder falls back to when longer passes compute wrong. */
export const SHORT_PASS_TOKENS = 16;

/**
 * Whether one 64-token pass gives the logits of the same tokens fed 16 at a time. On SwiftShader,
 * onnxruntime 1.30's WebGPU GroupQueryAttention computed passes of 32 tokens or more wrong
 * (logits off by ~1, and a wrong cache after them) while shorter passes and decoding matched the
 * CPU to 1e-5; a GPU decoder that fails this feeds prompts SHORT_PASS_TOKENS at a time.
 */
export async function longPassesWork(decoder: DecoderSession): Promise<boolean> {
  const ids = Array.from({ length: 4 * SHORT_PASS_TOKENS }, (_, i) => (i * 37 + 11) % 251);
  const whole = await decoder.forward(ids, decoder.emptyCache());
  let step: ForwardResult = { logits: new Float32Array(0), cache: decoder.emptyCache() };
  for (let at = 0; at < ids.length; at += SHORT_PASS_TOKENS) step = await decoder.forward(ids.slice(at, at + SHORT_PASS_TOKENS), step.cache);
  disposeKvCache(whole.cache);
  disposeKvCache(step.cache);
  return sameLogits(whole.logits, step.logits, 1e-3);
}

function sameLogits(expected: Float32Array, actual: Float32Array, tolerance = 1e-4): boolean {
  let scale = 0;
  let diff = 0;
  for (let i = 0; i < expected.length; i++) {
    scale = Math.max(scale, Math.abs(expected[i] as number));
    diff = Math.max(diff, Math.abs((expected[i] as number) - (actual[i] as number)));
  }
  return expected.length === actual.length && Number.isFinite(diff) && diff <= tolerance * Math.max(1, scale);
}

function cacheTensor(cache: KvCache, name: string): Tensor {
  const tensor = cache.tensors.get(name);
  if (!tensor) throw new RangeError(`the KV cache has no tensor for ${name}`);
  return tensor;
}

function intTensor(type: 'int64' | 'int32', values: readonly number[], dims: number[]): Tensor {
  if (type === 'int32') return new Tensor('int32', Int32Array.from(values), dims);
  return new Tensor('int64', BigInt64Array.from(values, (v) => BigInt(v)), dims);
}

/** A mask over a past buffer of `capacity` rows whose first `filled` hold tokens, then `added` new tokens. */
function maskTensor(type: 'int64' | 'int32', filled: number, capacity: number, added: number): Tensor {
  const length = capacity + added;
  if (type === 'int32') {
    const mask = new Int32Array(length).fill(1);
    mask.fill(0, filled, capacity);
    return new Tensor('int32', mask, [1, length]);
  }
  const mask = new BigInt64Array(length).fill(1n);
  mask.fill(0n, filled, capacity);
  return new Tensor('int64', mask, [1, length]);
}

/** The last sequence position of [1, seq, vocab] logits, as float32. */
function lastRow(logits: Tensor): Float32Array {
  const vocab = logits.dims[logits.dims.length - 1] as number;
  const data = logits.data;
  const start = data.length - vocab;
  if (data instanceof Float32Array) return data.slice(start);
  if (logits.type === 'float16' && data instanceof Uint16Array) {
    const out = new Float32Array(vocab);
    for (let i = 0; i < vocab; i++) out[i] = halfToFloat(data[start + i] as number);
    return out;
  }
  throw new EngineError('badModel', `The model's logits are ${logits.type}; only float32 and float16 are supported.`, 'Use an fp32, fp16 or quantized export.');
}

export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const fraction = h & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 0x1f) return fraction ? NaN : sign * Infinity;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

function describeGraph(session: InferenceSession, hints: GraphHints, file: string): GraphIo {
  const inputs = new Set(session.inputNames);
  const outputs = new Set(session.outputNames);
  const inName = (key: string, fallback: string): string => hints.inputNames?.[key] ?? fallback;
  const outName = (key: string, fallback: string): string => hints.outputNames?.[key] ?? fallback;
  const incompatible = (what: string): EngineError =>
    new EngineError(
      'badModel',
      `${file} is not a decoder-only text model Hearth can run: ${what}.`,
      'Use an ONNX export of a chat model with a KV cache (transformers.js/onnx-community or onnxruntime-genai).',
      file,
    );

  const inputIds = inName('input_ids', 'input_ids');
  if (!inputs.has(inputIds)) throw incompatible(`it has no '${inputIds}' input`);
  const logits = outName('logits', 'logits');
  if (!outputs.has(logits)) throw incompatible(`it has no '${logits}' output`);
  const optionalInput = (name: string): string | undefined => (inputs.has(name) ? name : undefined);

  const pastKeyPattern = inName('past_key_names', 'past_key_values.%d.key');
  const pastValuePattern = inName('past_value_names', 'past_key_values.%d.value');
  const presentKeyPattern = outName('present_key_names', 'present.%d.key');
  const presentValuePattern = outName('present_value_names', 'present.%d.value');
  const layers: LayerNames[] = [];
  let newRowLayers = 0;
  for (let i = 0; inputs.has(pastKeyPattern.replace('%d', String(i))); i++) {
    const names = {
      pastKey: pastKeyPattern.replace('%d', String(i)),
      pastValue: pastValuePattern.replace('%d', String(i)),
      presentKey: presentKeyPattern.replace('%d', String(i)),
      presentValue: presentValuePattern.replace('%d', String(i)),
    };
    if (!inputs.has(names.pastValue)) throw incompatible(`input '${names.pastValue}' is missing`);
    const rows = { presentKey: names.presentKey + NEW_ROWS_SUFFIX, presentValue: names.presentValue + NEW_ROWS_SUFFIX };
    if (outputs.has(rows.presentKey) && outputs.has(rows.presentValue)) {
      layers.push({ ...names, ...rows });
      newRowLayers++;
    } else if (outputs.has(names.presentKey) && outputs.has(names.presentValue)) {
      layers.push(names);
    } else {
      throw incompatible(`outputs '${names.presentKey}'/'${names.presentValue}' are missing`);
    }
  }
  if (layers.length === 0) throw incompatible(`it has no KV cache inputs ('${pastKeyPattern.replace('%d', '0')}')`);
  if (newRowLayers !== 0 && newRowLayers !== layers.length) throw incompatible('only some of its layers return new KV rows');
  if (hints.numLayers !== undefined && hints.numLayers !== layers.length) {
    throw incompatible(`the config says ${hints.numLayers} layers but the graph has ${layers.length}`);
  }

  const meta = session.inputMetadata.find((m) => m.name === layers[0]?.pastKey);
  const shape = meta?.isTensor ? meta.shape : [];
  const kvType = meta?.isTensor ? meta.type : 'float32';
  if (kvType !== 'float32' && kvType !== 'float16') throw incompatible(`its KV cache is ${kvType}`);
  const kvHeads = typeof shape[1] === 'number' ? shape[1] : hints.kvHeads;
  const headDim = typeof shape[3] === 'number' ? shape[3] : hints.headDim;
  if (!kvHeads || !headDim) throw incompatible('the KV cache shape is unknown (no num_key_value_heads/head_dim in the config)');

  const idMeta = session.inputMetadata.find((m) => m.name === inputIds);
  const idType = idMeta?.isTensor && idMeta.type === 'int32' ? 'int32' : 'int64';
  const logitsMeta = session.outputMetadata.find((m) => m.name === logits);
  const vocab = logitsMeta?.isTensor ? logitsMeta.shape.at(-1) : undefined;
  return {
    inputIds,
    attentionMask: optionalInput(inName('attention_mask', 'attention_mask')),
    positionIds: optionalInput(inName('position_ids', 'position_ids')),
    logitsToKeep: optionalInput('num_logits_to_keep') ?? optionalInput('logits_to_keep'),
    logits,
    layers,
    kvOutputs: newRowLayers > 0 ? 'newRows' : 'present',
    kvRowsAfter: 'filled',
    kvType,
    kvHeads,
    headDim,
    idType,
    ...(typeof vocab === 'number' ? { vocabSize: vocab } : {}),
  };
}
