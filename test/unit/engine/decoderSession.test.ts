// The KV cache must not change the numbers: feeding tokens one at a time with the cache gives
// the logits of a full recomputation, and both match the plain TypeScript reference forward.
import * as assert from 'node:assert/strict';
import { referenceLogits } from '../../../models/referenceForward';
import { loadModel, type LoadedModel } from '../../../src/engine';
import { detectKvLayout } from '../../../src/engine/decoderSession';
import { grownCapacity, sliceKvCache } from '../../../src/engine/kvCache';
import { modelDir } from './engineTestSupport';

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  assert.equal(a.length, b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  return m;
}

const ids = [17, 260, 301, 45, 99, 123, 7, 402, 88, 301, 12, 200];
/** Longer than a fresh shared cache's first capacity (64), so it has to grow on the way. */
const longIds = Array.from({ length: 90 }, (_, i) => (i * 37 + 11) % 500);

/** The layout each model gets by default, and the ones it can be asked for instead. */
const layouts = {
  'tiny-standard-tjs': { auto: 'appended', shared: 'packed' },
  'tiny-gqa-tjs': { auto: 'appended', shared: 'shared' },
  'tiny-gqa-genai': { auto: 'appended', shared: 'shared' },
} as const;

for (const name of ['tiny-standard-tjs', 'tiny-gqa-tjs', 'tiny-gqa-genai'] as const) {
  describe(`decoder session (${name})`, () => {
    let model: LoadedModel;
    let sharedModel: LoadedModel;
    let packedModel: LoadedModel;
    before(async () => {
      const dir = await modelDir(name);
      model = await loadModel(dir, { device: 'cpu', dtype: 'fp32', threads: 1 });
      sharedModel = await loadModel(dir, { device: 'cpu', dtype: 'fp32', threads: 1, kvCache: 'shared' });
      packedModel = await loadModel(dir, { device: 'cpu', dtype: 'fp32', threads: 1, kvCache: 'packed' });
    });
    after(async () => {
      await model.dispose();
      await sharedModel.dispose();
      await packedModel.dispose();
    });

    it('cached incremental decoding equals full recomputation', async () => {
      const decoder = model.decoder;
      const full = await decoder.forward(ids, decoder.emptyCache());
      let step = await decoder.forward(ids.slice(0, 5), decoder.emptyCache());
      for (const id of ids.slice(5)) step = await decoder.forward([id], step.cache);
      assert.equal(step.cache.length, ids.length);
      assert.ok(maxAbsDiff(full.logits, step.logits) < 1e-4, `max difference ${maxAbsDiff(full.logits, step.logits)}`);
    });

    it('keeps the KV cache in place, appending the new rows the rewritten graph returns', async () => {
      assert.equal(model.decoder.kvLayout, layouts[name].auto);
      assert.equal(model.decoder.io.kvOutputs, 'newRows');
      // GroupQueryAttention appends after the filled rows; a Concat after the whole buffer.
      assert.equal(model.decoder.io.kvRowsAfter, name === 'tiny-standard-tjs' ? 'capacity' : 'filled');
      assert.equal(await detectKvLayout(model.decoder.session, model.decoder.io), layouts[name].auto);
      // Without the rewrite, GroupQueryAttention still updates the cache in place; Concat cannot.
      assert.equal(sharedModel.decoder.kvLayout, layouts[name].shared);
      assert.equal(await detectKvLayout(sharedModel.decoder.session, sharedModel.decoder.io), layouts[name].shared);
      assert.equal(packedModel.decoder.kvLayout, 'packed');
    });

    it(name === 'tiny-standard-tjs' ? 'makes room for new rows after each pass, not ahead: the graph attends over the whole buffer' : 'reserves room ahead for a long prompt', async () => {
      const decoder = model.decoder;
      const first = await decoder.forward(ids.slice(0, 3), decoder.emptyCache());
      const reserved = decoder.reserve(first.cache, 500);
      if (name === 'tiny-standard-tjs') assert.equal(reserved.capacity, first.cache.capacity);
      else assert.ok(reserved.capacity >= 500, `capacity ${reserved.capacity}`);
      // Either way the next pass's rows fit.
      const next = await decoder.forward(longIds.slice(0, 60), reserved);
      assert.equal(next.cache.length, 63);
      assert.ok(next.cache.capacity >= 63);
      // A long cache trimmed to a short prefix (an edited message) does not keep the graph
      // working over hundreds of unused rows: reserved for the next prompt, it moves to smaller
      // buffers, and a standard-attention graph's forward pass shrinks it by itself.
      let long = next;
      while (long.cache.capacity < 300) long = await decoder.forward(longIds.slice(0, 60), long.cache);
      const trimmed = decoder.reserve(sliceKvCache(long.cache, 4), 10);
      assert.ok(trimmed.capacity <= grownCapacity(10), `capacity ${trimmed.capacity} reserved for 10 after trimming to 4`);
      assert.ok(trimmed.capacity >= (name === 'tiny-standard-tjs' ? 4 : 10));
      const resumed = await decoder.forward([5], trimmed);
      assert.equal(resumed.cache.length, 5);
      if (name === 'tiny-standard-tjs') {
        while (long.cache.capacity < 600) long = await decoder.forward(longIds.slice(0, 60), long.cache);
        const direct = await decoder.forward([5], sliceKvCache(long.cache, 4));
        assert.ok(direct.cache.capacity <= grownCapacity(5), `capacity ${direct.cache.capacity} after trimming to 4`);
      }
    });

    for (const which of ['auto', 'shared'] as const) {
      it(`gives the packed layout's logits with the ${which} layout, across growth and trimming of the cache`, async () => {
        const packed = packedModel.decoder;
        const decoder = (which === 'auto' ? model : sharedModel).decoder;
        const layout = decoder.kvLayout;
        // Packed: one forward pass per token after a 3-token prefill.
        let expected = await packed.forward(longIds.slice(0, 3), packed.emptyCache());
        for (const id of longIds.slice(3)) expected = await packed.forward([id], expected.cache);
        // This layout, starting with too little room so the cache must grow mid-answer.
        let actual = await decoder.forward(longIds.slice(0, 3), decoder.emptyCache());
        const firstCapacity = actual.cache.capacity;
        for (const id of longIds.slice(3)) actual = await decoder.forward([id], actual.cache);
        assert.equal(actual.cache.layout, layout);
        if (layout !== 'packed') assert.ok(actual.cache.capacity > firstCapacity, 'the cache should have grown');
        assert.ok(maxAbsDiff(expected.logits, actual.logits) < 1e-5, `max difference ${maxAbsDiff(expected.logits, actual.logits)}`);
        // Trim to the first 4 tokens and continue differently: as if those 4 were all that was fed.
        const other = [33, 44, 55];
        let resumed = await decoder.forward(other, sliceKvCache(actual.cache, 4));
        const fresh = await packed.forward([...longIds.slice(0, 4), ...other], packed.emptyCache());
        assert.equal(resumed.cache.length, 7);
        assert.ok(maxAbsDiff(fresh.logits, resumed.logits) < 1e-4, `max difference ${maxAbsDiff(fresh.logits, resumed.logits)}`);
        resumed = await decoder.forward([66], resumed.cache);
        const freshNext = await packed.forward([66], fresh.cache);
        assert.ok(maxAbsDiff(freshNext.logits, resumed.logits) < 1e-4);
      });
    }

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
