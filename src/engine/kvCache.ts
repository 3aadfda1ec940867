// The attention KV cache: one key and one value tensor per layer, shaped
// [batch=1, kv_heads, capacity, head_dim], of which the first `length` positions are filled.
//
// Three layouts. 'packed' (any graph): capacity == length, and every forward pass returns a new,
// one-token-longer set of tensors (onnxruntime copies the past into the present, then the binding
// copies the present into JS: three copies of the cache alive per step). 'shared' and 'appended'
// keep preallocated buffers with room to grow: 'shared' (GroupQueryAttention graphs) binds them as
// both past and present, so the operator writes its new rows in place (but onnxruntime-node still
// hands back a copy of every present output, which is dropped); 'appended' (GroupQueryAttention or
// standard attention) runs a graph rewritten to return only the new rows (kvRowsRewrite.ts), which
// the engine copies in. Rows at or past `length` are unused, which also makes trimming a cached
// prefix free.
//
// 'device' (a GPU that can keep outputs on itself): like 'packed', each pass returns new tensors,
// but they stay on the device ('gpu-buffer') and are fed back as they are; the host never sees
// them. Their data cannot be read (getData() aborts the process), only disposed, and trimming one
// takes a run on the device (deviceKvTrim.ts).
import { Tensor } from 'onnxruntime-node';

export type KvDataType = 'float32' | 'float16';
export type KvLayout = 'packed' | 'shared' | 'appended' | 'device';

export interface KvCache {
  /** Tokens the cache covers. */
  readonly length: number;
  readonly layout: KvLayout;
  /** Sequence positions each tensor holds (== length when packed). */
  readonly capacity: number;
  /** past_key_values input name -> tensor. */
  readonly tensors: ReadonlyMap<string, Tensor>;
}

type KvData = Float32Array | Uint16Array;

function allocate(type: KvDataType, elements: number): KvData {
  return type === 'float16' ? new Uint16Array(elements) : new Float32Array(elements);
}

export function emptyKvCache(names: readonly string[], type: KvDataType, kvHeads: number, headDim: number, layout: KvLayout = 'packed'): KvCache {
  const tensors = new Map<string, Tensor>();
  for (const name of names) tensors.set(name, new Tensor(type, allocate(type, 0), [1, kvHeads, 0, headDim]));
  return { length: 0, layout, capacity: 0, tensors };
}

/** Capacity to allocate for `needed` positions: room to grow, so a growing cache is rarely copied. */
export function grownCapacity(needed: number): number {
  const headroom = Math.max(32, Math.ceil(needed / 32));
  return Math.ceil((needed + headroom) / 32) * 32;
}

/**
 * A cache with preallocated rows ('shared' or 'appended') that holds at least `needed` positions:
 * the same cache when it already does, else new buffers with each head's filled rows copied over.
 * The source must not be used afterwards. Packed caches are returned as they are (onnxruntime sizes their next tensors).
 */
export function reserveKvCache(cache: KvCache, needed: number): KvCache {
  if (cache.layout === 'packed' || cache.layout === 'device' || needed <= cache.capacity) return cache;
  return withCapacity(cache, grownCapacity(needed));
}

/**
 * A preallocated cache whose buffers hold no more rows than a cache grown to `needed` would: the
 * same cache, or, after a long cached prefix was trimmed, its filled rows in smaller buffers. For
 * a graph that attends over the whole buffer, every unused row costs work in every pass.
 * The source must not be used afterwards.
 */
export function compactKvCache(cache: KvCache, needed: number): KvCache {
  const capacity = grownCapacity(needed);
  if (cache.layout === 'packed' || cache.layout === 'device' || cache.capacity <= capacity) return cache;
  return withCapacity(cache, capacity);
}

