import * as assert from 'node:assert/strict';
import { relativeTime } from '../../../src/webview/chrome/relativeTime';

describe('relativeTime (history rows)', () => {
  it('says how long ago, coarser as it gets older', () => {
    const now = Date.UTC(2026, 5, 15, 12);
    const cases: Array<[number, string]> = [
      [0, 'just now'],
      [-5_000, 'just now'], // a clock a little ahead is not "in the future"
      [59_000, 'just now'],
      [5 * 60_000, '5 min ago'],
      [2 * 3_600_000, '2 h ago'],
      [30 * 3_600_000, 'yesterday'],
      [3 * 86_400_000, '3 days ago'],
      [15 * 86_400_000, '2 wk ago'],
      [95 * 86_400_000, '3 mo ago'],
      [800 * 86_400_000, '2 yr ago'],
    ];
    for (const [ago, text] of cases) assert.equal(relativeTime(now - ago, now), text, `${ago} ms ago`);
  });
});
