// The engine on a real Vulkan device in software (SwiftShader; llvmpipe) through onnxruntime's
// WebGPU provider: the same numbers and answers as the CPU, the KV cache on the device for the whole
// answer, its memory given back. Speed on a software GPU means nothing; correctness does.
import * as assert from 'node:assert/strict';
import type { Tensor } from 'onnxruntime-node';
import { loadModel, type LoadedModel } from '../../src/engine';
import type { ForwardResult } from '../../src/engine/decoderSession';
import type { KvCache } from '../../src/engine/kvCache';
import { DtypeSchema, type GenerationRequest } from '../../src/protocol/engine';
import type { TestModelName } from '../../models/testModels';
import { answer, greedy, modelDir } from '../unit/engine/engineTestSupport';
import { gpuAdapter, loadOnWebGpu, maxAbsDiff, promptIds } from './gpuSupport';

/**
 * Float32 math on the GPU adds up in another order than on the CPU: measured here 3e-6 to 7e-6 on
 * the fp32 models and up to ~1e-5 on q4 ones; 1e-3 leaves room for other drivers while still
 * catching any wrong attention (errors of 0.1 to 1 when a cache row is off).
 */
const FLOAT32_TOLERANCE = 1e-3;
/**
 * float16 models: the GPU computes in f16 (llvmpipe's shader-f16), onnxruntime's CPU mostly in
 * float32 between float16 tensors, so the two round differently. Measured on llvmpipe, logits up to
 * ±5.8: at most 0.0020 (fp16, standard attention), 0.012 (fp16, GroupQueryAttention) and 0.023
 * (q4f16), a few float16 steps (0.0039 at 5). A wrong cache row still gives errors of 0.1 and more.
 * Rounding that differs also flips near-tied greedy picks (the q4f16 model's answer left the CPU's
 * at its 5th token), so a float16 model's greedy answer is compared with the same device's answer
 * through a host-copied cache (the same kernels, bit for bit), and with the CPU only by logits.
 */
const FLOAT16_TOLERANCE = 0.05;

interface GpuTestModel {
  name: TestModelName;
  what: string;
  /** The dtype `auto` should pick on the GPU. */
  dtype: string;
  /** Needs shader-f16 (llvmpipe; SwiftShader lacks it and its fallback is tested in fallback.test.ts). */
  float16?: boolean;
}

const MODELS: GpuTestModel[] = [
  { name: 'tiny-standard-tjs', what: 'transformers.js layout, standard attention, fp32', dtype: 'fp32' },
  { name: 'tiny-gqa-tjs', what: 'transformers.js layout, GroupQueryAttention, fp32', dtype: 'fp32' },
  // A genai folder holds one file: its dtype is what the export says.
  { name: 'tiny-standard-genai', what: 'genai layout, standard attention, fp32', dtype: 'as exported' },
  { name: 'tiny-gqa-genai', what: 'genai layout, GroupQueryAttention, q4 (MatMulNBits)', dtype: 'as exported' },
  { name: 'tiny-standard-tjs-fp16', what: 'transformers.js layout, standard attention, fp16', dtype: 'fp16', float16: true },
  // Holds q4 and fp16 files: auto takes fp16 for the GPU (and q4 for the CPU).
  { name: 'tiny-gqa-tjs-fp16', what: 'transformers.js layout, GroupQueryAttention, fp16 beside q4', dtype: 'fp16', float16: true },
  { name: 'tiny-gqa-genai-fp16', what: 'genai layout, GroupQueryAttention, fp16', dtype: 'as exported', float16: true },
  // Only the file the downloader fetches for a GPU.
  { name: 'tiny-gqa-tjs-q4f16', what: 'transformers.js layout, GroupQueryAttention, q4f16 (MatMulNBits in float16)', dtype: 'q4f16', float16: true },
];

const adapter = gpuAdapter();

const onDevice = (cache: KvCache): boolean => [...cache.tensors.values()].every((t) => t.location === 'gpu-buffer');

