// What the catalog quick pick says about fitting this machine: the CPU variant against the RAM, the
// GPU variant against the GPU's own memory when known, unified memory as RAM, and "unknown" honestly.
import assert from 'node:assert/strict';
import { catalog, variantFor } from '../../../src/hub/catalog';
import { describeFit, formatGpuBytes } from '../../../src/hub/catalogFit';
import type { CatalogEntry } from '../../../src/hub/catalogSchema';
import type { GpuMemory } from '../../../src/hub/gpuMemory';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

// Needs (weights × 1.2 + 768 MiB): the GPU variant about 4.41 GB, the CPU variant about 2.01 GB.
const entry: CatalogEntry = {
  id: 'test-3b',
  name: 'Test 3B',
  repo: 'test/Test-3B-ONNX',
  revision: 'main',
  family: 'Qwen2.5',
  modelType: 'qwen2',
  layout: 'transformers.js',
  params: '3B',
  contextWindow: 32768,
  license: 'apache-2.0',
  strengths: ['chat'],
  variants: [
    { device: 'cpu', dtype: 'q4', weights: 'onnx/model_q4.onnx', approxBytes: 1_000_000_000 },
    { device: 'gpu', dtype: 'fp16', weights: 'onnx/model_fp16.onnx', approxBytes: 3_000_000_000 },
  ],
  evidence: ['https://huggingface.co/test/Test-3B-ONNX/tree/main'],
};
const cpu = variantFor(entry, 'cpu');
const gpu = variantFor(entry, 'gpu');
const card = (name: string, bytes: number): GpuMemory => ({ kind: 'dedicated', gpus: [{ name, bytes }] });

describe('hub: catalog fit', () => {
  it('judges the CPU variant against the RAM, as before, whatever the GPU', () => {
    assert.deepEqual(describeFit(entry, cpu, { ramBytes: 16 * GiB, gpu: undefined }), { fit: 'fits', text: 'fits this machine (17.2 GB RAM)', rank: 0 });
    assert.deepEqual(describeFit(entry, cpu, { ramBytes: 3 * GiB, gpu: card('NVIDIA GeForce RTX 4090', 24 * GiB) }), {
      fit: 'tight',
      text: 'needs about 2.01 GB of memory; this machine has 3.22 GB RAM: tight',
      rank: 1,
    });
    assert.equal(describeFit(entry, cpu, { ramBytes: 2 * GiB, gpu: undefined }).fit, 'too-big');
  });

  it('judges the GPU variant against the GPU memory nvidia-smi reports, named as the card is sold', () => {
    assert.deepEqual(describeFit(entry, gpu, { ramBytes: 4 * GiB, gpu: card('NVIDIA GeForce RTX 4070', 12282 * MiB) }), {
      fit: 'fits',
      text: 'fits your GPU (NVIDIA GeForce RTX 4070, 12 GB)',
      rank: 0,
    });
    assert.deepEqual(describeFit(entry, gpu, { ramBytes: 64 * GiB, gpu: card('AMD GPU (card0)', 5 * GiB) }), {
      fit: 'tight',
      text: 'needs about 4.41 GB; your GPU (AMD GPU (card0)) has 5 GB: tight',
      rank: 1,
    });
  });

  it('says a GPU variant is too big for the GPU, and whether the CPU variant fits the RAM instead', () => {
    const small = card('NVIDIA GeForce GTX 1650', 4096 * MiB);
    const text = (ramBytes: number) => describeFit(entry, gpu, { ramBytes, gpu: small });
    assert.deepEqual(text(8 * GiB), { fit: 'too-big', text: "needs about 4.41 GB; too big for your GPU's 4 GB: the CPU variant fits", rank: 2 });
    assert.equal(text(3 * GiB).text, "needs about 4.41 GB; too big for your GPU's 4 GB: the CPU variant is tight in 3.22 GB RAM");
    assert.equal(text(2 * GiB).text, "needs about 4.41 GB; too big for your GPU's 4 GB and for 2.15 GB RAM");
  });

  it('judges against the largest of several GPUs', () => {
    const two: GpuMemory = {
      kind: 'dedicated',
      gpus: [
        { name: 'NVIDIA RTX A4000', bytes: 16376 * MiB },
        { name: 'NVIDIA T400', bytes: 2048 * MiB },
      ],
    };
    assert.equal(describeFit(entry, gpu, { ramBytes: 8 * GiB, gpu: two }).text, 'fits your GPU (NVIDIA RTX A4000, 16 GB)');
  });

  it('says GPU memory is unknown rather than guess, and sorts such an entry by the RAM', () => {
    assert.deepEqual(describeFit(entry, gpu, { ramBytes: 32 * GiB, gpu: undefined }), { fit: undefined, text: 'GPU memory unknown; needs about 4.41 GB', rank: 0 });
    assert.equal(describeFit(entry, gpu, { ramBytes: 4 * GiB, gpu: undefined }).rank, 2);
  });

  it("judges a GPU variant on Apple silicon against the RAM, calling it unified memory", () => {
    const unified: GpuMemory = { kind: 'unified' };
    assert.equal(describeFit(entry, gpu, { ramBytes: 16 * GiB, gpu: unified }).text, 'fits this machine (17.2 GB unified memory)');
    assert.equal(describeFit(entry, gpu, { ramBytes: 6 * GiB, gpu: unified }).text, 'needs about 4.41 GB of memory; this machine has 6.44 GB unified memory: tight');
    assert.equal(describeFit(entry, cpu, { ramBytes: 16 * GiB, gpu: unified }).text, 'fits this machine (17.2 GB RAM)');
  });

  it('judges a catalog entry without a GPU variant (Phi, onnxruntime-genai int4) against the RAM on a GPU device', () => {
    const phi = catalog().models.find((m) => m.id === 'phi-3.5-mini-instruct');
    assert.ok(phi);
    const report = describeFit(phi, variantFor(phi, 'gpu'), { ramBytes: 32 * GiB, gpu: card('NVIDIA GeForce GTX 1650', 4096 * MiB) });
    assert.equal(report.fit, 'fits');
    assert.match(report.text, /RAM\)$/);
  });

  it('writes GPU memory as vendors label it', () => {
    assert.equal(formatGpuBytes(12282 * MiB), '12 GB');
    assert.equal(formatGpuBytes(24564 * MiB), '24 GB');
    assert.equal(formatGpuBytes(8188 * MiB), '8 GB');
    assert.equal(formatGpuBytes(1.5 * GiB), '1.5 GB');
  });
});
