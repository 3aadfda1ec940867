// The graph rewrite behind the 'appended' KV layout: GroupQueryAttention and standard-attention
// (Concat) graphs return the rows a forward pass adds instead of the whole cache, and the rows equal
// the ones the graph as exported appends to its present output.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { DecoderSession, type GraphIo, appendedKvWorks } from '../../../src/engine/decoderSession';
import { type KvRowsPlacement, NEW_ROWS_SUFFIX, withNewKvRowOutputs } from '../../../src/engine/kvRowsRewrite';
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

/**
 * Feeds for `ids` after `past` positions, with zeroed past buffers of `capacity` rows. The mask
 * covers the filled rows and the new ones, or with `maskedBuffer` the whole buffer (its unfilled
 * rows 0) and the new ones, as for a graph that appends after the buffer.
 */
function feedsFor(session: InferenceSession, ids: number[], past: number, capacity: number, cache?: Map<string, Tensor>, maskedBuffer = false): Record<string, Tensor> {
  const mask = new BigInt64Array((maskedBuffer ? capacity : past) + ids.length).fill(1n);
  if (maskedBuffer) mask.fill(0n, past, capacity);
  const feeds: Record<string, Tensor> = {
    input_ids: new Tensor('int64', BigInt64Array.from(ids, BigInt), [1, ids.length]),
    attention_mask: new Tensor('int64', mask, [1, mask.length]),
  };
  if (session.inputNames.includes('position_ids')) {
    feeds.position_ids = new Tensor('int64', BigInt64Array.from(ids, (_, i) => BigInt(past + i)), [1, ids.length]);
  }
  if (session.inputNames.includes('num_logits_to_keep')) feeds.num_logits_to_keep = new Tensor('int64', BigInt64Array.from([0n]), []);
  for (const name of session.inputNames.filter((n) => n.startsWith('past_key_values.'))) {
    feeds[name] = cache?.get(name) ?? new Tensor('float32', new Float32Array(2 * capacity * 16), [1, 2, capacity, 16]);
  }
  return feeds;
}

