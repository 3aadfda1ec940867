// Opens an onnxruntime session on the best device that works. onnxruntime-node has no automatic
// fallback (a missing CUDA library or WebGPU adapter throws), so each provider is tried on its
// own and the CPU is the last resort; every skipped device is reported with its reason.
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { InferenceSession } from 'onnxruntime-node';
import type { Device, SkippedDevice } from '../protocol/engine';
import { softwareOnlyReason } from './adapterInfo';
import { errorMessage, throwIfAborted } from './errors';

export type ConcreteDevice = Exclude<Device, 'auto'>;

/** Devices to try, in order, for a requested device on this platform (always ending in cpu). */
export function deviceCandidates(requested: Device, platform: NodeJS.Platform = process.platform): ConcreteDevice[] {
  if (requested === 'cpu') return ['cpu'];
  if (requested !== 'auto') return [requested, 'cpu'];
  switch (platform) {
    case 'win32':
      return ['dml', 'cpu'];
    case 'darwin':
      return ['coreml', 'cpu'];
    case 'linux':
      return ['cuda', 'webgpu', 'cpu'];
    default:
      return ['cpu'];
  }
}

/** Why a device cannot work on this platform at all (trying it would silently run on the CPU). */
export function unavailableReason(device: ConcreteDevice, platform: NodeJS.Platform = process.platform, arch: string = process.arch): string | undefined {
  if (device === 'dml' && platform !== 'win32') return 'DirectML is only available on Windows';
  if (device === 'coreml' && platform !== 'darwin') return 'CoreML is only available on macOS';
  if (device === 'cuda' && !((platform === 'linux' || platform === 'win32') && arch === 'x64')) {
    return 'CUDA is only available on Linux and Windows x64';
  }
  return undefined;
}

/** Where onnxruntime-node keeps its native libraries for this platform (the CUDA provider goes there too). */
export function onnxruntimeBinDir(platform: NodeJS.Platform = process.platform, arch: string = process.arch): string | undefined {
  try {
    return join(dirname(require.resolve('onnxruntime-node')), '..', 'bin', 'napi-v6', platform, arch);
  } catch {
    return undefined;
  }
}

/**
 * Why CUDA cannot load here when its provider library is not beside onnxruntime's own (the npm
 * package leaves it out; trying it anyway only fails inside onnxruntime with a less helpful message).
 */
export function missingCudaLibrary(binDir: string | undefined = onnxruntimeBinDir(), platform: NodeJS.Platform = process.platform): string | undefined {
  // Not found where it should be: let onnxruntime try, and say what it says.
  if (binDir === undefined) return undefined;
  const file = platform === 'win32' ? 'onnxruntime_providers_cuda.dll' : 'libonnxruntime_providers_cuda.so';
  return existsSync(join(binDir, file)) ? undefined : `CUDA: ${file} is not in ${binDir}${CUDA_HINT}`;
}

/** Physical cores (onnxruntime runs best with one thread per core, not per hyperthread). */
export function physicalCores(): number {
  const logical = availableParallelism();
  if (process.platform !== 'linux') return logical;
  try {
    const cores = new Set<string>();
    let physicalId = '';
    for (const line of readFileSync('/proc/cpuinfo', 'utf8').split('\n')) {
      const [key, value] = line.split(':').map((s) => s.trim());
      if (key === 'physical id') physicalId = value ?? '';
      if (key === 'core id') cores.add(`${physicalId}/${value}`);
    }
    return cores.size > 0 ? Math.min(cores.size, logical) : logical;
  } catch {
    return logical;
  }
}

export interface OpenedSession<T> {
  session: InferenceSession;
  device: ConcreteDevice;
  skipped: SkippedDevice[];
  /** What `prepare` returned for the device that worked (e.g. the chosen weight file). */
  prepared: T;
  /** onnxruntime's intra-op thread count. */
  threads: number;
}

/**
 * Devices whose outputs onnxruntime-node can keep on the device ('gpu-buffer'), so the KV cache
 * stays there between tokens. Only WebGPU has that binding in onnxruntime-node 1.30; the other
 * GPU providers get their cache copied through the host each step.
 */
export const DEVICE_RESIDENT_KV: ReadonlySet<ConcreteDevice> = new Set(['webgpu']);

