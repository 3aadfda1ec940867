import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { once } from 'node:events';
import type { Readable } from 'node:stream';
import { BUSY_LOOP, startBusyCores } from '../../../bench/engine/harness';

/** Running, not a zombie waiting to be reaped (Linux). */
const running = (pid: number): boolean => {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};

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

  it('a busy process exits when the benchmark that started it is killed', async function () {
    this.timeout(20_000);
    // A stand-in for the benchmark: starts a busy loop that shares this test's pipe on fd 3,
    // prints its pid, and waits. The pipe closes only once every process holding it has exited.
    const benchmark = `
      const { spawn } = require('node:child_process');
      const busy = spawn(process.execPath, ['-e', ${JSON.stringify(BUSY_LOOP)}, String(process.pid)], { stdio: ['ignore', 'ignore', 'ignore', 3] });
      busy.on('spawn', () => process.stdout.write(busy.pid + '\\n'));
      setInterval(() => {}, 60_000);`;
    const parent = spawn(process.execPath, ['-e', benchmark], { stdio: ['ignore', 'pipe', 'inherit', 'pipe'] });
    const [line] = (await once((parent.stdout as Readable).setEncoding('utf8'), 'data')) as [string];
    const pid = Number(line.trim());
    assert.ok(alive(pid), 'the busy loop runs');
    const pipe = parent.stdio[3] as Readable;
    const closed = once(pipe.resume(), 'close');
    parent.kill('SIGKILL');
    // The pipe closes when its last holder exits: with the parent killed, that is the busy loop.
    // (It may stay a zombie until init reaps it, so its pid can still answer for a moment.)
    await closed;
    if (existsSync('/proc')) assert.ok(!running(pid), 'the busy loop is gone with its parent');
  });
});
