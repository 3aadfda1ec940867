// hearth.local.int4Compute: the MatMulNBits accuracy_level rewrite, and a model loaded with it.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadModel } from '../../../src/engine';
import { matMulNBitsAccuracyLevels, withMatMulNBitsAccuracy } from '../../../src/engine/int4Compute';
import { answer, greedy, modelDir } from './engineTestSupport';

const ids = [17, 260, 301, 45, 99, 123, 7, 402, 88, 301, 12, 200];

describe('int4 compute (MatMulNBits accuracy_level)', () => {
  it('sets accuracy_level on every MatMulNBits node, adding or replacing the attribute', async () => {
    const original = readFileSync(join(await modelDir('tiny-gqa-tjs'), 'onnx/model_q4.onnx'));
    // The generator writes accuracy_level 0 on each of the 15 int4 projections (7 per layer, and the output head).
    assert.deepEqual(matMulNBitsAccuracyLevels(original), Array(15).fill(0));
    const int8 = withMatMulNBitsAccuracy(original, 4);
    assert.equal(int8.nodes, 15);
    assert.deepEqual(matMulNBitsAccuracyLevels(int8.bytes), Array(15).fill(4));
    // Patching the patched model replaces the attribute rather than adding a second one.
    const fp32 = withMatMulNBitsAccuracy(int8.bytes, 1);
    assert.deepEqual(matMulNBitsAccuracyLevels(fp32.bytes), Array(15).fill(1));
    assert.equal(fp32.bytes.length, int8.bytes.length);
    // And back to the original level gives the original bytes: nothing else was touched.
    assert.deepEqual(Buffer.from(withMatMulNBitsAccuracy(int8.bytes, 0).bytes), original);
  });

  it('leaves a model without int4 weights byte for byte alone', async () => {
    const fp32Model = readFileSync(join(await modelDir('tiny-gqa-tjs'), 'onnx/model.onnx'));
    const patched = withMatMulNBitsAccuracy(fp32Model, 4);
    assert.equal(patched.nodes, 0);
    assert.deepEqual(Buffer.from(patched.bytes), fp32Model);
  });

  it('rejects bytes that are not a protobuf message', () => {
    assert.throws(() => withMatMulNBitsAccuracy(Uint8Array.from([0x3a, 0xff, 0xff, 0x7f, 0x01]), 4), /runs past the end|truncated/);
  });

  it('loads an int8-compute model with external weights, reports it, and its logits stay close', async function () {
    this.timeout(60_000);
    // The genai layout keeps its weights in model.onnx.data: loading patched bytes must still find them.
    const dir = await modelDir('tiny-gqa-genai');
    const exact = await loadModel(dir, { device: 'cpu', threads: 1 });
    const fast = await loadModel(dir, { device: 'cpu', threads: 1, int4Compute: 'int8' });
    try {
      assert.equal(exact.info.int4Compute, 'model');
      assert.equal(exact.info.int4MatMulsChanged, 0);
      assert.equal(fast.info.int4Compute, 'int8');
      assert.equal(fast.info.int4MatMulsChanged, 15);
      const a = (await exact.decoder.forward(ids, exact.decoder.emptyCache())).logits;
      const b = (await fast.decoder.forward(ids, fast.decoder.emptyCache())).logits;
      let scale = 0;
      let diff = 0;
      for (let i = 0; i < a.length; i++) {
        scale = Math.max(scale, Math.abs(a[i] as number));
        diff = Math.max(diff, Math.abs((a[i] as number) - (b[i] as number)));
      }
      assert.ok(diff > 0, 'int8 compute changes the numbers, so the setting took effect');
      assert.ok(diff < 0.05 * scale, `int8 logits drift too far: ${diff} against a scale of ${scale}`);
      const reply = await answer(fast, { messages: [{ role: 'user', content: 'Hello' }], maxNewTokens: 6, minNewTokens: 6, sampling: greedy });
      assert.equal(reply.result.usage.completionTokens, 6);
    } finally {
      await exact.dispose();
      await fast.dispose();
    }
  });
});
