// int4Compute 'auto': int8 activations where the CPU has integer dot products, exact fp32 elsewhere.
import * as assert from 'node:assert/strict';
import { loadModel } from '../../../src/engine';
import { cpuHasDotProduct } from '../../../src/engine/cpuFeatures';
import { resolveInt4Compute } from '../../../src/engine/int4Compute';
import { modelDir } from './engineTestSupport';

const x86 = (flags: string): string => `processor\t: 0\nvendor_id\t: AuthenticAMD\nflags\t\t: fpu sse2 avx2 ${flags}\n\nprocessor\t: 1\n`;

describe('int4Compute auto', () => {
  it('finds VNNI on x86 and the dot-product extension on ARM in /proc/cpuinfo', () => {
    assert.equal(cpuHasDotProduct('linux', 'x64', x86('avx512f avx512_vnni')), true);
    assert.equal(cpuHasDotProduct('linux', 'x64', x86('avx_vnni')), true);
    assert.equal(cpuHasDotProduct('linux', 'x64', x86('avx512f avx512bw')), false);
    assert.equal(cpuHasDotProduct('linux', 'arm64', 'processor\t: 0\nFeatures\t: fp asimd evtstrm aes asimddp sha512\n'), true);
    assert.equal(cpuHasDotProduct('linux', 'arm64', 'processor\t: 0\nFeatures\t: fp asimd evtstrm aes\n'), false);
  });

  it('counts Apple silicon in, and an unknown CPU out', () => {
    assert.equal(cpuHasDotProduct('darwin', 'arm64'), true);
    assert.equal(cpuHasDotProduct('darwin', 'x64'), false);
    assert.equal(cpuHasDotProduct('win32', 'x64'), false);
  });

  it('resolves auto to int8 with dot products and fp32 without; explicit choices stay', () => {
    assert.equal(resolveInt4Compute('auto', true), 'int8');
    assert.equal(resolveInt4Compute('auto', false), 'fp32');
    assert.equal(resolveInt4Compute('model', true), 'model');
    assert.equal(resolveInt4Compute('fp32', true), 'fp32');
  });

  it('loads an int4 model with what auto picks on this machine, and says which', async function () {
    this.timeout(60_000);
    const model = await loadModel(await modelDir('tiny-gqa-genai'), { device: 'cpu', threads: 1, int4Compute: 'auto' });
    try {
      assert.equal(model.info.int4Compute, cpuHasDotProduct() ? 'int8' : 'fp32');
      assert.equal(model.info.int4MatMulsChanged, 15);
    } finally {
      await model.dispose();
    }
  });
});