/** The cache in new buffers of `capacity` rows, each head's filled rows copied over. */
function withCapacity(cache: KvCache, capacity: number): KvCache {
  const tensors = new Map<string, Tensor>();
  for (const [name, tensor] of cache.tensors) {
    const [batch, heads, oldCapacity, headDim] = tensor.dims as [number, number, number, number];
    const from = tensor.data as KvData;
    const to = allocate(tensor.type as KvDataType, batch * heads * capacity * headDim);
    const rows = cache.length * headDim;
    for (let h = 0; h < batch * heads; h++) {
      to.set(from.subarray(h * oldCapacity * headDim, h * oldCapacity * headDim + rows), h * capacity * headDim);
    }
    tensors.set(name, new Tensor(tensor.type as KvDataType, to, [batch, heads, capacity, headDim]));
  }
  return { length: cache.length, layout: cache.layout, capacity, tensors };
}

/**
 * The first `length` tokens of a cache, inside the same buffers: no second copy of a cache that
 * can be tens of MB. The source cache must not be used afterwards.
 */
export function sliceKvCache(cache: KvCache, length: number): KvCache {
  if (length === cache.length) return cache;
  if (length > cache.length) throw new RangeError(`cannot slice a ${cache.length}-token KV cache to ${length}`);
  if (cache.layout === 'device') throw new RangeError('a device-resident KV cache is trimmed on the device (DecoderSession.trim)');
  // Preallocated rows: the rows past `length` are simply no longer read.
  if (cache.layout !== 'packed') return { ...cache, length };
  const tensors = new Map<string, Tensor>();
  for (const [name, tensor] of cache.tensors) tensors.set(name, sliceSequence(tensor, length));
  return { length, layout: 'packed', capacity: length, tensors };
}

function sliceSequence(tensor: Tensor, length: number): Tensor {
  const [batch, heads, seq, headDim] = tensor.dims as [number, number, number, number];
  const data = tensor.data as KvData;
  const rowOut = length * headDim;
  const rowIn = seq * headDim;
  // Head h's first `length` rows move to h * rowOut; each target lies at or before its source.
  for (let h = 1; h < batch * heads; h++) data.copyWithin(h * rowOut, h * rowIn, h * rowIn + rowOut);
  return new Tensor(tensor.type as KvDataType, data.subarray(0, batch * heads * rowOut), [batch, heads, length, headDim]);
}

/**
 * Copies `rows` ([batch, heads, n, head_dim]: what one forward pass added) into a preallocated
 * cache tensor at positions [at, at + n) of each head.
 */
export function writeKvRows(target: Tensor, rows: Tensor, at: number): void {
  const [batch, heads, capacity, headDim] = target.dims as [number, number, number, number];
  const n = rows.dims[2] as number;
  if (rows.dims.length !== 4 || rows.dims[1] !== heads || rows.dims[3] !== headDim || at + n > capacity || rows.type !== target.type) {
    throw new RangeError(`KV rows ${rows.type}[${rows.dims.join(', ')}] do not fit at ${at} of a ${target.type}[${target.dims.join(', ')}] cache`);
  }
  // Copied as bytes: float16 data may come as Uint16Array or Float16Array, and set() between
  // those would convert the values instead of copying them.
  const to = bytesOf(target.data as KvData);
  const from = bytesOf(rows.data as KvData);
  const rowBytes = headDim * (to.length / (batch * heads * capacity * headDim));
  const block = n * rowBytes;
  for (let h = 0; h < batch * heads; h++) to.set(from.subarray(h * block, (h + 1) * block), (h * capacity + at) * rowBytes);
}

function bytesOf(data: ArrayBufferView): Uint8Array {
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/**
 * Releases a cache's device tensors (their memory goes back to onnxruntime's device allocator at
 * once rather than whenever V8 collects the handles). Host tensors are left to the garbage collector:
 * a trimmed packed cache may share their buffers.
 */
export function disposeKvCache(cache: KvCache): void {
  for (const tensor of cache.tensors.values()) if (tensor.location === 'gpu-buffer') tensor.dispose();
}
