// The GPU tier: the engine on WebGPU through SwiftShader, a Vulkan device in software that
// Debian's chromium package ships. The Vulkan loader reads its environment when the process starts,
// so mocha runs in a child process given VK_ICD_FILENAMES, a private XDG_RUNTIME_DIR and, for
// machines without the libvulkan1 package, chromium's own Vulkan loader on LD_LIBRARY_PATH.
// A missing SwiftShader fails the tier: it must never pass by running nothing on a GPU.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const ICD = process.env['HEARTH_VK_ICD'] ?? '/usr/lib/chromium/vk_swiftshader_icd.json';

if (!existsSync(ICD)) {
  console.error(`GPU tier: ${ICD} is missing. Install Debian's chromium package (apt-get install chromium; .ci/run does), or point HEARTH_VK_ICD at a Vulkan ICD file.`);
  process.exit(1);
}

const runtimeDir = mkdtempSync(join(tmpdir(), 'hearth-gpu-xdg-'));
const loaderDir = dirname(ICD);
const libraryPath = [existsSync(join(loaderDir, 'libvulkan.so.1')) ? loaderDir : '', process.env['LD_LIBRARY_PATH'] ?? ''].filter(Boolean).join(':');
try {
  const result = spawnSync(process.execPath, [require.resolve('mocha/bin/mocha.js'), '--config', 'test/gpu/.mocharc.json', ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, VK_ICD_FILENAMES: ICD, XDG_RUNTIME_DIR: runtimeDir, LD_LIBRARY_PATH: libraryPath, HEARTH_GPU_TIER: '1' },
  });
  process.exitCode = result.status ?? 1;
} finally {
  rmSync(runtimeDir, { recursive: true, force: true });
}