export type CreateSession = (model: string | Uint8Array, options: InferenceSession.SessionOptions) => Promise<InferenceSession>;

export interface OpenSessionOptions<T> {
  requested: Device;
  /** Devices to try instead of `requested`'s candidates (a fallback after a device failed). */
  candidates?: readonly ConcreteDevice[];
  threads: number;
  /** Let idle intra-op threads spin (slightly lower latency on an otherwise idle machine). */
  allowSpinning?: boolean;
  /** Write onnxruntime's per-node profile to `<prefix>_<date>.json` when the session is released (benchmarks). */
  profileFilePrefix?: string;
  /** Called per candidate device before opening; throwing stops the search (a model error). */
  prepare(device: ConcreteDevice): T & { path: string };
  /** The model's bytes to load on this device instead of its file (a patched copy); undefined loads the file. */
  load?(path: string, device: ConcreteDevice): Uint8Array | undefined;
  /** Optional smoke test on a GPU session; throwing moves on to the next device. */
  check?(session: InferenceSession, device: ConcreteDevice): Promise<void>;
  /** Outputs to leave on this device (DEVICE_RESIDENT_KV devices only): the present KV cache. */
  outputsOnDevice?(device: ConcreteDevice): readonly string[];
  /** Makes the session (default InferenceSession.create); tests put a failing provider here. */
  createSession?: CreateSession;
}

/**
 * How long an idle onnxruntime worker spins before it sleeps (`session.intra_op.spin_duration_us`,
 * onnxruntime 1.26+). Measured on the int4 benchmark model, 2 cores, 200-token context, median of 6
 * interleaved runs each: 42.2 tok/s (5 µs: 39.9, 15: 41.2, 50: 41.1; never spinning: 36.1 in an
 * earlier series) on a quiet machine, and 29.4 with one core busy elsewhere (5 µs: 26.6, 15: 28.7,
 * 30: 23.3, 50: 23.2; never spinning: 28.4).
 */
export const BRIEF_SPIN_MICROSECONDS = 10;

/** What a session is opened with; `externalDataFolder` is set when the model is loaded from bytes. */
export function sessionOptionsFor(
  device: ConcreteDevice,
  intraOpNumThreads: number,
  options: Pick<OpenSessionOptions<unknown>, 'allowSpinning' | 'profileFilePrefix'>,
  externalDataFolder?: string,
  outputsOnDevice: readonly string[] = [],
): InferenceSession.SessionOptions {
  const onDevice = DEVICE_RESIDENT_KV.has(device) && outputsOnDevice.length > 0;
  const preferredOutputLocation = onDevice ? { preferredOutputLocation: Object.fromEntries(outputsOnDevice.map((name) => [name, 'gpu-buffer' as const])) } : {};
  const externalData = externalDataFolder ? { model_external_initializers_file_folder_path: externalDataFolder } : {};
  // Worker threads that spin for work at full speed fight the editor for the cores (measured
  // with one of two cores busy: 21.0 tok/s against 28.4 sleeping). By default a worker spins
  // BRIEF_SPIN_MICROSECONDS and then sleeps: long enough to catch the next operator of the same
  // forward pass without a wake-up, short enough to give the core back. When a user turns full
  // spinning on, it lasts for a forward pass only (force_spinning_stop).
  const spinning = options.allowSpinning
    ? { intra_op: { allow_spinning: '1' }, force_spinning_stop: '1' }
    : { intra_op: { allow_spinning: '1', spin_duration_us: String(BRIEF_SPIN_MICROSECONDS) } };
  return {
    executionProviders: [device],
    intraOpNumThreads,
    graphOptimizationLevel: 'all',
    // onnxruntime's CPU arena: with the new-rows KV rewrite each step allocates every layer's
    // present cache inside onnxruntime (27 MB at 1000 tokens), and the arena hands the same blocks
    // back step after step whatever the C library's allocator does. Without it that depends on
    // malloc keeping freed blocks mapped: measured at 1000 tokens, 25.4 ms per step with the arena
    // against 30.7 under glibc's defaults, and 36 against 100 ms (4,600 page faults per step) when
    // onnxruntime's profiler disturbs the heap. Peak memory in a 2000-token chat was the same.
    enableCpuMemArena: true,
    // The memory pattern plans one block for all of a run's intermediate values, reused when the
    // input shapes repeat. Decoding repeats shapes when a prefix-cached turn retraces an earlier
    // one, and with the KV rows rewrite that block holds every layer's present cache (50 MB at 2000
    // tokens): a fresh mmap, page-faulted in every step (measured 12,900 faults and 200 ms instead of
    // 33 ms per token). Without it each value is allocated as the run reaches it.
    enableMemPattern: false,
    extra: { session: { ...spinning, ...externalData } },
    logSeverityLevel: 3,
    ...preferredOutputLocation,
    ...(options.profileFilePrefix ? { enableProfiling: true, profileFilePrefix: options.profileFilePrefix } : {}),
  };
}

