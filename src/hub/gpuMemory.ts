// How much memory this machine's GPU has, for the catalog's "fits your GPU" (WebGPU and onnxruntime
// do not report it). Asked of the OS only where its answer is reliable, without native modules:
// nvidia-smi, Linux's amdgpu sysfs files, and Apple silicon's unified memory. Anything else is
// unknown (undefined): a wrong number would send people to the wrong download.
import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { arch, cpus, platform } from 'node:os';
import { join } from 'node:path';
import { PCI_VENDORS } from '../engine/adapterInfo';

export interface GpuInfo {
  name: string;
  /** The GPU's own memory, in bytes. */
  bytes: number;
}

export type GpuMemory =
  /** GPUs with memory of their own, largest first. */
  | { kind: 'dedicated'; gpus: GpuInfo[] }
  /** Apple silicon: the GPU shares the RAM, so a GPU variant is judged against the RAM. */
  | { kind: 'unified' };

/** Runs a program (no shell) and resolves with its stdout; rejects when it fails, is missing or the signal aborts it. */
export type CommandRunner = (file: string, args: string[], signal: AbortSignal) => Promise<string>;

export interface GpuProbeEnvironment {
  platform: NodeJS.Platform;
  arch: string;
  /** os.cpus()[0].model, e.g. "Apple M2": an x64 build under Rosetta reports arch x64 on Apple silicon. */
  cpuModel: string;
  /** Folder of DRM devices (/sys/class/drm). */
  drmDir: string;
  run: CommandRunner;
  /** How long nvidia-smi may take (it can hang for seconds on a driver in a bad state). */
  timeoutMs: number;
}

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;
/**
 * An integrated GPU's carve-out (AMD APUs reserve 512 MB to 2 GB of RAM by default) is not a limit:
 * the GPU can also use RAM beyond it. Below this the sysfs figure is treated as unknown.
 */
const MIN_DEDICATED_BYTES = 2 * GiB;

export const runCommand: CommandRunner = (file, args, signal) =>
  new Promise((resolve, reject) => {
    execFile(file, args, { signal, windowsHide: true, maxBuffer: 64 * 1024, encoding: 'utf8' }, (error, stdout) => (error ? reject(error) : resolve(stdout)));
  });

export function hostGpuEnvironment(): GpuProbeEnvironment {
  return { platform: platform(), arch: arch(), cpuModel: cpus()[0]?.model ?? '', drmDir: '/sys/class/drm', run: runCommand, timeoutMs: 3000 };
}

/** The GPU(s) and their memory, or undefined where it cannot be found out reliably. Never throws. */
export async function probeGpuMemory(env: GpuProbeEnvironment, signal?: AbortSignal): Promise<GpuMemory | undefined> {
  if (env.platform === 'darwin') {
    // Intel Macs' discrete GPUs only say their memory through system_profiler (seconds): unknown.
    return env.arch === 'arm64' || /^Apple /.test(env.cpuModel) ? { kind: 'unified' } : undefined;
  }
  // Windows: nvidia-smi ships with NVIDIA's driver (in System32). Win32_VideoController.AdapterRAM is a
  // 32-bit field (capped at 4 GB, wrong for most cards), so other GPUs there stay unknown.
  const gpus = [...(await nvidiaSmi(env, signal)), ...(env.platform === 'linux' ? await sysfsVram(env.drmDir) : [])];
  return gpus.length > 0 ? { kind: 'dedicated', gpus: gpus.sort((a, b) => b.bytes - a.bytes) } : undefined;
}

async function nvidiaSmi(env: GpuProbeEnvironment, signal: AbortSignal | undefined): Promise<GpuInfo[]> {
  const timeout = AbortSignal.timeout(env.timeoutMs);
  try {
    const out = await env.run('nvidia-smi', ['--query-gpu=name,memory.total', '--format=csv,noheader,nounits'], signal ? AbortSignal.any([signal, timeout]) : timeout);
    return parseNvidiaSmi(out);
  } catch {
    return []; // not installed, no driver loaded, timed out, or cancelled
  }
}

/** Lines of "NVIDIA GeForce RTX 4070, 12282" (MiB); "[N/A]" (e.g. unified-memory Grace boards) and malformed lines are left out. */
export function parseNvidiaSmi(out: string): GpuInfo[] {
  return out.split(/\r?\n/).flatMap((line) => {
    const comma = line.lastIndexOf(',');
    const name = line.slice(0, comma).trim();
    const mib = line.slice(comma + 1).trim();
    if (comma < 0 || !name || !/^\d+$/.test(mib) || Number(mib) === 0) return [];
    return [{ name, bytes: Number(mib) * MiB }];
  });
}

/** amdgpu writes each card's VRAM to mem_info_vram_total, in bytes (Intel's i915 and xe do not: unknown). */
async function sysfsVram(drmDir: string): Promise<GpuInfo[]> {
  let cards: string[];
  try {
    cards = (await readdir(drmDir)).filter((name) => /^card\d+$/.test(name));
  } catch {
    return [];
  }
  const found = await Promise.all(
    cards.sort().map(async (card): Promise<GpuInfo[]> => {
      const device = join(drmDir, card, 'device');
      const total = (await readText(join(device, 'mem_info_vram_total'))) ?? '';
      if (!/^\d+$/.test(total) || Number(total) < MIN_DEDICATED_BYTES) return [];
      const product = await readText(join(device, 'product_name'));
      const vendor = PCI_VENDORS[(await readText(join(device, 'vendor'))) ?? ''];
      return [{ name: product || `${vendor ?? 'Unknown'} GPU (${card})`, bytes: Number(total) }];
    }),
  );
  return found.flat();
}

async function readText(file: string): Promise<string | undefined> {
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch {
    return undefined;
  }
}
