import * as assert from 'node:assert/strict';
import type { LoadedModelInfo } from '../../../src/protocol/engine';
import { deviceStatus } from '../../../src/providers/local/deviceStatus';

const base: LoadedModelInfo = {
  modelId: 'm',
  modelPath: '/m',
  layout: 'transformers.js',
  modelFile: 'onnx/model_fp16.onnx',
  dtype: 'fp16',
  device: 'webgpu',
  adapter: 'NVIDIA GPU / Vulkan',
  requestedDevice: 'auto',
  skippedDevices: [{ device: 'cuda', reason: 'CUDA: Failed to load shared library' }],
  contextWindow: 2048,
  threads: 2,
  threadSpinning: false,
  int4Compute: 'model',
  int4MatMulsChanged: 0,
  loadMs: 1,
};

describe('deviceStatus (the status line)', () => {
  it('names device, adapter and dtype, with skipped devices in the tooltip', () => {
    assert.deepEqual(deviceStatus(base), { device: 'webgpu', deviceDetail: 'NVIDIA GPU / Vulkan, fp16', deviceNote: 'Skipped cuda: CUDA: Failed to load shared library' });
  });

  it('says when the requested device could not be had, and when one failed mid-answer', () => {
    const cpu = { ...base, device: 'cpu', dtype: 'q4', adapter: undefined, requestedDevice: 'webgpu' as const, skippedDevices: [{ device: 'webgpu', reason: 'WebGPU: lost (failed mid-answer)' }] };
    const status = deviceStatus(cpu);
    assert.equal(status.deviceDetail, 'q4, webgpu unavailable, webgpu failed');
    assert.equal(status.deviceNote, '2 CPU threads. Skipped webgpu: WebGPU: lost (failed mid-answer)');
  });
});
