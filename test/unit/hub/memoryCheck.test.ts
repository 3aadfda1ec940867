// A model that cannot fit in memory is refused before loading, by its weight files' size.
import assert from 'node:assert/strict';
import { memoryRefusal, weightBytes } from '../../../src/hub/memoryCheck';
import type { Manifest } from '../../../src/hub/modelStore';

const GB = 1e9;
const manifest: Manifest = {
  version: 1,
  repo: 'microsoft/Phi-4-mini-instruct-onnx',
  commit: 'a'.repeat(40),
  revision: 'main',
  endpoint: 'https://huggingface.co',
  weights: 'model.onnx',
  files: [
    { path: 'genai_config.json', size: 1_520 },
    { path: 'tokenizer.json', size: 15_500_000 },
    { path: 'model.onnx', size: 52_100_000 },
    { path: 'model.onnx.data', size: 4_860_000_000 },
  ],
  downloadedAt: new Date(0).toISOString(),
};

describe('hub: memory check', () => {
  it('counts the .onnx file and its external data, not the tokenizer', () => {
    assert.equal(weightBytes(manifest), 4_912_100_000);
    assert.equal(weightBytes({ ...manifest, files: [{ path: 'onnx/model_q4.onnx', size: 5 }, { path: 'onnx/model_q4.onnx_data_1', size: 7 }] }), 12);
  });

  it('refuses a model bigger than the memory, naming both sizes', () => {
    assert.match(memoryRefusal(manifest, 4 * GB) ?? '', /needs about 6\.\d+ GB of memory to run; this machine has 4\.00 GB/);
    assert.equal(memoryRefusal(manifest, 16 * GB), undefined);
  });
});
