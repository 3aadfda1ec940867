// `npm run bench:engine -- --device webgpu`: the bytes Hearth's engine moves between host and
// device per decoded token at 200 and 2000 tokens of context, with the KV cache kept on the device
// (as shipped) and, for comparison, copied through the host each step (kvCache 'packed'). Counted
// from the tensors the engine feeds and fetches in host memory (each counted as crossing, though
// onnxruntime may use one on the host only: an upper bound) plus the Memcpy nodes onnxruntime runs
// inside each run (from its profile, copyProfile.ts), so the numbers hold on any device; the speeds
// are the device's own (meaningless on SwiftShader or llvmpipe, GPUs in software; lowered a little by profiling).
import { join } from 'node:path';
import { ensureModel, type TestModelName } from '../../models/testModels';
import { type SoftwareAdapter, softwareGpuEnv } from '../../scripts/lib/softwareGpu';
import type { DeviceResult } from './deviceTypes';
import { EXTRA, FULL, runChild } from './harness';

export interface DeviceBenchOptions {
  device: string;
  /** A --model key, or one of TINY's keys (the tiny test models: what a software GPU gets through in minutes). */
  model: string;
  /** Run on a Vulkan device in software (scripts/lib/softwareGpu.ts) rather than the machine's own GPU. */
  softwareGpu?: SoftwareAdapter;
  steps: number;
}

const CONTEXTS = [200, 2000];

/** float16 ones need an adapter with shader-f16 (llvmpipe, not SwiftShader). */
const TINY: Record<string, TestModelName> = {
  tiny: 'tiny-gqa-tjs',
  'tiny-standard': 'tiny-standard-tjs',
  'tiny-fp16': 'tiny-gqa-tjs-fp16',
  'tiny-standard-fp16': 'tiny-standard-tjs-fp16',
  'tiny-q4f16': 'tiny-gqa-tjs-q4f16',
};

function modelName(key: string): TestModelName {
  const tiny = TINY[key];
  if (tiny) return tiny;
  const model = [...FULL, ...EXTRA].find((m) => m.key === key);
  if (!model) throw new Error(`--model is one of ${[...Object.keys(TINY), ...[...FULL, ...EXTRA].map((m) => m.key)].join(', ')}, not '${key}'.`);
  return model.name;
}

export async function runDeviceBench(options: DeviceBenchOptions): Promise<void> {
  const name = modelName(options.model);
  console.error(`Preparing ${name} ...`);
  const dir = await ensureModel(name);
  const gpu = options.softwareGpu ? softwareGpuEnv(options.softwareGpu, process.env) : undefined;
  const child = join(__dirname, 'deviceChild.ts');
  const measure = async (kv: 'auto' | 'packed'): Promise<DeviceResult> => {
    console.error(`Measuring ${name} on ${options.device}, KV cache ${kv === 'auto' ? 'on the device (as shipped)' : 'copied through the host each step'} ...`);
    const args = ['--import', 'tsx', child, '--model', dir, '--device', options.device, '--contexts', CONTEXTS.join(','), '--steps', String(options.steps), '--kv', kv];
    return JSON.parse(await runChild(args[0] as string, args.slice(1), gpu?.env ?? process.env, 'RESULT')) as DeviceResult;
  };
  try {
    const resident = await measure('auto');
    if (resident.device !== options.device) throw new Error(`The model ran on ${resident.device}, not ${options.device}: ${resident.skipped.join('; ')}`);
    const copied = await measure('packed');
    const perToken = (r: DeviceResult, context: number): number => r.contexts.find((c) => c.context === context)?.bytesPerToken ?? NaN;
    const summary = (r: DeviceResult) => {
      const at200 = perToken(r, 200);
      const at2000 = perToken(r, 2000);
      const inside = (context: number): number => {
        const c = r.contexts.find((x) => x.context === context);
        return c ? Math.round(c.insideRuns.toDevice + c.insideRuns.toHost) : NaN;
      };
      return {
        transferBytesPerToken200: Math.round(at200),
        transferBytesPerToken2000: Math.round(at2000),
        transferRatio: Math.round((at2000 / at200) * 100) / 100,
        // Of those, onnxruntime's own copies inside the run (Memcpy nodes it placed around its CPU nodes).
        insideRunBytesPerToken200: inside(200),
        insideRunBytesPerToken2000: inside(2000),
      };
    };
    console.log(`\n${name} on ${resident.device} (${resident.adapter || 'adapter unknown'}), ${resident.dtype}; one position's logits: ${resident.logitsBytes} bytes`);
    for (const [label, r] of [['KV cache on the device', resident], ['KV cache through the host', copied]] as const) {
      for (const c of r.contexts) {
        const inside = `onnxruntime's Memcpy nodes: ${Math.round(c.insideRuns.toDevice)} in, ${Math.round(c.insideRuns.toHost)} out`;
        console.log(`  ${label.padEnd(26)} ${String(c.context).padStart(5)}-token context: ${String(Math.round(c.bytesPerToken)).padStart(10)} bytes/token (${Math.round(c.toDevice)} in, ${Math.round(c.toHost)} out; ${inside}), ${c.tokensPerSecond.toFixed(1)} tok/s`);
      }
    }
    console.log(
      JSON.stringify({
        device: resident.device,
        adapter: resident.adapter,
        model: name,
        dtype: resident.dtype,
        logitsBytes: resident.logitsBytes,
        ...summary(resident),
        hostCopiedKv: summary(copied),
        ...(options.softwareGpu ? { softwareGpu: options.softwareGpu } : {}),
      }),
    );
  } finally {
    gpu?.cleanup();
  }
}
