import * as assert from 'node:assert/strict';
import { InferenceSession } from 'onnxruntime-node';
import { loadModel } from '../../../src/engine';
import { type CreateSession, deviceCandidates, failureReason, physicalCores, sessionOptionsFor, unavailableReason } from '../../../src/engine/devices';
import { answer, greedy, modelDir } from './engineTestSupport';

describe('devices', () => {
  it('tries the platform GPU providers in order, then the CPU', () => {
    assert.deepEqual(deviceCandidates('auto', 'win32'), ['dml', 'cpu']);
    assert.deepEqual(deviceCandidates('auto', 'darwin'), ['coreml', 'cpu']);
    assert.deepEqual(deviceCandidates('auto', 'linux'), ['cuda', 'webgpu', 'cpu']);
    assert.deepEqual(deviceCandidates('webgpu', 'linux'), ['webgpu', 'cpu']);
    assert.deepEqual(deviceCandidates('cpu', 'linux'), ['cpu']);
  });

  it('knows which providers cannot exist on a platform', () => {
    assert.match(unavailableReason('dml', 'linux', 'x64') ?? '', /Windows/);
    assert.match(unavailableReason('coreml', 'win32', 'x64') ?? '', /macOS/);
    assert.match(unavailableReason('cuda', 'darwin', 'arm64') ?? '', /x64/);
    assert.equal(unavailableReason('cuda', 'linux', 'x64'), undefined);
  });

  it('turns onnxruntime errors into one readable line', () => {
    const raw = '/onnxruntime_src/onnxruntime/core/providers/webgpu/webgpu_context.cc:136 lambda was false. Failed to get a WebGPU adapter: No supported adapters';
    assert.equal(failureReason('webgpu', raw), 'WebGPU: Failed to get a WebGPU adapter: No supported adapters');
  });

  it('lets threads spin briefly by default, and fully only when asked and only while a forward pass runs', () => {
    const config = (allowSpinning: boolean): unknown => (sessionOptionsFor('cpu', 2, { allowSpinning }).extra as { session: unknown }).session;
    assert.deepEqual(config(false), { intra_op: { allow_spinning: '1', spin_duration_us: '10' } });
    assert.deepEqual(config(true), { intra_op: { allow_spinning: '1' }, force_spinning_stop: '1' });
    const fromBytes = sessionOptionsFor('cpu', 2, {}, '/models/m/onnx');
    assert.equal((fromBytes.extra as { session: Record<string, unknown> }).session.model_external_initializers_file_folder_path, '/models/m/onnx');
    assert.equal(fromBytes.intraOpNumThreads, 2);
    assert.equal(fromBytes.enableProfiling, undefined);
  });

  it('keeps freed blocks in onnxruntime\'s arena, and plans no memory pattern (a repeated shape would map one afresh each step)', () => {
    const options = sessionOptionsFor('cpu', 2, {});
    assert.equal(options.enableCpuMemArena, true);
    assert.equal(options.enableMemPattern, false);
  });

  it('counts physical cores', () => {
    assert.ok(physicalCores() >= 1);
  });

  it('falls back to the CPU when the requested device fails to open, with its reason', async function () {
    this.timeout(30000);
    const tried: string[] = [];
    const createSession: CreateSession = (model, options) => {
      const provider = String(options.executionProviders?.[0]);
      tried.push(provider);
      if (provider === 'webgpu') return Promise.reject(new Error('webgpu_context.cc:136 lambda was false. Failed to get a WebGPU adapter: No supported adapters'));
      return typeof model === 'string' ? InferenceSession.create(model, options) : InferenceSession.create(model, options);
    };
    const model = await loadModel(await modelDir('tiny-standard-tjs'), { device: 'webgpu', createSession });
    try {
      assert.deepEqual(tried, ['webgpu', 'cpu']);
      assert.equal(model.info.device, 'cpu');
      assert.equal(model.info.requestedDevice, 'webgpu');
      assert.deepEqual(model.info.skippedDevices, [{ device: 'webgpu', reason: 'WebGPU: Failed to get a WebGPU adapter: No supported adapters' }]);
      const a = await answer(model, { messages: [{ role: 'user', content: 'hi' }], maxNewTokens: 5, minNewTokens: 5, sampling: greedy });
      assert.equal(a.result.stats.device, 'cpu');
      assert.equal(a.result.usage.completionTokens, 5);
    } finally {
      await model.dispose();
    }
  });

  it('auto does not open WebGPU on a software Vulkan driver, and says why', async function () {
    if (process.platform !== 'linux') this.skip(); // the check is Linux's (softwareOnlyReason)
    const tried: string[] = [];
    const createSession: CreateSession = (model, options) => {
      tried.push(String(options.executionProviders?.[0]));
      return typeof model === 'string' ? InferenceSession.create(model, options) : InferenceSession.create(model, options);
    };
    const saved = process.env['VK_ICD_FILENAMES'];
    process.env['VK_ICD_FILENAMES'] = '/usr/share/vulkan/icd.d/lvp_icd.json';
    try {
      const model = await loadModel(await modelDir('tiny-standard-tjs'), { device: 'auto', createSession });
      await model.dispose();
      assert.deepEqual(tried, ['cpu']);
      const webgpu = model.info.skippedDevices.find((s) => s.device === 'webgpu');
      assert.match(webgpu?.reason ?? '', /^WebGPU: VK_ICD_FILENAMES names only software Vulkan drivers \(lvp_icd\)/);
    } finally {
      if (saved === undefined) delete process.env['VK_ICD_FILENAMES'];
      else process.env['VK_ICD_FILENAMES'] = saved;
    }
  });

  it('skips a provider of another platform without trying it', async function () {
    const other = process.platform === 'win32' ? 'coreml' : 'dml';
    const model = await loadModel(await modelDir('tiny-standard-tjs'), { device: other });
    try {
      assert.equal(model.info.device, 'cpu');
      assert.match(model.info.skippedDevices[0]?.reason ?? '', /only available on/);
    } finally {
      await model.dispose();
    }
  });
});
