// One device-transfer measurement in its own process (the Vulkan loader reads its environment at
// start): loads a model on the device, and at each context length prefills that many tokens and
// decodes a few, counting the bytes the engine moves between host and device per decoded token.
// Prints `RESULT <json>` (DeviceResult).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { InferenceSession } from 'onnxruntime-node';
import { loadModel } from '../../src/engine';
import type { ForwardResult } from '../../src/engine/decoderSession';
import type { Device } from '../../src/protocol/engine';
import { copiesPerRun } from './copyProfile';
import type { DeviceResult } from './deviceTypes';
import { findProfileFile } from './opProfile';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { model: { type: 'string' }, device: { type: 'string' }, contexts: { type: 'string' }, steps: { type: 'string' }, kv: { type: 'string' } } });
  const dir = values.model ?? '';
  const device = (values.device ?? 'webgpu') as Device;
  const steps = Number(values.steps ?? 8);
  const contexts = (values.contexts ?? '200,2000').split(',').map(Number);
  // Profiled: onnxruntime's own copies between host and device inside each run (copyProfile.ts).
  const profileDir = mkdtempSync(join(tmpdir(), 'hearth-device-bench-'));
  const profilePrefix = join(profileDir, 'run');
  const model = await loadModel(dir, { device, threads: 0, profileFilePrefix: profilePrefix, ...(values.kv === 'packed' ? { kvCache: 'packed' as const } : {}) });
  const decoder = model.decoder;
  const result: DeviceResult = {
    device: model.info.device,
    adapter: model.info.adapter ?? '',
    dtype: model.info.dtype,
    kvLayout: decoder.kvLayout,
    skipped: model.info.skippedDevices.map((s) => s.reason),
    logitsBytes: logitsElementBytes(decoder.session, decoder.io.logits) * (decoder.io.vocabSize ?? 0),
    contexts: [],
  };
  /** Per context, the runs (forward passes) this script made before its decode steps, and the engine's counts over them. */
  let ownRuns = 0;
  const measured: { context: number; firstStep: number; engine: { toDevice: number; toHost: number }; seconds: number }[] = [];
  for (const context of contexts) {
    const ids = Array.from({ length: context }, (_, i) => (i * 37 + 11) % 251);
    let step: ForwardResult = { logits: new Float32Array(0), cache: decoder.emptyCache() };
    for (let at = 0; at < ids.length; at += decoder.prefillChunk, ownRuns++) step = await decoder.forward(ids.slice(at, at + decoder.prefillChunk), step.cache);
    const firstStep = ownRuns;
    const from = { ...decoder.transferred };
    const started = performance.now();
    for (let i = 0; i < steps; i++) {
      let best = 0;
      for (let v = 1; v < step.logits.length; v++) if ((step.logits[v] as number) > (step.logits[best] as number)) best = v;
      step = await decoder.forward([best], step.cache);
      ownRuns++;
    }
    const seconds = (performance.now() - started) / 1000;
    const engine = { toDevice: decoder.transferred.toDevice - from.toDevice, toHost: decoder.transferred.toHost - from.toHost };
    measured.push({ context, firstStep, engine, seconds });
    await decoder.trim(step.cache, 0);
  }
  await model.dispose();
  // This script's runs are the profile's last ones (the engine's load checks ran before them).
  const runs = copiesPerRun(JSON.parse(readFileSync(findProfileFile(profilePrefix), 'utf8')));
  rmSync(profileDir, { recursive: true, force: true });
  const mine = runs.slice(runs.length - ownRuns);
  for (const m of measured) {
    const inside = mine.slice(m.firstStep, m.firstStep + steps).reduce((sum, r) => ({ toDevice: sum.toDevice + r.toDevice, toHost: sum.toHost + r.toHost }), { toDevice: 0, toHost: 0 });
    const toDevice = (m.engine.toDevice + inside.toDevice) / steps;
    const toHost = (m.engine.toHost + inside.toHost) / steps;
    const insideRuns = { toDevice: inside.toDevice / steps, toHost: inside.toHost / steps };
    result.contexts.push({ context: m.context, toDevice, toHost, bytesPerToken: toDevice + toHost, tokensPerSecond: steps / m.seconds, insideRuns });
    console.error(`  ${m.context}-token context: ${Math.round(toDevice + toHost)} bytes per token (${Math.round(toDevice)} to the device, ${Math.round(toHost)} back; of them onnxruntime's own copies inside the run: ${insideRuns.toDevice} in, ${insideRuns.toHost} out), ${(steps / m.seconds).toFixed(1)} tok/s`);
  }
  console.log(`RESULT ${JSON.stringify(result)}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

/** float16 exports (fp16, q4f16) return float16 logits. */
function logitsElementBytes(session: InferenceSession, name: string): number {
  const meta = session.outputMetadata.find((m) => m.name === name);
  return meta?.isTensor && meta.type === 'float16' ? 2 : 4;
}
