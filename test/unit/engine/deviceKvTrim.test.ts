// The Slice graph that trims a device-resident KV cache, run here on the CPU provider (the GPU tier
// runs it on WebGPU): each tensor keeps its first n positions of every head, nothing else changes.
import * as assert from 'node:assert/strict';
import { Tensor } from 'onnxruntime-node';
import { DeviceKvTrimmer } from '../../../src/engine/deviceKvTrim';

describe('DeviceKvTrimmer', () => {
  const trimmer = new DeviceKvTrimmer('cpu', 2, 'float32');
  after(() => trimmer.release());

  it('keeps the first n positions of each head, of every tensor, in one run', async () => {
    // [1, heads 2, seq 4, dim 3]: value = head * 100 + position * 10 + d.
    const make = (offset: number): Tensor => {
      const data = new Float32Array(24);
      for (let h = 0; h < 2; h++) for (let p = 0; p < 4; p++) for (let d = 0; d < 3; d++) data[(h * 4 + p) * 3 + d] = offset + h * 100 + p * 10 + d;
      return new Tensor('float32', data, [1, 2, 4, 3]);
    };
    const [a, b] = await trimmer.trim([make(0), make(1000)], 2);
    assert.deepEqual(a?.dims, [1, 2, 2, 3]);
    assert.deepEqual([...(a?.data as Float32Array)], [0, 1, 2, 10, 11, 12, 100, 101, 102, 110, 111, 112]);
    assert.deepEqual([...(b?.data as Float32Array)].slice(0, 3), [1000, 1001, 1002]);
  });

  it('slices float16 caches as float16', async () => {
    const half = new DeviceKvTrimmer('cpu', 1, 'float16');
    try {
      const [t] = await half.trim([new Tensor('float16', Uint16Array.from([1, 2, 3, 4]), [1, 1, 4, 1])], 3);
      assert.equal(t?.type, 'float16');
      assert.deepEqual(t?.dims, [1, 1, 3, 1]);
    } finally {
      await half.release();
    }
  });

  it('refuses a tensor count it was not made for', async () => {
    await assert.rejects(trimmer.trim([new Tensor('float32', new Float32Array(3), [1, 1, 1, 3])], 1), RangeError);
  });
});
