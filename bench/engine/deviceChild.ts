// One device-transfer measurement in its own process (the Vulkan loader reads its environment at
// start): loads a model on the device, and at each context length prefills that many tokens and
// decodes a few, counting the bytes the engine moves between host and device per decoded token.
// Prints `RESULT <json>` (DeviceResult).
import { parseArgs } from 'node:util';
import { loadModel } from '../../src/engine';
import type { ForwardResult } from '../../src/engine/decoderSession';
import type { Device } from '../../src/protocol/engine';
import type { DeviceResult } from './deviceTypes';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { model: { type: 'string' }, device: { type: 'string' }, contexts: { type: 'string' }, steps: { type: 'string' }, kv: { type: 'string' } } });
  const dir = values.model ?? '';
  const device = (values.device ?? 'webgpu') as Device;
  const steps = Number(values.steps ?? 8);
  const contexts = (values.contexts ?? '200,2000').split(',').map(Number);
  const model = await loadModel(dir, { device, threads: 0, ...(values.kv === 'packed' ? { kvCache: 'packed' as const } : {}) });
  const decoder = model.decoder;
  const result: DeviceResult = {
    device: model.info.device,
    adapter: model.info.adapter ?? '',
    dtype: model.info.dtype,
    kvLayout: decoder.kvLayout,
    skipped: model.info.skippedDevices.map((s) => s.reason),
    logitsBytes: 4 * (decoder.io.vocabSize ?? 0),
    contexts: [],
  };
  for (const context of contexts) {
    const ids = Array.from({ length: context }, (_, i) => (i * 37 + 11) % 251);
    let step: ForwardResult = { logits: new Float32Array(0), cache: decoder.emptyCache() };
    for (let at = 0; at < ids.length; at += decoder.prefillChunk) step = await decoder.forward(ids.slice(at, at + decoder.prefillChunk), step.cache);
    const from = { ...decoder.transferred };
    const started = performance.now();
    for (let i = 0; i < steps; i++) {
      let best = 0;
      for (let v = 1; v < step.logits.length; v++) if ((step.logits[v] as number) > (step.logits[best] as number)) best = v;
      step = await decoder.forward([best], step.cache);
    }
    const seconds = (performance.now() - started) / 1000;
    const toDevice = (decoder.transferred.toDevice - from.toDevice) / steps;
    const toHost = (decoder.transferred.toHost - from.toHost) / steps;
    result.contexts.push({ context, toDevice, toHost, bytesPerToken: toDevice + toHost, tokensPerSecond: steps / seconds });
    await decoder.trim(step.cache, 0);
    console.error(`  ${context}-token context: ${Math.round(toDevice + toHost)} bytes per token (${Math.round(toDevice)} to the device, ${Math.round(toHost)} back), ${(steps / seconds).toFixed(1)} tok/s`);
  }
  await model.dispose();
  console.log(`RESULT ${JSON.stringify(result)}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
