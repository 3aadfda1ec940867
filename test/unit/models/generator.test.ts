// Generation is deterministic per seed, checks its options, and the named-model cache is race-safe.
import * as assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateModel, GENERATOR_VERSION, MANIFEST_FILE, type GenerateOptions } from '../../../models/generator';
import { ensureModelIn } from '../../../models/testModels';

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => statSync(join(dir, f)).isFile())
    .sort();
}

function sameBytes(a: string, b: string): boolean {
  return Buffer.compare(readFileSync(a), readFileSync(b)) === 0;
}

describe('model generator', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'hearth-models-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const options: GenerateOptions = { shape: 'tiny', layout: 'genai', attention: 'gqa', dtypes: ['q4'], seed: 7 };

  it('writes byte-for-byte identical folders for the same seed', async () => {
    await generateModel(join(root, 'a'), options);
    await generateModel(join(root, 'b'), options);
    const files = filesUnder(join(root, 'a'));
    assert.deepEqual(files, ['README.md', 'genai_config.json', MANIFEST_FILE, 'model.onnx', 'model.onnx.data', 'special_tokens_map.json', 'tokenizer.json', 'tokenizer_config.json'].sort());
    assert.deepEqual(filesUnder(join(root, 'b')), files);
    for (const f of files) assert.ok(sameBytes(join(root, 'a', f), join(root, 'b', f)), `${f} differs`);
  });

  it('writes different weights for a different seed', async () => {
    await generateModel(join(root, 'a'), options);
    await generateModel(join(root, 'c'), { ...options, seed: 8 });
    assert.ok(!sameBytes(join(root, 'a', 'model.onnx.data'), join(root, 'c', 'model.onnx.data')));
    assert.ok(sameBytes(join(root, 'a', 'tokenizer.json'), join(root, 'c', 'tokenizer.json')));
  });

  it('declares external weights for transformers.js when asked', async () => {
    const dir = join(root, 'ext');
    await generateModel(dir, { shape: 'tiny', layout: 'transformersjs', attention: 'standard', dtypes: ['fp32', 'q4'], externalData: true });
    assert.deepEqual(filesUnder(join(dir, 'onnx')), ['model.onnx', 'model.onnx_data', 'model_q4.onnx', 'model_q4.onnx_data']);
    const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as Record<string, Record<string, unknown>>;
    assert.deepEqual(config['transformers.js_config'].use_external_data_format, { 'model.onnx': true, 'model_q4.onnx': true });
  });

  it('rejects bad options and non-empty folders with a clear message', async () => {
    await assert.rejects(generateModel(join(root, 'x'), { ...options, shape: 'huge' as 'tiny' }), /Invalid model generator options/);
    await assert.rejects(generateModel(join(root, 'y'), { ...options, dtypes: ['fp32', 'q4'] }), /genai layout holds one model\.onnx/);
    writeFileSync(join(root, 'stray.txt'), 'x');
    await assert.rejects(generateModel(root, options), /is not empty/);
  });

  it('generates a named model once, even when asked concurrently', async () => {
    const [a, b] = await Promise.all([ensureModelIn(root, 'tiny-standard-genai'), ensureModelIn(root, 'tiny-standard-genai')]);
    assert.equal(a, b);
    const stamp = statSync(join(a, MANIFEST_FILE)).mtimeMs;
    assert.equal(await ensureModelIn(root, 'tiny-standard-genai'), a);
    assert.equal(statSync(join(a, MANIFEST_FILE)).mtimeMs, stamp);
    assert.deepEqual(readdirSync(root), ['tiny-standard-genai'], 'no temporary folders left behind');
  });

  it('regenerates a folder made by another generator version', async () => {
    const dir = await ensureModelIn(root, 'tiny-standard-genai');
    const manifestPath = join(dir, MANIFEST_FILE);
    writeFileSync(manifestPath, readFileSync(manifestPath, 'utf8').replace(/"version": "[^"]*"/, '"version": "old"'));
    assert.equal(await ensureModelIn(root, 'tiny-standard-genai'), dir);
    assert.equal((JSON.parse(readFileSync(manifestPath, 'utf8')) as { version: string }).version, GENERATOR_VERSION);
    assert.deepEqual(readdirSync(root), ['tiny-standard-genai']);
  });

  it('names the known models when asked for an unknown one', async () => {
    await assert.rejects(ensureModelIn(root, 'nope' as 'demo-tjs'), /Unknown test model "nope"; known: .*tiny-gqa-tjs/);
  });
});
