// The GPU tier: the engine on WebGPU through SwiftShader, a Vulkan device in software that
// Debian's chromium package ships (scripts/lib/swiftShader.ts). mocha runs in a child process that
// starts with that environment. A missing SwiftShader fails the tier: it must never pass by
// running nothing on a GPU.
import { spawnSync } from 'node:child_process';
import { swiftShaderEnv } from './lib/swiftShader';

let gpu: ReturnType<typeof swiftShaderEnv>;
try {
  gpu = swiftShaderEnv(process.env);
} catch (err) {
  console.error(`GPU tier: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
try {
  const result = spawnSync(process.execPath, [require.resolve('mocha/bin/mocha.js'), '--config', 'test/gpu/.mocharc.json', ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...gpu.env, HEARTH_GPU_TIER: '1' },
  });
  process.exitCode = result.status ?? 1;
} finally {
  gpu.cleanup();
}
