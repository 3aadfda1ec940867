import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeAdapter, softwareOnlyReason } from '../../../src/engine/adapterInfo';
import { CUDA_HINT, failureReason, missingCudaLibrary, onnxruntimeBinDir } from '../../../src/engine/devices';

describe('describeAdapter', () => {
  let drm: string;
  before(() => {
    drm = mkdtempSync(join(tmpdir(), 'hearth-drm-'));
    mkdirSync(join(drm, 'card0', 'device'), { recursive: true });
    writeFileSync(join(drm, 'card0', 'device', 'vendor'), '0x10de\n');
    mkdirSync(join(drm, 'card0-DP-1'));
  });
  after(() => rmSync(drm, { recursive: true, force: true }));

  it('names SwiftShader from the Vulkan driver file, and the backend per platform', () => {
    const icdFiles = '/usr/lib/chromium/vk_swiftshader_icd.json';
    assert.equal(describeAdapter('webgpu', { platform: 'linux', icdFiles, drmDir: drm }), 'SwiftShader (software) / Vulkan');
    assert.equal(describeAdapter('webgpu', { platform: 'darwin', drmDir: drm }), 'Metal');
    assert.equal(describeAdapter('webgpu', { platform: 'win32', drmDir: drm }), 'D3D12');
  });

  it('falls back to the PCI vendor of the display devices on Linux', () => {
    assert.equal(describeAdapter('webgpu', { platform: 'linux', drmDir: drm }), 'NVIDIA GPU / Vulkan');
    assert.equal(describeAdapter('webgpu', { platform: 'linux', drmDir: join(drm, 'missing') }), 'Vulkan');
  });

  it("names NVIDIA GPUs by the model their driver reports, and other display devices by vendor", () => {
    const proc = join(drm, 'proc-nvidia');
    mkdirSync(join(proc, 'gpus', '0000:01:00.0'), { recursive: true });
    writeFileSync(join(proc, 'gpus', '0000:01:00.0', 'information'), 'Model: \t\t NVIDIA GeForce RTX 4070\nIRQ:   \t\t 150\nGPU UUID: \t GPU-1234\n');
    assert.equal(describeAdapter('webgpu', { platform: 'linux', drmDir: drm, nvidiaProcDir: proc }), 'NVIDIA GeForce RTX 4070 / Vulkan');
    mkdirSync(join(drm, 'card1', 'device'), { recursive: true });
    writeFileSync(join(drm, 'card1', 'device', 'vendor'), '0x8086\n');
    try {
      assert.equal(describeAdapter('webgpu', { platform: 'linux', drmDir: drm, nvidiaProcDir: proc }), 'NVIDIA GeForce RTX 4070 + Intel GPU / Vulkan');
      assert.equal(describeAdapter('webgpu', { platform: 'linux', drmDir: drm, nvidiaProcDir: join(drm, 'no-nvidia') }), 'NVIDIA + Intel GPU / Vulkan');
    } finally {
      rmSync(join(drm, 'card1'), { recursive: true });
    }
  });

  it('names the Apple chip on macOS', () => {
    assert.equal(describeAdapter('webgpu', { platform: 'darwin', drmDir: drm, cpuModel: 'Apple M2 Pro' }), 'Apple M2 Pro / Metal');
    assert.equal(describeAdapter('webgpu', { platform: 'darwin', drmDir: drm, cpuModel: 'Intel(R) Core(TM) i7-9750H CPU @ 2.60GHz' }), 'Metal');
  });

  it('says nothing for devices other than WebGPU', () => {
    assert.equal(describeAdapter('cpu', { platform: 'linux', drmDir: drm }), undefined);
  });

  it("names Mesa's llvmpipe from its driver file", () => {
    assert.equal(describeAdapter('webgpu', { platform: 'linux', icdFiles: '/usr/share/vulkan/icd.d/lvp_icd.json', drmDir: drm }), 'llvmpipe (software) / Vulkan');
  });
});

