// The generated tiny models run in onnxruntime-node and compute what the plain TypeScript reference
// computes, with and without a KV cache.
import * as assert from 'node:assert/strict';
import type { Dtype } from '../../../models/qwen2Graph';
import { referenceLogits } from '../../../models/referenceForward';
import { ensureModel, type TestModelName } from '../../../models/testModels';
import { DecoderRunner, maxAbsDiff } from './decoderRunner';

const TOLERANCE = 1e-4;
const PROMPT = [17, 301, 5, 88, 460, 12, 250, 99, 3, 401, 77];

const cases: { name: TestModelName; dtype: Dtype; inputs: string[] }[] = [
  { name: 'tiny-standard-tjs', dtype: 'fp32', inputs: ['input_ids', 'attention_mask', 'position_ids', 'num_logits_to_keep'] },
  { name: 'tiny-standard-tjs-external', dtype: 'fp32', inputs: ['input_ids', 'attention_mask', 'position_ids', 'num_logits_to_keep'] },
  { name: 'tiny-gqa-tjs', dtype: 'fp32', inputs: ['input_ids', 'attention_mask'] },
  { name: 'tiny-gqa-tjs', dtype: 'q4', inputs: ['input_ids', 'attention_mask'] },
  { name: 'tiny-standard-genai', dtype: 'fp32', inputs: ['input_ids', 'attention_mask', 'position_ids', 'num_logits_to_keep'] },
  { name: 'tiny-gqa-genai', dtype: 'q4', inputs: ['input_ids', 'attention_mask'] },
];

for (const c of cases) {
  describe(`generated model ${c.name} (${c.dtype})`, () => {
    let dir: string;
    let runner: DecoderRunner;
    let reference: Float32Array[];

    before(async () => {
      dir = await ensureModel(c.name);
      runner = await DecoderRunner.open(dir, c.dtype);
      reference = referenceLogits(dir, PROMPT, c.dtype);
    });
    after(async () => runner.release());

    it('declares the expected inputs and outputs', () => {
      const past = ['past_key_values.0.key', 'past_key_values.0.value', 'past_key_values.1.key', 'past_key_values.1.value'];
      assert.deepEqual([...runner.session.inputNames].sort(), [...c.inputs, ...past].sort());
      assert.deepEqual(runner.session.outputNames, ['logits', 'present.0.key', 'present.0.value', 'present.1.key', 'present.1.value']);
    });

    it('matches the reference logits with an empty past', async () => {
      const { logits, present } = await runner.step(PROMPT, runner.emptyPast(), 0);
      assert.equal(logits.length, PROMPT.length);
      logits.forEach((row, p) => assert.ok(maxAbsDiff(row, reference[p]) < TOLERANCE, `position ${p} differs by ${maxAbsDiff(row, reference[p])}`));
      assert.deepEqual(present['present.1.value'].dims, [1, 2, PROMPT.length, 16]);
    });

    it('gives the same logits from the KV cache as from full recomputation', async () => {
      const split = 6;
      const prefill = await runner.step(PROMPT.slice(0, split), runner.emptyPast(), 0);
      // One token at a time after the prefill ...
      let past = prefill.present;
      for (let p = split; p < split + 2; p++) {
        const next = await runner.step([PROMPT[p]], past, p);
        assert.ok(maxAbsDiff(next.logits[next.logits.length - 1], reference[p]) < TOLERANCE, `decode at ${p}`);
        past = next.present;
      }
      // ... and a multi-token chunk on top of a past (a follow-up turn).
      const chunk = await runner.step(PROMPT.slice(split + 2), past, split + 2);
      chunk.logits.forEach((row, i) => {
        const p = split + 2 + i;
        assert.ok(maxAbsDiff(row, reference[p]) < TOLERANCE, `chunk position ${p} differs by ${maxAbsDiff(row, reference[p])}`);
      });
      assert.deepEqual(chunk.present['present.0.key'].dims, [1, 2, PROMPT.length, 16]);
    });

    if (c.inputs.includes('num_logits_to_keep')) {
      it('returns only the last N positions when num_logits_to_keep is N', async () => {
        const { logits } = await runner.step(PROMPT, runner.emptyPast(), 0, 2);
        assert.equal(logits.length, 2);
        assert.ok(maxAbsDiff(logits[1], reference[PROMPT.length - 1]) < TOLERANCE);
        assert.ok(maxAbsDiff(logits[0], reference[PROMPT.length - 2]) < TOLERANCE);
      });
    }
  });
}
