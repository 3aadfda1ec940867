// Float16 models (the GPU variants auto dtype picks on a GPU) on the CPU, the device they fall back
// to: the cache stays float16 from step to step, and the logits equal the TypeScript reference to
// float16 precision. The GroupQueryAttention graphs read and write the cache inputs themselves, as
// real fp16 exports do (models/qwen2Graph.ts says what a Cast in between did on WebGPU).
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { referenceLogits } from '../../../models/referenceForward';
import type { TestModelName } from '../../../models/testModels';
import { loadModel } from '../../../src/engine';
import { graphFields, ONNX, subfields, text, WIRE_LEN } from '../../../src/engine/onnxProtobuf';
import { maxAbsDiff } from '../models/decoderRunner';
import { modelDir } from './engineTestSupport';

const PROMPT = [17, 301, 5, 88, 460, 12, 250, 99];
// Logits of the tiny models stay within about ±6; float16 keeps 11 significant bits, and the attention
// of the gqa models runs in float16 on float16 caches: measured 0.009 (gqa) and 0.004 (standard).
const TOLERANCE = 2e-2;

/** [opType, inputs] of each node of the model's graph. */
function nodesOf(file: string): { opType: string; inputs: string[] }[] {
  const model = new Uint8Array(readFileSync(file));
  return (graphFields(model) ?? [])
    .filter((f) => f.no === ONNX.graph.node && f.wire === WIRE_LEN)
    .map((node) => {
      const parts = subfields(model, node);
      const opType = parts.find((p) => p.no === ONNX.node.opType);
      return { opType: opType ? text(model, opType) : '', inputs: parts.filter((p) => p.no === ONNX.node.input).map((p) => text(model, p)) };
    });
}

// A genai folder holds one model.onnx, whose dtype the engine reports as it was exported.
const cases: { name: TestModelName; gqa: boolean; dtype: string }[] = [
  { name: 'tiny-gqa-tjs-fp16', gqa: true, dtype: 'fp16' },
  { name: 'tiny-gqa-genai-fp16', gqa: true, dtype: 'as exported' },
  { name: 'tiny-standard-tjs-fp16', gqa: false, dtype: 'fp16' },
  { name: 'tiny-gqa-tjs-q4f16', gqa: true, dtype: 'q4f16' },
];

for (const c of cases) {
  describe(`float16 model ${c.name} on the CPU`, () => {
    it('keeps a float16 cache and gives the reference logits to float16 precision, prefill and decode', async () => {
      const dir = await modelDir(c.name);
      const model = await loadModel(dir, { device: 'cpu', threads: 1, dtype: c.dtype === 'q4f16' ? 'q4f16' : 'fp16' });
      try {
        assert.equal(model.info.dtype, c.dtype);
        assert.equal(model.decoder.io.kvType, 'float16');
        const reference = referenceLogits(dir, PROMPT, c.dtype === 'q4f16' ? 'q4f16' : 'fp16');
        let step = await model.decoder.forward(PROMPT.slice(0, 5), model.decoder.emptyCache());
        for (let p = 5; p < PROMPT.length; p++) {
          assert.ok(maxAbsDiff(step.logits, reference[p - 1] as Float32Array) < TOLERANCE, `position ${p - 1}: ${maxAbsDiff(step.logits, reference[p - 1] as Float32Array)}`);
          step = await model.decoder.forward([PROMPT[p] as number], step.cache);
          assert.deepEqual(new Set([...step.cache.tensors.values()].map((t) => t.type)), new Set(['float16']));
        }
        const last = reference.at(-1) as Float32Array;
        assert.ok(maxAbsDiff(step.logits, last) < TOLERANCE, `last position: ${maxAbsDiff(step.logits, last)}`);
      } finally {
        await model.dispose();
      }
    });

    if (c.gqa) {
      it('feeds each GroupQueryAttention its past_key_values inputs directly', async () => {
        const dir = await modelDir(c.name);
        const model = await loadModel(dir, { device: 'cpu', threads: 1 });
        const file = join(dir, model.info.modelFile);
        await model.dispose();
        const attention = nodesOf(file).filter((n) => n.opType === 'GroupQueryAttention');
        assert.equal(attention.length, 2);
        attention.forEach((node, layer) => assert.deepEqual(node.inputs.slice(3, 5), [`past_key_values.${layer}.key`, `past_key_values.${layer}.value`]));
      });
    }
  });
}

describe('a folder with only the GPU file (q4f16), on the CPU', () => {
  it('auto dtype runs the q4f16 file it has rather than failing for want of q4', async () => {
    const model = await loadModel(await modelDir('tiny-gqa-tjs-q4f16'), { device: 'cpu', threads: 1 });
    try {
      assert.equal(model.info.dtype, 'q4f16');
      assert.equal(model.info.modelFile, 'onnx/model_q4f16.onnx');
      assert.equal(model.decoder.io.kvType, 'float16');
    } finally {
      await model.dispose();
    }
  });
});
