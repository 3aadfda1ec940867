// The attention KV cache: one key and one value tensor per layer, shaped
// [batch=1, kv_heads, sequence, head_dim], covering `length` tokens.
import { Tensor } from 'onnxruntime-node';

export interface KvCache {
  /** Tokens the cache covers. */
  readonly length: number;
  /** past_key_values input name -> tensor. */
  readonly tensors: ReadonlyMap<string, Tensor>;
}

export type KvDataType = 'float32' | 'float16';

export function emptyKvCache(names: readonly string[], type: KvDataType, kvHeads: number, headDim: number): KvCache {
  const tensors = new Map<string, Tensor>();
  for (const name of names) {
    const data = type === 'float16' ? new Uint16Array(0) : new Float32Array(0);
    tensors.set(name, new Tensor(type, data, [1, kvHeads, 0, headDim]));
  }
  return { length: 0, tensors };
}

/**
 * The first `length` tokens of a cache, compacted inside the same buffers: no second copy of a
 * cache that can be tens of MB. The source cache must not be used afterwards.
 */
export function sliceKvCache(cache: KvCache, length: number): KvCache {
  if (length === cache.length) return cache;
  if (length > cache.length) throw new RangeError(`cannot slice a ${cache.length}-token KV cache to ${length}`);
  const tensors = new Map<string, Tensor>();
  for (const [name, tensor] of cache.tensors) tensors.set(name, sliceSequence(tensor, length));
  return { length, tensors };
}

function sliceSequence(tensor: Tensor, length: number): Tensor {
  const [batch, heads, seq, headDim] = tensor.dims as [number, number, number, number];
  const data = tensor.data as Float32Array | Uint16Array;
  const rowOut = length * headDim;
  const rowIn = seq * headDim;
  // Head h's first `length` rows move to h * rowOut; each target lies at or before its source.
  for (let h = 1; h < batch * heads; h++) data.copyWithin(h * rowOut, h * rowIn, h * rowIn + rowOut);
  return new Tensor(tensor.type as KvDataType, data.subarray(0, batch * heads * rowOut), [batch, heads, length, headDim]);
}