export async function openSession<T>(options: OpenSessionOptions<T>, signal?: AbortSignal): Promise<OpenedSession<T>> {
  const skipped: SkippedDevice[] = [];
  const intraOpNumThreads = options.threads > 0 ? options.threads : physicalCores();
  const candidates = options.candidates ?? deviceCandidates(options.requested);
  const create: CreateSession = options.createSession ?? ((model, sessionOptions) => (typeof model === 'string' ? InferenceSession.create(model, sessionOptions) : InferenceSession.create(model, sessionOptions)));
  for (const device of candidates) {
    throwIfAborted(signal);
    const unavailable =
      unavailableReason(device) ?? (device === 'cuda' ? missingCudaLibrary() : undefined) ?? (device === 'webgpu' && options.requested === 'auto' ? softwareOnlyReason() : undefined);
    if (unavailable) {
      skipped.push({ device, reason: unavailable });
      continue;
    }
    const prepared = options.prepare(device);
    let session: InferenceSession | undefined;
    try {
      const bytes = options.load?.(prepared.path, device);
      // From bytes, onnxruntime resolves external weight files against this folder (not the working directory).
      const sessionOptions = sessionOptionsFor(device, intraOpNumThreads, options, bytes ? dirname(prepared.path) : undefined, options.outputsOnDevice?.(device));
      session = await create(bytes ?? prepared.path, sessionOptions);
      if (device !== 'cpu' && options.check) await options.check(session, device);
      return { session, device, skipped, prepared, threads: intraOpNumThreads };
    } catch (err) {
      await session?.release().catch(() => undefined);
      if (device === 'cpu') throw err;
      skipped.push({ device, reason: failureReason(device, errorMessage(err)) });
    }
  }
  // Only reachable with explicit candidates that leave out the CPU.
  throw new Error(`no device worked: ${skipped.map((s) => s.reason).join('; ')}`);
}

const PROVIDER_NAMES: Record<ConcreteDevice, string> = {
  cpu: 'CPU',
  cuda: 'CUDA',
  dml: 'DirectML',
  coreml: 'CoreML',
  webgpu: 'WebGPU',
};

/** What a CUDA failure to load lacks, and where to get it (README: "CUDA"). */
export const CUDA_HINT =
  ' (missing: onnxruntime\'s CUDA provider, libonnxruntime_providers_cuda.so and libonnxruntime_providers_shared.so beside onnxruntime-node\'s' +
  ' libonnxruntime.so, which its install script downloads from NuGet only on request, plus the CUDA 12 runtime, cuBLAS and cuDNN 9 on the library path;' +
  ' see "CUDA" in Hearth\'s README)';

/** A one-line reason without onnxruntime's source paths, e.g. "WebGPU: Failed to get a WebGPU adapter: ...". */
export function failureReason(device: ConcreteDevice, message: string): string {
  const line = (message.split('\n').find((l) => l.trim()) ?? message).trim();
  const at = line.search(/Failed to|Could not|not (?:found|available|supported)/i);
  let reason = (at > 0 ? line.slice(at) : line).slice(0, 200);
  if (device === 'cuda' && /shared library|providers_cuda|libcu|cudnn/i.test(reason)) reason += CUDA_HINT;
  if (/requires f16 but the device does not support it/.test(message)) {
    reason = 'this adapter lacks shader-f16, which a float16 model needs (hearth.local.dtype fp32 or q4 runs on it)';
  }
  return `${PROVIDER_NAMES[device]}: ${reason}`;
}
