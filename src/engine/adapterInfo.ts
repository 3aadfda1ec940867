// Names the GPU behind a WebGPU session for the status line. onnxruntime-node does not report the
// adapter Dawn picked, so this is inferred: the backend from the platform; on Linux the adapter from
// the Vulkan driver named by VK_ICD_FILENAMES (SwiftShader or llvmpipe in Hearth's tests), else
// NVIDIA's driver's GPU names and the PCI vendors of the machine's display devices; on macOS the
// Apple chip. Windows says D3D12 only (naming its GPU would need a WMI query). It also tells `auto`
// when WebGPU would only find a software Vulkan driver (SwiftShader, Mesa's llvmpipe), which is far
// slower than onnxruntime's CPU.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { basename, join } from 'node:path';

const BACKENDS: Partial<Record<NodeJS.Platform, string>> = { linux: 'Vulkan', darwin: 'Metal', win32: 'D3D12' };
/** Display devices' PCI vendor ids (sysfs `vendor` files); the catalog's GPU probe names cards by them too. */
export const PCI_VENDORS: Readonly<Record<string, string>> = { '0x10de': 'NVIDIA', '0x1002': 'AMD', '0x8086': 'Intel', '0x1af4': 'virtio' };

/** PCI vendors whose GPUs have hardware Vulkan drivers Dawn takes (onnxruntime's WebGPU ships for Linux x64 only). */
const HARDWARE_VENDORS = new Set(['0x10de', '0x1002', '0x8086']);
const SWIFTSHADER_ICD = /swiftshader/i;
const LLVMPIPE_ICD = /lvp|llvmpipe|lavapipe/i;
const isSoftwareIcd = (file: string): boolean => SWIFTSHADER_ICD.test(basename(file)) || LLVMPIPE_ICD.test(basename(file));

export interface AdapterEnvironment {
  platform: NodeJS.Platform;
  icdFiles?: string;
  /** Folder of DRM devices (/sys/class/drm). */
  drmDir: string;
  /**
   * NVIDIA's driver folder (/proc/driver/nvidia): it is there even without a DRM card (nvidia-drm not
   * loaded), and gpus/<bus id>/information names each GPU ("Model: NVIDIA GeForce RTX 4070").
   */
  nvidiaProcDir?: string;
  /** os.cpus()[0].model: on Apple silicon the GPU is the chip's ("Apple M2 Pro"). */
  cpuModel?: string;
}

const hostEnvironment = (): AdapterEnvironment => ({
  platform: process.platform,
  icdFiles: process.env['VK_ICD_FILENAMES'],
  drmDir: '/sys/class/drm',
  nvidiaProcDir: '/proc/driver/nvidia',
  cpuModel: cpus()[0]?.model,
});

/** e.g. "NVIDIA GeForce RTX 4070 / Vulkan", "SwiftShader (software) / Vulkan", "Apple M2 / Metal"; undefined for devices other than WebGPU. */
export function describeAdapter(device: string, env: AdapterEnvironment = hostEnvironment()): string | undefined {
  if (device !== 'webgpu') return undefined;
  const backend = BACKENDS[env.platform];
  const adapter =
    env.platform === 'linux'
      ? (icdAdapter(env.icdFiles) ?? linuxGpus(env))
      : env.platform === 'darwin' && env.cpuModel?.startsWith('Apple ')
        ? env.cpuModel.trim()
        : undefined;
  return [adapter, backend].filter(Boolean).join(' / ') || 'unknown adapter';
}

/**
 * Why `auto` should not try WebGPU here: on Linux, Dawn takes any Vulkan driver, and Mesa's llvmpipe
 * (installed with mesa-vulkan-drivers on most desktops) answers where there is no GPU. Measured on a
 * 2-core VM with the int4 benchmark model (Qwen2.5-0.5B's shapes): 2.1 tok/s decoding on llvmpipe
 * (Mesa 25) against 48 on onnxruntime's CPU. Undefined where a GPU is found (or off Linux, where
 * Dawn's D3D12/Metal adapters are the machine's own). `hearth.local.device: webgpu` still uses it.
 */
export function softwareOnlyReason(env: AdapterEnvironment = hostEnvironment()): string | undefined {
  if (env.platform !== 'linux') return undefined;
  const icds = env.icdFiles?.split(':').filter(Boolean) ?? [];
  if (icds.length > 0) {
    return icds.every(isSoftwareIcd)
      ? `WebGPU: VK_ICD_FILENAMES names only software Vulkan drivers (${icds.map((file) => basename(file, '.json')).join(', ')}), slower than the CPU; set hearth.local.device to webgpu to use them anyway`
      : undefined;
  }
  if (drmVendorIds(env.drmDir).some((id) => HARDWARE_VENDORS.has(id))) return undefined;
  if (env.nvidiaProcDir && existsSync(env.nvidiaProcDir)) return undefined;
  return 'WebGPU: no NVIDIA, AMD or Intel GPU found (in /sys/class/drm); a software Vulkan driver would be slower than the CPU. Set hearth.local.device to webgpu to try it anyway';
}

function icdAdapter(icdFiles: string | undefined): string | undefined {
  const first = icdFiles?.split(':').find(Boolean);
  if (!first) return undefined;
  if (SWIFTSHADER_ICD.test(basename(first))) return 'SwiftShader (software)';
  if (LLVMPIPE_ICD.test(basename(first))) return 'llvmpipe (software)';
  return `Vulkan driver ${basename(first, '.json')}`;
}

/** NVIDIA GPUs by their model names, other display devices by vendor: "NVIDIA GeForce RTX 4070 + Intel GPU". */
function linuxGpus(env: AdapterEnvironment): string | undefined {
  const nvidia = env.nvidiaProcDir ? nvidiaModels(env.nvidiaProcDir) : [];
  const vendors = new Set(drmVendorIds(env.drmDir).map((id) => PCI_VENDORS[id] ?? `PCI vendor ${id}`));
  if (nvidia.length > 0) vendors.delete('NVIDIA');
  const others = vendors.size > 0 ? `${[...vendors].join(' + ')} GPU` : '';
  return [...nvidia, others].filter(Boolean).join(' + ') || undefined;
}

function nvidiaModels(procDir: string): string[] {
  try {
    const gpusDir = join(procDir, 'gpus');
    return readdirSync(gpusDir).flatMap((bus) => {
      const model = /^Model:\s*(.+)$/m.exec(readFileSync(join(gpusDir, bus, 'information'), 'utf8'))?.[1]?.trim();
      return model ? [model] : [];
    });
  } catch {
    return [];
  }
}

/** PCI vendor ids of the display devices (card0, card1, ...; not their connectors). */
function drmVendorIds(drmDir: string): string[] {
  try {
    const ids: string[] = [];
    for (const card of readdirSync(drmDir)) {
      const file = join(drmDir, card, 'device', 'vendor');
      if (/^card\d+$/.test(card) && existsSync(file)) ids.push(readFileSync(file, 'utf8').trim());
    }
    return ids;
  } catch {
    return [];
  }
}
