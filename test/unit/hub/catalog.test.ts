// models/catalog.json against its schema, and the schema against entries it must refuse.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { catalog, fitsMemory, variantFor } from '../../../src/hub/catalog';
import { CatalogSchema } from '../../../src/hub/catalogSchema';
import { SUPPORTED_MODEL_TYPES } from '../../../src/hub/hubSearch';

const raw = JSON.parse(readFileSync(join(__dirname, '../../../models/catalog.json'), 'utf8')) as { version: number; models: Record<string, unknown>[] };
const first = raw.models[0];

describe('hub: catalog', () => {
  it('models/catalog.json is valid, and every entry cites hub pages of its own repository', () => {
    const models = catalog().models;
    assert.ok(models.length >= 10);
    for (const m of models) {
      assert.ok(m.evidence.every((url) => url.startsWith(`https://huggingface.co/${m.repo}/`)), `${m.id} evidence is about ${m.repo}`);
      assert.ok(SUPPORTED_MODEL_TYPES.includes(m.modelType), `${m.id}: ${m.modelType}`);
      if (m.revision !== 'main') assert.ok(m.evidence.some((url) => url.includes(m.revision) || url.includes(m.revision.slice(0, 7))), `${m.id}: the pinned commit is cited`);
    }
  });

  for (const [what, change] of [
    ['a short commit id', { revision: '516c8d0' }],
    ['a repo id without an owner', { repo: 'Qwen2.5-0.5B-Instruct' }],
    ['no cpu variant', { variants: [{ device: 'gpu', dtype: 'fp16', weights: 'onnx/model_fp16.onnx', approxBytes: 1 }] }],
    ['a weights file that is not .onnx', { variants: [{ device: 'cpu', dtype: 'q4', weights: 'onnx/model_q4.onnx_data', approxBytes: 1 }] }],
    ['evidence from elsewhere', { evidence: ['https://example.com/a'] }],
    ['an unknown field', { sizeGb: 1 }],
  ] as const) {
    it(`refuses ${what}`, () => {
      assert.equal(CatalogSchema.safeParse({ ...raw, models: [{ ...first, ...change }] }).success, false);
    });
  }

  it('refuses two entries with one id', () => {
    assert.equal(CatalogSchema.safeParse({ ...raw, models: [first, first] }).success, false);
  });

  it('picks the GPU variant only where there is one, and says what fits', () => {
    const qwen = catalog().models.find((m) => m.id === 'qwen2.5-0.5b-instruct');
    const phi = catalog().models.find((m) => m.id === 'phi-3.5-mini-instruct');
    assert.ok(qwen && phi);
    assert.equal(variantFor(qwen, 'gpu').dtype, 'fp16');
    assert.equal(variantFor(phi, 'gpu').device, 'cpu');
    const gib = 1024 ** 3;
    assert.equal(fitsMemory(variantFor(qwen, 'cpu'), 16 * gib), 'fits');
    assert.equal(fitsMemory(variantFor(phi, 'cpu'), 6 * gib), 'tight');
    assert.equal(fitsMemory(variantFor(phi, 'cpu'), 4 * gib), 'too-big');
  });
});
