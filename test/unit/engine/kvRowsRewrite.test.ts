// The graph rewrite behind the 'appended' KV layout: GroupQueryAttention graphs return the rows a
// forward pass adds instead of the whole cache, and the rows equal the ones the graph as exported
// appends to its present output.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { DecoderSession, appendedKvWorks } from '../../../src/engine/decoderSession';
import { NEW_ROWS_SUFFIX, withNewKvRowOutputs } from '../../../src/engine/kvRowsRewrite';
import { modelDir } from './engineTestSupport';

const names = { inputIds: 'input_ids', attentionMask: 'attention_mask' };
type Name = 'tiny-gqa-tjs' | 'tiny-gqa-genai' | 'tiny-standard-tjs';

async function fileOf(name: Name): Promise<string> {
  return join(await modelDir(name), name === 'tiny-gqa-genai' ? 'model.onnx' : 'onnx/model.onnx');
}

async function graphOf(name: Name): Promise<Uint8Array> {
  return readFileSync(await fileOf(name));
}

/** Session options that find the genai layout's external weights when the graph is loaded from bytes. */
async function sessionOptionsFor(name: Name): Promise<InferenceSession.SessionOptions> {
  const folder = join(await fileOf(name), '..');
  return { intraOpNumThreads: 1, logSeverityLevel: 3, extra: { session: { model_external_initializers_file_folder_path: folder } } };
}

/** Feeds for `ids` after `past` positions, with zeroed past buffers of `capacity` rows. */
function feedsFor(session: InferenceSession, ids: number[], past: number, capacity: number, cache?: Map<string, Tensor>): Record<string, Tensor> {
  const total = past + ids.length;
  const feeds: Record<string, Tensor> = {
    input_ids: new Tensor('int64', BigInt64Array.from(ids, BigInt), [1, ids.length]),
    attention_mask: new Tensor('int64', new BigInt64Array(total).fill(1n), [1, total]),
  };
  for (const name of session.inputNames.filter((n) => n.startsWith('past_key_values.'))) {
    feeds[name] = cache?.get(name) ?? new Tensor('float32', new Float32Array(2 * capacity * 16), [1, 2, capacity, 16]);
  }
  return feeds;
}

describe('new KV rows rewrite (GroupQueryAttention)', () => {
  for (const name of ['tiny-gqa-tjs', 'tiny-gqa-genai'] as const) {
    it(`replaces each present output of ${name} with its new rows, and nothing else`, async () => {
      const options = await sessionOptionsFor(name);
      const original = await InferenceSession.create(await graphOf(name), options);
      const rewritten = withNewKvRowOutputs(await graphOf(name), names);
      assert.ok(rewritten);
      const session = await InferenceSession.create(rewritten.bytes, options);
      try {
        const presents = original.outputNames.filter((n) => n.startsWith('present.'));
        assert.deepEqual([...rewritten.presents].sort(), [...presents].sort());
        assert.deepEqual(
          [...session.outputNames].sort(),
          ['logits', ...presents.map((n) => n + NEW_ROWS_SUFFIX)].sort(),
        );
        assert.deepEqual(session.inputNames, original.inputNames);
      } finally {
        await original.release();
        await session.release();
      }
    });
  }

  it('returns exactly the rows the exported graph appends to its present cache', async () => {
    const options = await sessionOptionsFor('tiny-gqa-tjs');
    const original = await InferenceSession.create(await graphOf('tiny-gqa-tjs'), options);
    const rewritten = withNewKvRowOutputs(await graphOf('tiny-gqa-tjs'), names);
    assert.ok(rewritten);
    const session = await InferenceSession.create(rewritten.bytes, options);
    try {
      // A 3-token prompt, then a 2-token chunk on top of it (packed caches for the original graph).
      const first = await original.run(feedsFor(original, [5, 6, 7], 0, 0));
      const cache = new Map<string, Tensor>();
      for (const name of original.inputNames.filter((n) => n.startsWith('past_key_values.'))) {
        cache.set(name, first[name.replace('past_key_values.', 'present.')] as Tensor);
      }
      const expected = await original.run(feedsFor(original, [8, 9], 3, 3, cache));
      // The rewritten graph gets the same past in a buffer with unused rows after the filled ones.
      const roomy = new Map<string, Tensor>();
      for (const [name, tensor] of cache) {
        const data = new Float32Array(2 * 10 * 16).fill(Number.NaN);
        for (let h = 0; h < 2; h++) data.set((tensor.data as Float32Array).subarray(h * 3 * 16, (h + 1) * 3 * 16), h * 10 * 16);
        roomy.set(name, new Tensor('float32', data, [1, 2, 10, 16]));
      }
      const actual = await session.run(feedsFor(session, [8, 9], 3, 10, roomy));
      for (const present of rewritten.presents) {
        const whole = expected[present] as Tensor;
        const rows = actual[present + NEW_ROWS_SUFFIX] as Tensor;
        assert.deepEqual(rows.dims, [1, 2, 2, 16]);
        const want: number[] = [];
        for (let h = 0; h < 2; h++) want.push(...(whole.data as Float32Array).subarray((h * 5 + 3) * 16, (h * 5 + 5) * 16));
        assert.deepEqual([...(rows.data as Float32Array)], want, present);
      }
      assert.deepEqual([...(actual.logits as Tensor).data as Float32Array], [...(expected.logits as Tensor).data as Float32Array]);
    } finally {
      await original.release();
      await session.release();
    }
  });

  it('leaves graphs without GroupQueryAttention or without an attention mask alone', async () => {
    assert.equal(withNewKvRowOutputs(await graphOf('tiny-standard-tjs'), names), undefined);
    assert.equal(withNewKvRowOutputs(await graphOf('tiny-gqa-tjs'), { ...names, attentionMask: 'mask' }), undefined);
  });

  it('the load-time check accepts a correct rewrite and catches rows taken from the wrong place', async () => {
    const good = withNewKvRowOutputs(await graphOf('tiny-gqa-tjs'), names);
    // Swapped names put the slice at [n - total, n): the wrong rows once a cache is reused.
    const wrong = withNewKvRowOutputs(await graphOf('tiny-gqa-tjs'), { inputIds: 'attention_mask', attentionMask: 'input_ids' });
    assert.ok(good && wrong);
    for (const [bytes, works] of [[good.bytes, true], [wrong.bytes, false]] as const) {
      const session = await InferenceSession.create(bytes, await sessionOptionsFor('tiny-gqa-tjs'));
      try {
        const io = DecoderSession.describe(session, {}, 'model.onnx');
        assert.equal(io.kvOutputs, 'newRows');
        assert.equal(await appendedKvWorks(session, io), works);
      } finally {
        await session.release();
      }
    }
  });
});
