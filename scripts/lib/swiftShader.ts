// The environment that gives onnxruntime's WebGPU provider a Vulkan device in software: Debian
// chromium's SwiftShader. The Vulkan loader reads it when a process starts, so it is for child
// processes: VK_ICD_FILENAMES, a private XDG_RUNTIME_DIR and, for machines without the libvulkan1
// package, chromium's own Vulkan loader on LD_LIBRARY_PATH.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export const SWIFTSHADER_ICD = process.env['HEARTH_VK_ICD'] ?? '/usr/lib/chromium/vk_swiftshader_icd.json';

export interface SwiftShaderEnv {
  env: NodeJS.ProcessEnv;
  /** Removes the runtime folder. */
  cleanup(): void;
}

/** Throws, saying how to get it, when SwiftShader is not installed. */
export function swiftShaderEnv(base: NodeJS.ProcessEnv): SwiftShaderEnv {
  if (!existsSync(SWIFTSHADER_ICD)) {
    throw new Error(`${SWIFTSHADER_ICD} is missing. Install Debian's chromium package (apt-get install chromium; .ci/run does), or point HEARTH_VK_ICD at a Vulkan ICD file.`);
  }
  const runtimeDir = mkdtempSync(join(tmpdir(), 'hearth-gpu-xdg-'));
  const loaderDir = dirname(SWIFTSHADER_ICD);
  const libraryPath = [existsSync(join(loaderDir, 'libvulkan.so.1')) ? loaderDir : '', base['LD_LIBRARY_PATH'] ?? ''].filter(Boolean).join(':');
  return {
    env: { ...base, VK_ICD_FILENAMES: SWIFTSHADER_ICD, XDG_RUNTIME_DIR: runtimeDir, LD_LIBRARY_PATH: libraryPath },
    cleanup: () => rmSync(runtimeDir, { recursive: true, force: true }),
  };
}
