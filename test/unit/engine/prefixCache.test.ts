import * as assert from 'node:assert/strict';
import { Tensor } from 'onnxruntime-node';
import { type KvCache, sliceKvCache } from '../../../src/engine/kvCache';
import { PrefixCache, commonPrefixLength } from '../../../src/engine/prefixCache';

function cacheOf(length: number): KvCache {
  // [1, 2 heads, length, 3 head_dim], value = head*1000 + position*10 + dim
  const data = new Float32Array(2 * length * 3);
  for (let h = 0; h < 2; h++) for (let p = 0; p < length; p++) for (let d = 0; d < 3; d++) data[(h * length + p) * 3 + d] = h * 1000 + p * 10 + d;
  return { length, layout: 'packed', capacity: length, tensors: new Map([['past_key_values.0.key', new Tensor('float32', data, [1, 2, length, 3])]]) };
}

describe('prefix cache', () => {
  it('finds the longest common prefix', () => {
    assert.equal(commonPrefixLength([1, 2, 3, 4], [1, 2, 9]), 2);
    assert.equal(commonPrefixLength([1, 2], [1, 2, 3]), 2);
    assert.equal(commonPrefixLength([], [1]), 0);
  });

  it('slices KV tensors along the sequence axis, per head', () => {
    const sliced = sliceKvCache(cacheOf(5), 2);
    const t = sliced.tensors.get('past_key_values.0.key');
    assert.ok(t);
    assert.deepEqual(t.dims, [1, 2, 2, 3]);
    assert.deepEqual([...(t.data as Float32Array)], [0, 1, 2, 10, 11, 12, 1000, 1001, 1002, 1010, 1011, 1012]);
    assert.equal(sliced.length, 2);
  });

  it('evicts the least recently used conversation', () => {
    const cache = new PrefixCache(2);
    cache.put('a', { ids: [1], kv: cacheOf(1) });
    cache.put('b', { ids: [1], kv: cacheOf(1) });
    const a = cache.take('a');
    assert.ok(a);
    cache.put('a', a); // a is now the most recent
    cache.put('c', { ids: [1], kv: cacheOf(1) });
    assert.equal(cache.take('b'), undefined);
    assert.ok(cache.take('a'));
    assert.ok(cache.take('c'));
  });
});
