// Names the GPU behind a WebGPU session for the status line. onnxruntime-node does not report the
// adapter Dawn picked, so this is inferred: the backend from the platform, and on Linux the adapter
// from the Vulkan driver named by VK_ICD_FILENAMES (SwiftShader in Hearth's tests) or else from the
// PCI vendors of the machine's display devices.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';

const BACKENDS: Partial<Record<NodeJS.Platform, string>> = { linux: 'Vulkan', darwin: 'Metal', win32: 'D3D12' };
const PCI_VENDORS: Record<string, string> = { '0x10de': 'NVIDIA', '0x1002': 'AMD', '0x8086': 'Intel', '0x1af4': 'virtio' };

export interface AdapterEnvironment {
  platform: NodeJS.Platform;
  icdFiles?: string;
  /** Folder of DRM devices (/sys/class/drm). */
  drmDir: string;
}

const hostEnvironment = (): AdapterEnvironment => ({ platform: process.platform, icdFiles: process.env['VK_ICD_FILENAMES'], drmDir: '/sys/class/drm' });

/** e.g. "SwiftShader / Vulkan", "NVIDIA GPU / Vulkan", "Metal"; undefined for devices other than WebGPU. */
export function describeAdapter(device: string, env: AdapterEnvironment = hostEnvironment()): string | undefined {
  if (device !== 'webgpu') return undefined;
  const backend = BACKENDS[env.platform];
  const adapter = env.platform === 'linux' ? (icdAdapter(env.icdFiles) ?? drmAdapter(env.drmDir)) : undefined;
  return [adapter, backend].filter(Boolean).join(' / ') || 'unknown adapter';
}

function icdAdapter(icdFiles: string | undefined): string | undefined {
  const first = icdFiles?.split(':').find(Boolean);
  if (!first) return undefined;
  if (/swiftshader/i.test(first)) return 'SwiftShader (software)';
  return `Vulkan driver ${basename(first, '.json')}`;
}

function drmAdapter(drmDir: string): string | undefined {
  try {
    const vendors = new Set<string>();
    for (const card of readdirSync(drmDir)) {
      const file = join(drmDir, card, 'device', 'vendor');
      if (!/^card\d+$/.test(card) || !existsSync(file)) continue;
      const id = readFileSync(file, 'utf8').trim();
      vendors.add(PCI_VENDORS[id] ?? `PCI vendor ${id}`);
    }
    return vendors.size > 0 ? `${[...vendors].join(' + ')} GPU` : undefined;
  } catch {
    return undefined;
  }
}