for (const { name, what, dtype: expectedDtype, float16 } of MODELS.filter((m) => adapter.shaderF16 || !m.float16)) {
  const tolerance = float16 ? FLOAT16_TOLERANCE : FLOAT32_TOLERANCE;
  describe(`engine on WebGPU/${adapter.name}: ${name} (${what})`, () => {
    let gpu: LoadedModel;
    let cpu: LoadedModel;
    /** Whose greedy answer the device-resident run must write: the CPU's, or for float16 the device's own through the host. */
    let reference: LoadedModel;
    const seen: Tensor[] = [];
    const request = (content: string, extra: Partial<GenerationRequest> = {}): GenerationRequest => ({
      messages: [{ role: 'user', content }],
      maxNewTokens: 24,
      minNewTokens: 24,
      sampling: greedy,
      ...extra,
    });

    before(async () => {
      const dir = await modelDir(name);
      gpu = await loadOnWebGpu(dir);
      // The same weights on both: auto would pick q4 on the CPU where the GPU gets fp32.
      const dtype = DtypeSchema.safeParse(gpu.info.dtype);
      cpu = await loadModel(dir, { device: 'cpu', threads: 1, dtype: dtype.success ? dtype.data : 'auto' });
      assert.equal(cpu.info.modelFile, gpu.info.modelFile);
      reference = cpu;
      if (float16) {
        reference = await loadOnWebGpu(dir, { kvCache: 'packed' });
        assert.equal(reference.decoder.kvLayout, 'packed');
      }
    });
    after(async () => {
      await cpu?.dispose();
      if (reference !== cpu) await reference?.dispose();
    });

    it(`runs on the device with its KV cache kept there (${float16 ? 'float16' : 'float32'}), in ${expectedDtype}, and names the adapter`, () => {
      assert.equal(gpu.info.device, 'webgpu');
      assert.deepEqual(gpu.info.skippedDevices, []);
      assert.equal(gpu.decoder.kvLayout, 'device');
      assert.equal(gpu.info.dtype, expectedDtype);
      assert.equal(gpu.decoder.io.kvType, float16 ? 'float16' : 'float32');
      assert.match(gpu.info.adapter ?? '', adapter.describedAs);
    });

    it(`gives the CPU's logits within ${tolerance}, for a prompt in passes and each decoded token`, async () => {
      const ids = promptIds(48);
      // In passes of the decoder's prefill size: GroupQueryAttention graphs get 16-token passes on
      // SwiftShader, where longer ones computed wrong (decoderSession.ts, longPassesWork).
      let g: ForwardResult = { logits: new Float32Array(0), cache: gpu.decoder.emptyCache() };
      for (let at = 0; at < 40; at += gpu.decoder.prefillChunk) g = await gpu.decoder.forward(ids.slice(at, Math.min(40, at + gpu.decoder.prefillChunk)), g.cache);
      let c = await cpu.decoder.forward(ids.slice(0, 40), cpu.decoder.emptyCache());
      assert.ok(maxAbsDiff(g.logits, c.logits) < tolerance, `prefill: ${maxAbsDiff(g.logits, c.logits)}`);
      for (const id of ids.slice(40)) {
        g = await gpu.decoder.forward([id], g.cache);
        c = await cpu.decoder.forward([id], c.cache);
        assert.ok(maxAbsDiff(g.logits, c.logits) < tolerance, `decode at ${g.cache.length}: ${maxAbsDiff(g.logits, c.logits)}`);
      }
      assert.equal(g.cache.length, 48);
      await gpu.decoder.trim(g.cache, 0);
    });

    it('keeps every KV tensor on the device, step after step, and releases each one it supersedes', async () => {
      const layers = gpu.decoder.io.layers.length;
      let step = await gpu.decoder.forward(promptIds(5), gpu.decoder.emptyCache());
      for (const id of promptIds(12).slice(5)) {
        const before = [...step.cache.tensors.values()];
        assert.ok(onDevice(step.cache), `locations: ${before.map((t) => t.location).join(', ')}`);
        seen.push(...before);
        step = await gpu.decoder.forward([id], step.cache);
        assert.deepEqual(new Set(before.map((t) => t.location)), new Set(['none']), 'the superseded cache was not disposed');
        assert.equal(gpu.decoder.liveDeviceTensors().length, 2 * layers);
      }
      // Only the token id (and position) go to the device, the same bytes at any context length: the
      // graph builds its own attention mask (deviceMaskRewrite.ts); only the last position's logits come back.
      assert.equal(gpu.decoder.io.attentionMask, undefined, 'the session should take no attention mask');
      const vocab = step.logits.length;
      const idBytes = gpu.decoder.io.positionIds ? 16 : 8;
      const logitsToKeep = gpu.decoder.io.logitsToKeep ? 8 : 0;
      for (const id of [7, 8, 9]) {
        const from = { ...gpu.decoder.transferred };
        step = await gpu.decoder.forward([id], step.cache);
        assert.equal(gpu.decoder.transferred.toHost - from.toHost, vocab * (float16 ? 2 : 4));
        assert.equal(gpu.decoder.transferred.toDevice - from.toDevice, idBytes + logitsToKeep, `at ${step.cache.length} tokens`);
      }
      seen.push(...step.cache.tensors.values());
      await gpu.decoder.trim(step.cache, 0);
      assert.equal(gpu.decoder.liveDeviceTensors().length, 0);
    });

    it(`writes the greedy answer ${float16 ? 'it writes with its cache copied through the host' : 'the CPU writes'}, with one cache on the device throughout`, async () => {
      const layers = gpu.decoder.io.layers.length;
      const counts = new Set<number>();
      const deltas: string[] = [];
      for await (const event of gpu.generate(request('Say something about the sea.', { maxNewTokens: 40, minNewTokens: 40 }))) {
        if (event.type === 'delta') {
          deltas.push(event.text);
          const live = gpu.decoder.liveDeviceTensors();
          counts.add(live.length);
          assert.ok(live.every((t) => t.location === 'gpu-buffer'));
        }
      }
      const expected = await answer(reference, request('Say something about the sea.', { maxNewTokens: 40, minNewTokens: 40 }));
      assert.equal(deltas.join(''), expected.text);
      assert.deepEqual([...counts], [2 * layers], 'device memory did not stay at one cache');
      // Without a conversation nothing is kept.
      assert.equal(gpu.decoder.liveDeviceTensors().length, 0);
    });

    it('answers a follow-up, an edited message and a regenerated answer as a cold run does, reusing the device cache', async () => {
      const conversationId = `c-${name}`;
      // Short answers: a software GPU is slow, and the cache logic does not need long ones.
      const first = request('Tell me about rivers and lakes.', { conversationId, maxNewTokens: 12, minNewTokens: 12 });
      const a1 = await answer(gpu, first);
      const followUp: GenerationRequest = {
        ...first,
        messages: [...first.messages, { role: 'assistant', content: a1.text }, { role: 'user', content: 'And mountains?' }],
      };
      const a2 = await answer(gpu, followUp);
      assert.ok(a2.result.usage.cachedTokens > first.messages[0]!.content.length / 4, `cached ${a2.result.usage.cachedTokens}`);
      assert.equal(a2.text, (await answer(gpu, { ...followUp, conversationId: undefined })).text);

      // An edit of the first message: the cache is trimmed on the device to the common prefix.
      const edited = request('Tell me about deserts.', { conversationId, maxNewTokens: 12, minNewTokens: 12 });
      const a3 = await answer(gpu, edited);
      assert.ok(a3.result.usage.cachedTokens > 0 && a3.result.usage.cachedTokens < a2.result.usage.cachedTokens);
      assert.equal(a3.text, (await answer(gpu, { ...edited, conversationId: undefined })).text);

      // Regenerating the same turn reuses all but its last prompt token.
      const a4 = await answer(gpu, edited);
      assert.equal(a4.result.usage.cachedTokens, a4.result.usage.promptTokens - 1);
      assert.equal(a4.text, a3.text);
      assert.equal(gpu.decoder.liveDeviceTensors().length, 2 * gpu.decoder.io.layers.length, 'one cached conversation');
    });

    it('stops mid-answer when cancelled, and the next turn still equals a cold run', async () => {
      const conversationId = `cancel-${name}`;
      const controller = new AbortController();
      const deltas: string[] = [];
      let finish = '';
      for await (const event of gpu.generate(request('Count slowly.', { conversationId, maxNewTokens: 200, minNewTokens: 200 }), controller.signal)) {
        if (event.type === 'delta' && deltas.push(event.text) === 3) controller.abort();
        if (event.type === 'done') finish = `${event.result.finishReason}/${event.result.usage.completionTokens}`;
      }
      assert.match(finish, /^cancelled\/\d+$/);
      assert.ok(Number(finish.split('/')[1]) < 10, finish);
      const next = request('Count slowly.', { conversationId });
      assert.equal((await answer(gpu, next)).text, (await answer(reference, next)).text);
    });

    it('gives all device memory back on dispose', async () => {
      assert.ok(gpu.decoder.liveDeviceTensors().length > 0, 'a conversation cache should be held before dispose');
      const held = gpu.decoder.liveDeviceTensors();
      await gpu.dispose();
      assert.deepEqual(gpu.decoder.liveDeviceTensors(), []);
      assert.deepEqual(new Set([...seen, ...held].map((t) => t.location)), new Set(['none']));
    });
  });
}
