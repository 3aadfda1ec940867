import * as assert from 'node:assert/strict';
import { Tensor } from 'onnxruntime-node';
import { type KvCache, compactKvCache, emptyKvCache, grownCapacity, reserveKvCache, sliceKvCache, writeKvRows } from '../../../src/engine/kvCache';

const NAME = 'past_key_values.0.key';

/** [1, 2 heads, capacity, 3 head_dim]; filled positions hold head*1000 + position*10 + dim. */
function sharedCacheOf(length: number, capacity: number, layout: 'shared' | 'appended' = 'shared'): KvCache {
  const data = new Float32Array(2 * capacity * 3).fill(-1);
  for (let h = 0; h < 2; h++) for (let p = 0; p < length; p++) for (let d = 0; d < 3; d++) data[(h * capacity + p) * 3 + d] = h * 1000 + p * 10 + d;
  return { length, layout, capacity, tensors: new Map([[NAME, new Tensor('float32', data, [1, 2, capacity, 3])]]) };
}

function rows(cache: KvCache, head: number): number[] {
  const t = cache.tensors.get(NAME);
  assert.ok(t);
  const data = t.data as Float32Array;
  const start = head * cache.capacity * 3;
  return [...data.subarray(start, start + cache.length * 3)];
}

describe('KV cache buffers', () => {
  it('an empty cache has no rows, in every layout', () => {
    for (const layout of ['packed', 'shared', 'appended'] as const) {
      const cache = emptyKvCache([NAME], 'float32', 2, 3, layout);
      assert.equal(cache.length, 0);
      assert.equal(cache.layout, layout);
      assert.deepEqual(cache.tensors.get(NAME)?.dims, [1, 2, 0, 3]);
    }
  });

  it('grows with headroom, so a growing cache is rarely reallocated', () => {
    for (const needed of [1, 31, 200, 1000, 2001, 32_768]) {
      const capacity = grownCapacity(needed);
      assert.ok(capacity >= needed + 32, `${needed} -> ${capacity}`);
      assert.ok(capacity <= needed + Math.ceil(needed / 32) + 64, `${needed} -> ${capacity} wastes too much`);
      assert.equal(capacity % 32, 0);
    }
  });

  it('reserving room copies every head\'s filled rows to the new stride', () => {
    for (const layout of ['shared', 'appended'] as const) {
      const before = sharedCacheOf(3, 4, layout);
      const expected = [rows(before, 0), rows(before, 1)];
      const after = reserveKvCache(before, 10);
      assert.ok(after.capacity >= 10);
      assert.equal(after.length, 3);
      assert.equal(after.layout, layout);
      assert.deepEqual(after.tensors.get(NAME)?.dims, [1, 2, after.capacity, 3]);
      assert.deepEqual([rows(after, 0), rows(after, 1)], expected);
    }
  });

  it('compacting a trimmed cache keeps its filled rows in buffers no larger than growth would make', () => {
    const trimmed = sliceKvCache(sharedCacheOf(500, 2080, 'appended'), 5);
    const expected = [rows(trimmed, 0), rows(trimmed, 1)];
    const compact = compactKvCache(trimmed, 6);
    assert.equal(compact.capacity, grownCapacity(6));
    assert.equal(compact.length, 5);
    assert.deepEqual(compact.tensors.get(NAME)?.dims, [1, 2, grownCapacity(6), 3]);
    assert.deepEqual([rows(compact, 0), rows(compact, 1)], expected);
    // A cache that grew to where it is stays as it is.
    const grown = sharedCacheOf(100, grownCapacity(90), 'appended');
    assert.equal(compactKvCache(grown, 101), grown);
  });

  it('reserving what already fits keeps the same buffers', () => {
    const cache = sharedCacheOf(3, 40);
    assert.equal(reserveKvCache(cache, 40), cache);
  });

  it('a packed cache is never reserved ahead (onnxruntime returns new tensors each step)', () => {
    const cache = emptyKvCache([NAME], 'float32', 2, 3, 'packed');
    assert.equal(reserveKvCache(cache, 100), cache);
  });

  it('trimming a shared cache keeps its buffers and only forgets the rows past the new length', () => {
    const cache = sharedCacheOf(5, 8);
    const trimmed = sliceKvCache(cache, 2);
    assert.equal(trimmed.length, 2);
    assert.equal(trimmed.capacity, 8);
    assert.equal(trimmed.tensors.get(NAME), cache.tensors.get(NAME));
    assert.deepEqual(rows(trimmed, 1), [1000, 1001, 1002, 1010, 1011, 1012]);
    assert.throws(() => sliceKvCache(cache, 6), RangeError);
  });

  it('new rows are written after each head\'s filled rows, leaving the rest alone', () => {
    const cache = sharedCacheOf(2, 5, 'appended');
    const tensor = cache.tensors.get(NAME);
    assert.ok(tensor);
    // Two new positions for 2 heads of 3 dims: head h, new row r holds 500 + h * 10 + r * 3 + d.
    const added = new Tensor('float32', Float32Array.from({ length: 12 }, (_, i) => 500 + Math.floor(i / 6) * 10 + (i % 6)), [1, 2, 2, 3]);
    writeKvRows(tensor, added, 2);
    const data = tensor.data as Float32Array;
    assert.deepEqual([...data.subarray(0, 15)], [0, 1, 2, 10, 11, 12, 500, 501, 502, 503, 504, 505, -1, -1, -1]);
    assert.deepEqual([...data.subarray(15, 30)], [1000, 1001, 1002, 1010, 1011, 1012, 510, 511, 512, 513, 514, 515, -1, -1, -1]);
    assert.throws(() => writeKvRows(tensor, added, 4), /do not fit/);
    assert.throws(() => writeKvRows(tensor, new Tensor('float32', new Float32Array(6), [1, 1, 2, 3]), 2), /do not fit/);
    assert.throws(() => writeKvRows(tensor, new Tensor('float16', new Uint16Array(12), [1, 2, 2, 3]), 2), /do not fit/);
  });

  it('float16 rows land in place with their bits unchanged', () => {
    const target = new Tensor('float16', new Uint16Array(2 * 4 * 1).fill(0xffff), [1, 2, 4, 1]);
    // 0x3c00 is 1.0 and 0x7e01 a NaN with a payload.
    writeKvRows(target, new Tensor('float16', Uint16Array.from([0x3c00, 0x7e01]), [1, 2, 1, 1]), 1);
    assert.deepEqual([...(target.data as Uint16Array)], [0xffff, 0x3c00, 0xffff, 0xffff, 0xffff, 0x7e01, 0xffff, 0xffff]);
  });
});
