// The graph rewrite GPU sessions get: the attention mask built inside the graph from the cache's
// length, so the engine sends none per token. The rewritten graph must compute what the graph as
// exported computes with the all-ones mask Hearth fed before, for a prompt and for decoding.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { withMaskFromCacheLength } from '../../../src/engine/deviceMaskRewrite';
import { modelDir } from './engineTestSupport';

const names = { inputIds: 'input_ids', attentionMask: 'attention_mask', pastKey: 'past_key_values.0.key' };

type Name = 'tiny-gqa-tjs' | 'tiny-gqa-genai' | 'tiny-standard-tjs';

async function fileOf(name: Name): Promise<string> {
  return join(await modelDir(name), name === 'tiny-gqa-genai' ? 'model.onnx' : 'onnx/model.onnx');
}

/** Feeds for `ids` after a past of `cache` (empty when absent); the mask only where the session takes one. */
function feedsFor(session: InferenceSession, ids: number[], cache: Map<string, Tensor> | undefined): Record<string, Tensor> {
  const past = cache?.get(names.pastKey)?.dims[2] ?? 0;
  const feeds: Record<string, Tensor> = { input_ids: new Tensor('int64', BigInt64Array.from(ids, BigInt), [1, ids.length]) };
  if (session.inputNames.includes('attention_mask')) feeds.attention_mask = new Tensor('int64', new BigInt64Array(past + ids.length).fill(1n), [1, past + ids.length]);
  if (session.inputNames.includes('position_ids')) feeds.position_ids = new Tensor('int64', BigInt64Array.from(ids, (_, i) => BigInt(past + i)), [1, ids.length]);
  if (session.inputNames.includes('num_logits_to_keep')) feeds.num_logits_to_keep = new Tensor('int64', BigInt64Array.from([1n]), []);
  for (const name of session.inputNames.filter((n) => n.startsWith('past_key_values.'))) {
    feeds[name] = cache?.get(name) ?? new Tensor('float32', new Float32Array(0), [1, 2, 0, 16]);
  }
  return feeds;
}

async function run(session: InferenceSession, steps: number[][]): Promise<Float32Array[]> {
  let cache: Map<string, Tensor> | undefined;
  const logits: Float32Array[] = [];
  for (const ids of steps) {
    const out = await session.run(feedsFor(session, ids, cache));
    cache = new Map(session.inputNames.filter((n) => n.startsWith('past_key_values.')).map((n) => [n, out[n.replace('past_key_values', 'present')] as Tensor]));
    logits.push(out.logits?.data as Float32Array);
  }
  return logits;
}

describe('attention mask built inside the graph (GPU sessions)', () => {
  for (const name of ['tiny-gqa-tjs', 'tiny-gqa-genai', 'tiny-standard-tjs'] as const) {
    it(`${name}: no mask input, and the logits of a prompt and two decoded tokens as with an all-ones mask`, async () => {
      const file = await fileOf(name);
      const options: InferenceSession.SessionOptions = { intraOpNumThreads: 1, logSeverityLevel: 3, extra: { session: { model_external_initializers_file_folder_path: join(file, '..') } } };
      const bytes = withMaskFromCacheLength(readFileSync(file), names);
      assert.ok(bytes, 'the graph qualifies');
      const [original, rewritten] = await Promise.all([InferenceSession.create(readFileSync(file), options), InferenceSession.create(bytes, options)]);
      try {
        assert.ok(original.inputNames.includes('attention_mask'));
        assert.ok(!rewritten.inputNames.includes('attention_mask'));
        const steps = [[3, 14, 15, 92, 65], [35], [89]];
        const [expected, actual] = [await run(original, steps), await run(rewritten, steps)];
        for (let i = 0; i < steps.length; i++) assert.deepEqual(actual[i], expected[i], `step ${i}`);
      } finally {
        await Promise.all([original.release(), rewritten.release()]);
      }
    });
  }

  it('leaves a graph alone that lacks one of the inputs it reads', async () => {
    const model = readFileSync(await fileOf('tiny-gqa-tjs'));
    assert.equal(withMaskFromCacheLength(model, { ...names, attentionMask: 'mask' }), undefined);
    assert.equal(withMaskFromCacheLength(model, { ...names, pastKey: 'past.0.key' }), undefined);
  });
});
