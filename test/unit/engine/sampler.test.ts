import * as assert from 'node:assert/strict';
import { createRandom } from '../../../src/engine/prng';
import { applyRepetitionPenalty, argmax, resolveSampling, sampleToken, topKIndices, type SamplingParams } from '../../../src/engine/sampler';

const base: SamplingParams = { temperature: 1, topK: 0, topP: 1, minP: 0, repetitionPenalty: 1 };

function histogram(logits: Float32Array, params: SamplingParams, draws: number, seed = 1): Map<number, number> {
  const random = createRandom(seed);
  const counts = new Map<number, number>();
  for (let i = 0; i < draws; i++) {
    const t = sampleToken(logits, params, random);
    counts.set(t, (counts.get(t) ?? 0) + 1);
  }
  return counts;
}

describe('sampler', () => {
  const logits = Float32Array.from([1, 3, 2, 0.5, 2.9]);

  it('is greedy at temperature 0', () => {
    assert.equal(sampleToken(logits, { ...base, temperature: 0 }, createRandom(1)), 1);
    assert.equal(argmax(logits), 1);
  });

  it('finds the top k largest logits in order', () => {
    assert.deepEqual(topKIndices(logits, 3), [1, 4, 2]);
    assert.deepEqual(topKIndices(logits, 0), [1, 4, 2, 0, 3]);
  });

  it('never samples outside the top k', () => {
    const counts = histogram(logits, { ...base, topK: 2 }, 500);
    assert.deepEqual([...counts.keys()].sort(), [1, 4]);
  });

  it('keeps only the nucleus with top-p', () => {
    // softmax of [10, 9, 0, 0, 0]: the two top tokens hold > 99.9 % of the mass.
    const peaked = Float32Array.from([10, 9, 0, 0, 0]);
    const counts = histogram(peaked, { ...base, topP: 0.9 }, 500);
    assert.deepEqual([...counts.keys()].sort(), [0, 1]);
  });

  it('drops tokens below min-p times the top probability', () => {
    // p ∝ e^2, e^1.9, e^0: with minP 0.5 only the first two survive.
    const counts = histogram(Float32Array.from([2, 1.9, 0]), { ...base, minP: 0.5 }, 500);
    assert.deepEqual([...counts.keys()].sort(), [0, 1]);
  });

  it('samples in proportion to the probabilities', () => {
    const counts = histogram(Float32Array.from([Math.log(3), 0]), base, 4000);
    const share = (counts.get(0) ?? 0) / 4000;
    assert.ok(Math.abs(share - 0.75) < 0.03, `share of token 0 was ${share}`);
  });

  it('is reproducible with a seed and differs across seeds', () => {
    const params = { ...base, temperature: 1.5 };
    const run = (seed: number): number[] => {
      const random = createRandom(seed);
      return Array.from({ length: 40 }, () => sampleToken(logits, params, random));
    };
    assert.deepEqual(run(7), run(7));
    assert.notDeepEqual(run(7), run(8));
  });

  it('penalizes repeated tokens like Hugging Face (divide positives, multiply negatives)', () => {
    const l = Float32Array.from([2, -2, 1]);
    applyRepetitionPenalty(l, [0, 1], 2);
    assert.deepEqual([...l], [1, -4, 1]);
  });

  it('uses the model defaults unless overridden, greedy when the model does not sample', () => {
    assert.equal(resolveSampling({ doSample: false, temperature: 0.7 }, {}).temperature, 0);
    const s = resolveSampling({ doSample: true, temperature: 0.7, topK: 20, topP: 0.8 }, { topP: 0.5 });
    assert.deepEqual(s, { temperature: 0.7, topK: 20, topP: 0.5, minP: 0, repetitionPenalty: 1 });
    assert.equal(resolveSampling({ doSample: false }, { temperature: 0.3 }).temperature, 0.3);
  });
});
