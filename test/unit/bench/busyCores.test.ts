import * as assert from 'node:assert/strict';
import { startBusyCores } from '../../../bench/engine/harness';

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('busy cores (bench:engine --busy-cores)', () => {
  it('keeps one process per core running until stopped, then leaves none behind', async () => {
    const busy = await startBusyCores(2);
    assert.equal(busy.pids.length, 2);
    assert.ok(busy.pids.every(alive), 'both processes run');
    await busy.stop();
    assert.ok(!busy.pids.some(alive), 'no process is left after stop');
  });

  it('starts nothing for zero cores', async () => {
    const busy = await startBusyCores(0);
    assert.deepEqual(busy.pids, []);
    await busy.stop();
  });
});