describe('new KV rows rewrite', () => {
  for (const name of ['tiny-gqa-tjs', 'tiny-gqa-genai', 'tiny-standard-tjs'] as const) {
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
        assert.equal(rewritten.appendsAfter, name === 'tiny-standard-tjs' ? 'capacity' : 'filled');
      } finally {
        await original.release();
        await session.release();
      }
    });
  }

  for (const name of ['tiny-gqa-tjs', 'tiny-standard-tjs'] as const) {
    it(`returns exactly the rows the exported graph appends to its present cache (${name})`, async () => {
      const options = await sessionOptionsFor(name);
      const original = await InferenceSession.create(await graphOf(name), options);
      const rewritten = withNewKvRowOutputs(await graphOf(name), names);
      assert.ok(rewritten);
      const maskedBuffer = rewritten.appendsAfter === 'capacity';
      const session = await InferenceSession.create(rewritten.bytes, options);
      try {
        // A 3-token prompt, then a 2-token chunk on top of it (packed caches for the original graph).
        const first = await original.run(feedsFor(original, [5, 6, 7], 0, 0));
        const cache = new Map<string, Tensor>();
        for (const name of original.inputNames.filter((n) => n.startsWith('past_key_values.'))) {
          cache.set(name, first[name.replace('past_key_values.', 'present.')] as Tensor);
        }
        const expected = await original.run(feedsFor(original, [8, 9], 3, 3, cache));
        // The rewritten graph gets the same past in a buffer with unused rows after the filled ones:
        // NaN where a GroupQueryAttention must never read, large finite values where the mask must
        // keep a Concat graph's attention away.
        const roomy = new Map<string, Tensor>();
        for (const [name, tensor] of cache) {
          const data = new Float32Array(2 * 10 * 16).fill(maskedBuffer ? 1000 : Number.NaN);
          for (let h = 0; h < 2; h++) data.set((tensor.data as Float32Array).subarray(h * 3 * 16, (h + 1) * 3 * 16), h * 10 * 16);
          roomy.set(name, new Tensor('float32', data, [1, 2, 10, 16]));
        }
        const actual = await session.run(feedsFor(session, [8, 9], 3, 10, roomy, maskedBuffer));
        for (const present of rewritten.presents) {
          const whole = expected[present] as Tensor;
          const rows = actual[present + NEW_ROWS_SUFFIX] as Tensor;
          assert.deepEqual(rows.dims, [1, 2, 2, 16]);
          const want: number[] = [];
          for (let h = 0; h < 2; h++) want.push(...(whole.data as Float32Array).subarray((h * 5 + 3) * 16, (h * 5 + 5) * 16));
          // GroupQueryAttention never sees the unused rows: exactly the same numbers. A Concat graph's
          // attention sums over them as zeros, which may round a later layer's values differently.
          const diff = maxAbsDiff(Float32Array.from(want), rows.data as Float32Array);
          assert.ok(diff <= (maskedBuffer ? 1e-5 : 0), `${present} differs by ${diff}`);
        }
        const diff = maxAbsDiff((expected.logits as Tensor).data as Float32Array, (actual.logits as Tensor).data as Float32Array);
        assert.ok(diff <= (maskedBuffer ? 1e-5 : 0), `logits differ by ${diff}`);
      } finally {
        await original.release();
        await session.release();
      }
    });
  }

  it('leaves graphs without an attention mask, or with a cache the rewrite cannot follow, alone', async () => {
    assert.equal(withNewKvRowOutputs(await graphOf('tiny-gqa-tjs'), { ...names, attentionMask: 'mask' }), undefined);
    assert.equal(withNewKvRowOutputs(await graphOf('tiny-standard-tjs'), { ...names, attentionMask: 'mask' }), undefined);
    // The demo model's genai export is the standard graph's twin with external weights: fine. A graph
    // whose present outputs come from something else than GroupQueryAttention or a Concat of the past
    // is refused: the same standard graph with its Concats renamed to another op type.
    const renamed = replaceAscii(await graphOf('tiny-standard-tjs'), 'Concat', 'Concad');
    assert.equal(withNewKvRowOutputs(renamed, names), undefined);
  });

  it('the load-time check accepts a correct rewrite and catches rows taken from the wrong place', async () => {
    for (const name of ['tiny-gqa-tjs', 'tiny-standard-tjs'] as const) {
      const good = withNewKvRowOutputs(await graphOf(name), names);
      // Swapped names put the slice at [n - total, n): the wrong rows once a cache is reused.
      const wrong = withNewKvRowOutputs(await graphOf(name), { inputIds: 'attention_mask', attentionMask: 'input_ids' });
      assert.ok(good && wrong);
      for (const [bytes, works] of [[good.bytes, true], [wrong.bytes, false]] as const) {
        const session = await InferenceSession.create(bytes, await sessionOptionsFor(name));
        try {
          const io: GraphIo = { ...DecoderSession.describe(session, {}, 'model.onnx'), kvRowsAfter: good.appendsAfter };
          assert.equal(io.kvOutputs, 'newRows');
          assert.equal(await appendedKvWorks(session, io), works, `${name}, ${works ? 'right' : 'wrong'} rows`);
          // Feeding the cache as the other kind of graph expects it fails the check too.
          const other: KvRowsPlacement = good.appendsAfter === 'filled' ? 'capacity' : 'filled';
          if (works) assert.equal(await appendedKvWorks(session, { ...io, kvRowsAfter: other }), false, `${name} fed as '${other}'`);
        } finally {
          await session.release();
        }
      }
    }
  });
});

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  assert.equal(a.length, b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  return Number.isNaN(m) ? Infinity : m;
}

/** The bytes with every occurrence of one ASCII string replaced by another of the same length. */
function replaceAscii(bytes: Uint8Array, from: string, to: string): Uint8Array {
  const out = bytes.slice();
  const needle = Buffer.from(from, 'ascii');
  const buffer = Buffer.from(out.buffer, out.byteOffset, out.byteLength);
  for (let i = buffer.indexOf(needle); i !== -1; i = buffer.indexOf(needle, i + 1)) buffer.write(to, i, 'ascii');
  return out;
}
