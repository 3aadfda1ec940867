// Speed over a sliding window, time left, and the throttle on reports.
import assert from 'node:assert/strict';
import { type DownloadProgress, formatBytes, formatEta, ProgressMeter } from '../../../src/hub/downloadProgress';

describe('hub: download progress', () => {
  it('measures speed over the last seconds and derives the time left', () => {
    let now = 0;
    const seen: DownloadProgress[] = [];
    const meter = new ProgressMeter(10_000_000, (p) => seen.push(p), () => now, 5000, 0);
    meter.start(2_000_000); // resumed: counted as done, not as speed
    for (let i = 0; i < 10; i++) {
      now += 1000;
      meter.add(500_000);
    }
    const last = seen.at(-1);
    assert.equal(last?.bytes, 7_000_000);
    assert.equal(Math.round(last?.bytesPerSecond ?? 0), 500_000);
    assert.equal(Math.round(last?.etaSeconds ?? 0), 6);
  });

  it('reports at most every emitEveryMs, except when forced', () => {
    let now = 0;
    const seen: DownloadProgress[] = [];
    const meter = new ProgressMeter(100, (p) => seen.push(p), () => now, 5000, 200);
    meter.start(0);
    for (let i = 0; i < 10; i++) {
      now += 50;
      meter.add(1);
    }
    assert.equal(seen.length, 1 + 2); // start, then at 200 and 400 ms
    meter.emit(true, 'done');
    assert.equal(seen.at(-1)?.phase, 'done');
  });

  it('formats sizes and times for people', () => {
    assert.equal(formatBytes(786_000_000), '786 MB');
    assert.equal(formatBytes(1_790_000_000), '1.79 GB');
    assert.equal(formatEta(42.1), '43 s left');
    assert.equal(formatEta(125), '2 min 5 s left');
    assert.equal(formatEta(undefined), '');
  });
});
