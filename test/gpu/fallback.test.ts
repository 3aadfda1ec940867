// A GPU that cannot be had, fails to open, fails its smoke test or fails mid-answer: each ends on
// the CPU with the reason in the model's info (what the status line shows), never a hang.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { InferenceSession } from 'onnxruntime-node';
import { loadModel } from '../../src/engine';
import type { CreateSession } from '../../src/engine/devices';
import { LoadedModelInfoSchema } from '../../src/protocol/engine';
import { answer, greedy, modelDir } from '../unit/engine/engineTestSupport';
import { gpuAdapter, requireGpuTier } from './gpuSupport';

const create: CreateSession = (model, options) => (typeof model === 'string' ? InferenceSession.create(model, options) : InferenceSession.create(model, options));
const isWebGpu = (options: InferenceSession.SessionOptions): boolean => options.executionProviders?.[0] === 'webgpu';

/** A session whose runs fail from the moment `failing.now` is set, as a lost device's would. */
function breakable(session: InferenceSession, failing: { now: boolean }): InferenceSession {
  return new Proxy(session, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (property === 'run') {
        return (...args: unknown[]): Promise<unknown> =>
          failing.now ? Promise.reject(new Error('Failed to run: the WebGPU device was lost (test)')) : (Reflect.apply(target.run, target, args) as Promise<unknown>);
      }
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

const adapter = gpuAdapter();

describe(`GPU fallback (WebGPU through ${adapter.name})`, () => {
  before(requireGpuTier);

  it('without a Vulkan driver (no ICD) runs on the CPU and says the adapter was missing', async function () {
    this.timeout(60_000);
    const dir = await modelDir('tiny-standard-tjs');
    const out = execFileSync(process.execPath, ['--import', 'tsx', 'test/gpu/support/loadOnWebGpuChild.ts', dir], {
      env: { ...process.env, VK_ICD_FILENAMES: '/nonexistent/hearth_icd.json' },
      encoding: 'utf8',
    });
    const result = JSON.parse(out.trim().split('\n').at(-1) ?? '') as { info: unknown; answeredOn: string };
    const info = LoadedModelInfoSchema.parse(result.info);
    assert.equal(info.device, 'cpu');
    assert.equal(result.answeredOn, 'cpu');
    assert.match(info.skippedDevices[0]?.reason ?? '', /^WebGPU: .*adapter/i);
  });

  it('when the provider throws at create, goes on to the CPU with its reason', async () => {
    const failing: CreateSession = (model, options) => (isWebGpu(options) ? Promise.reject(new Error('Failed to create the WebGPU device: out of memory (test)')) : create(model, options));
    const model = await loadModel(await modelDir('tiny-standard-tjs'), { device: 'webgpu', threads: 1, createSession: failing });
    try {
      assert.equal(model.info.device, 'cpu');
      assert.deepEqual(model.info.skippedDevices, [{ device: 'webgpu', reason: 'WebGPU: Failed to create the WebGPU device: out of memory (test)' }]);
      const a = await answer(model, { messages: [{ role: 'user', content: 'hi' }], maxNewTokens: 3, sampling: greedy });
      assert.equal(a.result.stats.device, 'cpu');
    } finally {
      await model.dispose();
    }
  });

  // On llvmpipe, which has shader-f16, the same models run on the device (webgpuEngine.test.ts).
  if (!adapter.shaderF16) {
    it('when a float16 model fails its smoke test (SwiftShader has no shader-f16), runs it on the CPU with a float16 KV cache', async () => {
      const model = await loadModel(await modelDir('tiny-standard-tjs-fp16'), { device: 'webgpu', threads: 1 });
      try {
        assert.equal(model.info.device, 'cpu');
        assert.equal(model.info.dtype, 'fp16');
        assert.match(model.info.skippedDevices[0]?.reason ?? '', /^WebGPU: this adapter lacks shader-f16/);
        assert.equal(model.decoder.io.kvType, 'float16');
        const step = await model.decoder.forward([1, 2, 3], model.decoder.emptyCache());
        assert.deepEqual(new Set([...step.cache.tensors.values()].map((t) => t.type)), new Set(['float16']));
      } finally {
        await model.dispose();
      }
    });

    it('auto dtype picks per device: fp16 for the GPU, and q4 for the CPU it falls back to', async () => {
      const model = await loadModel(await modelDir('tiny-gqa-tjs-fp16'), { device: 'webgpu', threads: 1 });
      try {
        assert.equal(model.info.device, 'cpu');
        assert.equal(model.info.dtype, 'q4');
        // Its GroupQueryAttention runs in float16, so the reason is the adapter's, as for standard attention.
        assert.match(model.info.skippedDevices[0]?.reason ?? '', /^WebGPU: this adapter lacks shader-f16/);
      } finally {
        await model.dispose();
      }
    });

    it('a folder holding only the GPU file (q4f16, as downloaded for a GPU) falls back to running that file on the CPU', async () => {
      const model = await loadModel(await modelDir('tiny-gqa-tjs-q4f16'), { device: 'webgpu', threads: 1 });
      try {
        assert.equal(model.info.device, 'cpu');
        assert.equal(model.info.dtype, 'q4f16');
        assert.match(model.info.skippedDevices[0]?.reason ?? '', /^WebGPU: this adapter lacks shader-f16/);
        const step = await model.decoder.forward([1, 2, 3], model.decoder.emptyCache());
        assert.ok(step.logits.every(Number.isFinite));
      } finally {
        await model.dispose();
      }
    });
  }

  it('when the device fails mid-answer, finishes the same answer on the CPU and says why', async () => {
    const dir = await modelDir('tiny-standard-tjs');
    const failing = { now: false };
    const factory: CreateSession = async (model, options) => (isWebGpu(options) ? breakable(await create(model, options), failing) : create(model, options));
    const model = await loadModel(dir, { device: 'webgpu', threads: 1, createSession: factory });
    const cpu = await loadModel(dir, { device: 'cpu', threads: 1 });
    try {
      assert.equal(model.info.device, 'webgpu');
      const request = { conversationId: 'c', messages: [{ role: 'user' as const, content: 'Tell me a story.' }], maxNewTokens: 16, minNewTokens: 16, sampling: greedy };
      const deltas: string[] = [];
      const notices: string[] = [];
      let device = '';
      for await (const event of model.generate(request)) {
        if (event.type === 'delta' && deltas.push(event.text) === 5) failing.now = true;
        if (event.type === 'notice') notices.push(event.text);
        if (event.type === 'done') device = event.result.stats.device;
      }
      assert.equal(device, 'cpu');
      assert.equal(deltas.join(''), (await answer(cpu, { ...request, conversationId: undefined })).text);
      assert.equal(notices.length, 1);
      assert.match(notices[0] ?? '', /^WebGPU: Failed to run: the WebGPU device was lost \(test\) \(failed mid-answer\); the answer goes on on cpu\.$/);
      assert.equal(model.info.device, 'cpu');
      assert.match(model.info.skippedDevices.at(-1)?.reason ?? '', /failed mid-answer/);
      // The next turn runs on the CPU from the start.
      const next = await answer(model, request);
      assert.equal(next.result.stats.device, 'cpu');
      assert.deepEqual(next.notices, []);
    } finally {
      await model.dispose();
      await cpu.dispose();
    }
  });
});