describe('softwareOnlyReason (whether auto skips WebGPU)', () => {
  let root: string;
  const card = (name: string, vendor: string): string => {
    const dir = join(root, name);
    mkdirSync(join(dir, 'card0', 'device'), { recursive: true });
    writeFileSync(join(dir, 'card0', 'device', 'vendor'), `${vendor}\n`);
    return dir;
  };
  before(() => (root = mkdtempSync(join(tmpdir(), 'hearth-drm-auto-'))));
  after(() => rmSync(root, { recursive: true, force: true }));

  it('tries WebGPU where an NVIDIA, AMD or Intel GPU is a display device', () => {
    for (const vendor of ['0x10de', '0x1002', '0x8086']) {
      assert.equal(softwareOnlyReason({ platform: 'linux', drmDir: card(`gpu-${vendor}`, vendor) }), undefined, vendor);
    }
  });

  it("skips it where only a VM's display adapter (or none) is, saying how to use WebGPU anyway", () => {
    for (const drmDir of [card('qemu', '0x1234'), join(root, 'none')]) {
      const reason = softwareOnlyReason({ platform: 'linux', drmDir, nvidiaProcDir: join(root, 'no-nvidia') }) ?? '';
      assert.match(reason, /^WebGPU: no NVIDIA, AMD or Intel GPU found .*slower than the CPU\. Set hearth\.local\.device to webgpu/);
    }
  });

  it("tries it where NVIDIA's driver runs without a DRM card", () => {
    const proc = join(root, 'proc-nvidia');
    mkdirSync(proc);
    assert.equal(softwareOnlyReason({ platform: 'linux', drmDir: join(root, 'none'), nvidiaProcDir: proc }), undefined);
  });

  it('follows VK_ICD_FILENAMES: only software drivers named are skipped', () => {
    const nvidia = card('nvidia-with-icd', '0x10de');
    const lvp = softwareOnlyReason({ platform: 'linux', icdFiles: '/usr/share/vulkan/icd.d/lvp_icd.json', drmDir: nvidia }) ?? '';
    assert.match(lvp, /^WebGPU: VK_ICD_FILENAMES names only software Vulkan drivers \(lvp_icd\)/);
    assert.match(softwareOnlyReason({ platform: 'linux', icdFiles: '/usr/lib/chromium/vk_swiftshader_icd.json:', drmDir: nvidia }) ?? '', /vk_swiftshader_icd/);
    assert.equal(softwareOnlyReason({ platform: 'linux', icdFiles: '/usr/share/vulkan/icd.d/nvidia_icd.json', drmDir: join(root, 'none') }), undefined);
  });

  it("leaves Windows and macOS alone (Dawn's D3D12 and Metal adapters are the machine's own)", () => {
    assert.equal(softwareOnlyReason({ platform: 'win32', drmDir: join(root, 'none') }), undefined);
    assert.equal(softwareOnlyReason({ platform: 'darwin', drmDir: join(root, 'none') }), undefined);
  });
});

describe('failureReason for GPU providers', () => {
  it('says what CUDA lacks and where to read how to get it', () => {
    const raw = 'onnxruntime_pybind_state_common.cc:26 OrtSessionOptionsAppendExecutionProvider_Cuda: Failed to load shared library libonnxruntime_providers_cuda.so';
    const reason = failureReason('cuda', raw);
    assert.ok(reason.startsWith('CUDA: Failed to load shared library'), reason);
    assert.ok(reason.endsWith(CUDA_HINT));
    assert.match(reason, /libonnxruntime_providers_cuda\.so.*cuDNN 9.*README/);
  });

  it('explains a GPU without shader-f16 for a float16 model', () => {
    const raw = "Non-zero status code returned while running Cast node. Name:'Cast_154' Status Message: shader_helper.cc:416 GenerateSourceCode Program Cast requires f16 but the device does not support it.";
    assert.equal(failureReason('webgpu', raw), 'WebGPU: this adapter lacks shader-f16, which a float16 model needs (hearth.local.dtype fp32 or q4 runs on it)');
  });
});

describe('missingCudaLibrary', () => {
  let bin: string;
  before(() => (bin = mkdtempSync(join(tmpdir(), 'hearth-ortbin-'))));
  after(() => rmSync(bin, { recursive: true, force: true }));

  it('names the missing provider library, where it belongs and how to get it', () => {
    const reason = missingCudaLibrary(bin, 'linux') ?? '';
    assert.ok(reason.startsWith(`CUDA: libonnxruntime_providers_cuda.so is not in ${bin} (missing: `), reason);
    assert.match(missingCudaLibrary(bin, 'win32') ?? '', /onnxruntime_providers_cuda\.dll/);
  });

  it('lets CUDA be tried once the library is there', () => {
    writeFileSync(join(bin, 'libonnxruntime_providers_cuda.so'), '');
    assert.equal(missingCudaLibrary(bin, 'linux'), undefined);
  });

  it('finds onnxruntime-node\'s own library folder', () => {
    assert.ok(existsSync(join(onnxruntimeBinDir() ?? 'unresolved', process.platform === 'win32' ? 'onnxruntime.dll' : process.platform === 'darwin' ? 'libonnxruntime.1.dylib' : 'libonnxruntime.so.1')));
  });
});
