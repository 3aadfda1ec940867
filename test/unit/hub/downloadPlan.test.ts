// Which files a variant needs, in both layouts, and the variant picked for a searched repository.
import assert from 'node:assert/strict';
import { guessVariant, planFiles } from '../../../src/hub/downloadPlan';
import { HubError } from '../../../src/hub/hubError';
import type { RepoFile } from '../../../src/hub/repoListing';

const f = (path: string, size = 10): RepoFile => ({ path, size, gitOid: 'a'.repeat(40) });

const tjs = [
  'README.md',
  'config.json',
  'generation_config.json',
  'tokenizer.json',
  'tokenizer_config.json',
  'vocab.json',
  'merges.txt',
  'onnx/model.onnx',
  'onnx/model.onnx_data',
  'onnx/model_q4.onnx',
  'onnx/model_q4f16.onnx',
  'onnx/model_q4f16.onnx_data',
  'onnx/model_q4f16.onnx_data_1',
  'onnx/model_fp16.onnx',
].map((p) => f(p));

const genai = [
  'README.md',
  'cpu_and_mobile/cpu-int4/genai_config.json',
  'cpu_and_mobile/cpu-int4/model.onnx',
  'cpu_and_mobile/cpu-int4/model.onnx.data',
  'cpu_and_mobile/cpu-int4/tokenizer.json',
  'cpu_and_mobile/cpu-int4/configuration_phi3.py',
  'gpu/gpu-int4/genai_config.json',
  'gpu/gpu-int4/model.onnx',
  'gpu/gpu-int4/model.onnx.data',
  'gpu/gpu-int4/tokenizer.json',
].map((p) => f(p));

const local = (files: { localPath: string }[]) => files.map((x) => x.localPath).sort();

describe('hub: download plan', () => {
  it('takes the config and tokenizer files and one weight variant with its external data', () => {
    assert.deepEqual(local(planFiles(tjs, { weights: 'onnx/model_q4.onnx' }, 'r')), ['config.json', 'generation_config.json', 'onnx/model_q4.onnx', 'tokenizer.json', 'tokenizer_config.json']);
    assert.deepEqual(local(planFiles(tjs, { weights: 'onnx/model_q4f16.onnx' }, 'r')), [
      'config.json',
      'generation_config.json',
      'onnx/model_q4f16.onnx',
      'onnx/model_q4f16.onnx_data',
      'onnx/model_q4f16.onnx_data_1',
      'tokenizer.json',
      'tokenizer_config.json',
    ]);
  });

  it('flattens a genai subfolder into the model folder', () => {
    const plan = planFiles(genai, { subfolder: 'cpu_and_mobile/cpu-int4', weights: 'model.onnx' }, 'r');
    assert.deepEqual(local(plan), ['genai_config.json', 'model.onnx', 'model.onnx.data', 'tokenizer.json']);
    assert.equal(plan.find((p) => p.localPath === 'model.onnx')?.path, 'cpu_and_mobile/cpu-int4/model.onnx');
  });

  it('refuses a repository without the weights or a tokenizer', () => {
    assert.throws(() => planFiles(tjs, { weights: 'onnx/model_int8.onnx' }, 'r'), (e: unknown) => e instanceof HubError && e.kind === 'badRepo');
    assert.throws(() => planFiles(tjs.filter((x) => x.path !== 'tokenizer.json'), { weights: 'onnx/model_q4.onnx' }, 'r'), /tokenizer\.json/);
  });

  it('guesses the variant the engine would load, by device', () => {
    assert.deepEqual(guessVariant(tjs, 'cpu', 'r'), { weights: 'onnx/model_q4.onnx' });
    assert.deepEqual(guessVariant(tjs, 'gpu', 'r'), { weights: 'onnx/model_fp16.onnx' });
    assert.deepEqual(guessVariant(genai, 'cpu', 'r'), { subfolder: 'cpu_and_mobile/cpu-int4', weights: 'model.onnx' });
    assert.deepEqual(guessVariant(genai, 'gpu', 'r'), { subfolder: 'gpu/gpu-int4', weights: 'model.onnx' });
    assert.throws(() => guessVariant([f('model.safetensors'), f('config.json')], 'cpu', 'r'), /no ONNX chat model/);
  });
});
