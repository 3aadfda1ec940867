// Shared by the GPU tier: models loaded on WebGPU (failing loudly when there is no adapter) and
// comparisons with the CPU.
import * as assert from 'node:assert/strict';
import { isSoftwareAdapter, SOFTWARE_ADAPTERS, type SoftwareAdapterInfo } from '../../scripts/lib/softwareGpu';
import { loadModel, type LoadedModel, type LoadModelOptions } from '../../src/engine';

/** The tier runs under scripts/runGpuTests.ts, which sets up a Vulkan driver; run directly it would test nothing. */
export function requireGpuTier(): void {
  if (process.env['HEARTH_GPU_TIER'] !== '1') throw new Error('Run the GPU tier with `npm run test:gpu` (scripts/runGpuTests.ts sets up SwiftShader and llvmpipe).');
}

/** The software Vulkan device this run of the tier is on (HEARTH_GPU_ADAPTER, set by scripts/runGpuTests.ts). */
export function gpuAdapter(): SoftwareAdapterInfo & { name: string } {
  const name = process.env['HEARTH_GPU_ADAPTER'] ?? '';
  if (!isSoftwareAdapter(name)) throw new Error(`HEARTH_GPU_ADAPTER is '${name}': run the GPU tier with \`npm run test:gpu\`.`);
  return { name, ...SOFTWARE_ADAPTERS[name] };
}

/** A model on WebGPU; throws with onnxruntime's reasons when it landed anywhere else. */
export async function loadOnWebGpu(dir: string, options: LoadModelOptions = {}): Promise<LoadedModel> {
  requireGpuTier();
  const model = await loadModel(dir, { threads: 1, ...options, device: 'webgpu' });
  if (model.info.device !== 'webgpu') {
    await model.dispose();
    const reasons = model.info.skippedDevices.map((s) => s.reason).join('; ');
    assert.fail(`No WebGPU adapter through ${process.env['HEARTH_GPU_ADAPTER'] ?? '?'} (VK_ICD_FILENAMES=${process.env['VK_ICD_FILENAMES'] ?? ''}): ${reasons}`);
  }
  return model;
}

export function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  assert.equal(a.length, b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  return m;
}

/** Token ids below the tiny models' 512-token vocabulary. */
export const promptIds = (length: number): number[] => Array.from({ length }, (_, i) => (i * 37 + 11) % 500);
