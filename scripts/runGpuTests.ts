// The GPU tier: the engine on WebGPU through two Vulkan devices in software (scripts/lib/softwareGpu.ts):
// SwiftShader, which has no shader-f16 (fp32 and int4 models, and the float16 fallback), then Mesa's
// llvmpipe, which has it (the same tests plus fp16 and q4f16 models on the device). Each runs mocha
// in a child process that starts with that driver's environment. A missing driver fails the tier:
// it must never pass by running nothing on a GPU. HEARTH_GPU_ADAPTERS=llvmpipe (comma-separated)
// runs a subset while working on one.
import { spawnSync } from 'node:child_process';
import { isSoftwareAdapter, SOFTWARE_ADAPTERS, type SoftwareAdapter, softwareGpuEnv } from './lib/softwareGpu';

const names = (process.env['HEARTH_GPU_ADAPTERS'] ?? Object.keys(SOFTWARE_ADAPTERS).join(',')).split(',').filter(Boolean);
const unknown = names.filter((name) => !isSoftwareAdapter(name));
if (unknown.length > 0 || names.length === 0) {
  console.error(`GPU tier: HEARTH_GPU_ADAPTERS lists ${Object.keys(SOFTWARE_ADAPTERS).join(' and/or ')}, not '${unknown.join(',')}'.`);
  process.exit(1);
}

let failed = false;
for (const adapter of names as SoftwareAdapter[]) {
  let gpu: ReturnType<typeof softwareGpuEnv>;
  try {
    gpu = softwareGpuEnv(adapter, process.env);
  } catch (err) {
    console.error(`GPU tier: ${err instanceof Error ? err.message : String(err)}`);
    failed = true;
    continue;
  }
  try {
    console.log(`\nGPU tier on ${adapter} (VK_ICD_FILENAMES=${gpu.env['VK_ICD_FILENAMES'] ?? ''})`);
    const result = spawnSync(process.execPath, [require.resolve('mocha/bin/mocha.js'), '--config', 'test/gpu/.mocharc.json', ...process.argv.slice(2)], {
      stdio: 'inherit',
      env: { ...gpu.env, HEARTH_GPU_TIER: '1', HEARTH_GPU_ADAPTER: adapter },
    });
    if (result.status !== 0) failed = true;
  } finally {
    gpu.cleanup();
  }
}
process.exitCode = failed ? 1 : 0;
