import * as assert from 'node:assert/strict';
import { ENGINE_MALLOC_ENV, engineHostEnv } from '../../../src/providers/local/engineHostEnv';

describe('engine host environment', () => {
  it('adds the allocator settings to the parent environment without changing it', () => {
    const parent = { PATH: '/usr/bin', HOME: '/home/me' };
    const env = engineHostEnv(parent);
    assert.equal(env['PATH'], '/usr/bin');
    assert.equal(env['MALLOC_MMAP_THRESHOLD_'], ENGINE_MALLOC_ENV.MALLOC_MMAP_THRESHOLD_);
    assert.equal(env['MALLOC_TRIM_THRESHOLD_'], ENGINE_MALLOC_ENV.MALLOC_TRIM_THRESHOLD_);
    assert.equal(Number(env['MALLOC_MMAP_THRESHOLD_']), 32 * 2 ** 20);
    assert.equal(Number(env['MALLOC_TRIM_THRESHOLD_']), 128 * 2 ** 20);
    assert.deepEqual(Object.keys(parent), ['PATH', 'HOME']);
  });

  it("keeps the user's own allocator settings", () => {
    const env = engineHostEnv({ MALLOC_TRIM_THRESHOLD_: '0' });
    assert.equal(env['MALLOC_TRIM_THRESHOLD_'], '0');
    assert.equal(env['MALLOC_MMAP_THRESHOLD_'], ENGINE_MALLOC_ENV.MALLOC_MMAP_THRESHOLD_);
  });
});
