// Vulkan devices in software that give onnxruntime's WebGPU provider an adapter on a machine
// without a GPU, for the GPU tier, the integration test and the device benchmark:
// - SwiftShader, from Debian's chromium package: no shader-f16, so float16 models fail on it (the
//   fallback path);
// - Mesa's llvmpipe (lavapipe), from Mesa 25 (Debian 12: bookworm-backports): has shader-f16, so
//   fp16 and q4f16 models run on it. Dawn refuses Mesa 22.3's (Debian 12's own): "Vulkan
//   shaderUniform*ArrayDynamicIndexing required".
// The Vulkan loader reads VK_ICD_FILENAMES when a process starts, so these are environments for
// child processes: the driver file, a private XDG_RUNTIME_DIR and, for SwiftShader on machines
// without the libvulkan1 package, chromium's own Vulkan loader on LD_LIBRARY_PATH.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export type SoftwareAdapter = 'swiftshader' | 'llvmpipe';

export interface SoftwareAdapterInfo {
  icd: string;
  /** Whether WGSL's f16 works on it (float16 models run on the device). */
  shaderF16: boolean;
  /** What the engine's status line calls it (adapterInfo.ts). */
  describedAs: RegExp;
  install: string;
}

export const SOFTWARE_ADAPTERS: Record<SoftwareAdapter, SoftwareAdapterInfo> = {
  swiftshader: {
    icd: '/usr/lib/chromium/vk_swiftshader_icd.json',
    shaderF16: false,
    describedAs: /^SwiftShader \(software\) \/ Vulkan$/,
    install: "Install Debian's chromium package (apt-get install chromium; .ci/run does)",
  },
  llvmpipe: {
    icd: '/usr/share/vulkan/icd.d/lvp_icd.json',
    shaderF16: true,
    describedAs: /^llvmpipe \(software\) \/ Vulkan$/,
    install: 'Install Mesa 25 or later\'s Vulkan drivers: on Debian 12, apt-get install -t bookworm-backports mesa-vulkan-drivers after adding bookworm-backports to the apt sources (.ci/run does)',
  },
};

export function isSoftwareAdapter(name: string): name is SoftwareAdapter {
  return Object.hasOwn(SOFTWARE_ADAPTERS, name);
}

export interface SoftwareGpuEnv {
  env: NodeJS.ProcessEnv;
  /** Removes the runtime folder. */
  cleanup(): void;
}

/** Throws, saying how to get it, when the driver is not installed. */
export function softwareGpuEnv(adapter: SoftwareAdapter, base: NodeJS.ProcessEnv): SoftwareGpuEnv {
  const { icd, install } = SOFTWARE_ADAPTERS[adapter];
  if (!existsSync(icd)) throw new Error(`${icd} (${adapter}) is missing. ${install}.`);
  const runtimeDir = mkdtempSync(join(tmpdir(), 'hearth-gpu-xdg-'));
  const loaderDir = dirname(icd);
  const libraryPath = [existsSync(join(loaderDir, 'libvulkan.so.1')) ? loaderDir : '', base['LD_LIBRARY_PATH'] ?? ''].filter(Boolean).join(':');
  return {
    env: { ...base, VK_ICD_FILENAMES: icd, XDG_RUNTIME_DIR: runtimeDir, LD_LIBRARY_PATH: libraryPath },
    cleanup: () => rmSync(runtimeDir, { recursive: true, force: true }),
  };
}
