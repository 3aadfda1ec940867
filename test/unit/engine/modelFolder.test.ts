// A broken model folder fails with an EngineError that names the file and says what to do.
import * as assert from 'node:assert/strict';
import { rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadModel } from '../../../src/engine';
import { EngineError } from '../../../src/engine/errors';
import { readModelFolder } from '../../../src/engine/modelFolder';
import { copyOfModel, modelDir, removeModelCopies } from './engineTestSupport';

function namesFile(file: string, message?: RegExp): (err: unknown) => boolean {
  return (err) => {
    assert.ok(err instanceof EngineError, `expected an EngineError, got ${String(err)}`);
    assert.equal(err.kind, 'badModel');
    assert.equal(err.file, file);
    assert.ok(err.message.includes(file), `the message does not name ${file}: ${err.message}`);
    assert.ok(err.action, 'the error says what to do');
    if (message) assert.match(err.message, message);
    return true;
  };
}

describe('model folders', () => {
  after(removeModelCopies);

  it('reads both layouts', async () => {
    const tjs = readModelFolder(await modelDir('tiny-gqa-tjs'));
    assert.equal(tjs.layout, 'transformers.js');
    assert.equal(tjs.selectVariant('auto', 'cpu').file, 'onnx/model_q4.onnx');
    assert.equal(tjs.selectVariant('auto', 'gpu').file, 'onnx/model.onnx');
    assert.equal(tjs.selectVariant('fp32', 'cpu').dtype, 'fp32');
    const genai = readModelFolder(await modelDir('tiny-gqa-genai'));
    assert.equal(genai.layout, 'genai');
    assert.equal(genai.contextWindow, 2048);
    assert.deepEqual(genai.eosTokenIds, [511, 509]);
    assert.equal(genai.generationDefaults.temperature, 0.7);
  });

  it('loads external weights declared in config.json', async () => {
    const model = await loadModel(await modelDir('tiny-standard-tjs-external'), { device: 'cpu' });
    await model.dispose();
  });

  it('a missing tokenizer.json is named', async () => {
    const dir = await copyOfModel('tiny-standard-tjs');
    rmSync(join(dir, 'tokenizer.json'));
    await assert.rejects(loadModel(dir), namesFile('tokenizer.json', /missing/));
  });

  it('a config.json that is not JSON is named', async () => {
    const dir = await copyOfModel('tiny-standard-tjs');
    writeFileSync(join(dir, 'config.json'), '{ "model_type": "qwen2", ');
    await assert.rejects(loadModel(dir), namesFile('config.json', /not valid JSON/));
  });

  it('a config.json with wrong field types is named with the field', async () => {
    const dir = await copyOfModel('tiny-standard-tjs');
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ num_hidden_layers: 'two' }));
    await assert.rejects(loadModel(dir), namesFile('config.json', /num_hidden_layers/));
  });

  it('a bad genai_config.json is named', async () => {
    const dir = await copyOfModel('tiny-gqa-genai');
    writeFileSync(join(dir, 'genai_config.json'), JSON.stringify({ model: { context_length: 2048 } }));
    await assert.rejects(loadModel(dir), namesFile('genai_config.json', /decoder/));
  });

  it('a missing onnx file is named, with the variants that exist', async () => {
    const dir = await copyOfModel('tiny-standard-tjs');
    await assert.rejects(loadModel(dir, { dtype: 'q4' }), namesFile('onnx/model_q4.onnx', /has: fp32/));
    rmSync(join(dir, 'onnx', 'model.onnx'));
    await assert.rejects(loadModel(dir), (err: unknown) => err instanceof EngineError && err.kind === 'badModel' && /onnx/.test(err.message));
  });

  it('a missing external weight file is named', async () => {
    const dir = await copyOfModel('tiny-standard-tjs-external');
    rmSync(join(dir, 'onnx', 'model.onnx_data'));
    await assert.rejects(loadModel(dir), namesFile('onnx/model.onnx_data'));
  });

  it('a damaged onnx file is named', async () => {
    const dir = await copyOfModel('tiny-standard-tjs');
    writeFileSync(join(dir, 'onnx', 'model.onnx'), 'not a protobuf');
    await assert.rejects(loadModel(dir, { device: 'cpu' }), namesFile('onnx/model.onnx', /damaged or incomplete/));
  });

  it('a cut-off onnx file is named', async () => {
    const dir = await copyOfModel('tiny-standard-tjs');
    const file = join(dir, 'onnx', 'model.onnx');
    truncateSync(file, Math.floor(statSync(file).size / 2));
    await assert.rejects(loadModel(dir, { device: 'cpu' }), namesFile('onnx/model.onnx', /damaged or incomplete/));
  });

  it('a missing genai model file is named', async () => {
    const dir = await copyOfModel('tiny-gqa-genai');
    rmSync(join(dir, 'model.onnx'));
    await assert.rejects(loadModel(dir), namesFile('model.onnx'));
  });

  it('a folder that is no model says so', async () => {
    await assert.rejects(loadModel(join(await modelDir('tiny-standard-tjs'), 'onnx')), namesFile('config.json', /neither/));
    await assert.rejects(loadModel('/nonexistent/model'), (err: unknown) => err instanceof EngineError && /does not exist/.test(err.message));
  });
});
