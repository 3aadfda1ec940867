// The KV cache must not change the numbers: feeding tokens one at a time with the cache gives
// the logits of a full recomputation, and both match the plain TypeScript reference forward.
import * as assert from 'node:assert/strict';
import { referenceLogits } from '../../../models/referenceForward';
import { loadModel, type LoadedModel } from '../../../src/engine';
import { modelDir } from './engineTestSupport';

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  assert.equal(a.length, b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  return m;
}

const ids = [17, 260, 301, 45, 99, 123, 7, 402, 88, 301, 12, 200];

for (const name of ['tiny-standard-tjs', 'tiny-gqa-tjs', 'tiny-gqa-genai'] as const) {
  describe(`decoder session (${name})`, () => {
    let model: LoadedModel;
    before(async () => {
      model = await loadModel(await modelDir(name), { device: 'cpu', dtype: 'fp32', threads: 1 });
    });
    after(() => model.dispose());

    it('cached incremental decoding equals full recomputation', async () => {
      const decoder = model.decoder;
      const full = await decoder.forward(ids, decoder.emptyCache());
      let step = await decoder.forward(ids.slice(0, 5), decoder.emptyCache());
      for (const id of ids.slice(5)) step = await decoder.forward([id], step.cache);
      assert.equal(step.cache.length, ids.length);
      assert.ok(maxAbsDiff(full.logits, step.logits) < 1e-4, `max difference ${maxAbsDiff(full.logits, step.logits)}`);
    });

    it('matches the reference forward pass', async () => {
      const decoder = model.decoder;
      const out = await decoder.forward(ids, decoder.emptyCache());
      const reference = referenceLogits(await modelDir(name), ids).at(-1);
      assert.ok(reference);
      const diff = maxAbsDiff(out.logits, Float32Array.from(reference));
      assert.ok(diff < 2e-3, `max difference to the reference ${diff}`);
    });
  });
}
