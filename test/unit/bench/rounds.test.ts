import * as assert from 'node:assert/strict';
import { bestOf, median, roundByRound } from '../../../bench/engine/rounds';
import type { SideResult } from '../../../bench/engine/types';

const result = (side: SideResult['side'], decode200: number, decode1000: number, peakRssMB = 500, ttft200Ms = 500): SideResult => ({
  side,
  loadMs: 1000,
  ttft200Ms,
  decode200,
  ttft1000Ms: 2500,
  decode1000,
  conversationTokens: 2000,
  followupTtftMs: 200,
  followupCachedTokens: 2000,
  peakRssMB,
  text200: 'same',
});

describe('benchmark rounds (bench:engine --rounds)', () => {
  it("keeps each side's fastest speeds and shortest times, but its largest peak memory", () => {
    const best = bestOf([result('hearth', 40, 30, 600, 550), result('hearth', 48, 28, 580, 520), result('hearth', 44, 35, 620, 530)]);
    assert.equal(best.decode200, 48);
    assert.equal(best.decode1000, 35);
    assert.equal(best.ttft200Ms, 520);
    assert.equal(best.peakRssMB, 620);
    assert.throws(() => bestOf([]), /no rounds/);
  });

  it('pairs the two sides round by round, so a slow spell of the machine slows both halves of one ratio', () => {
    const hearth = [result('hearth', 39, 34), result('hearth', 46, 40), result('hearth', 47.7, 41)];
    const peer = [result('transformersjs', 38, 20), result('transformersjs', 44, 21), result('transformersjs', 43.4, 20.5)];
    const r = roundByRound(hearth, peer, 'decode200');
    assert.deepEqual(r.hearth, [39, 46, 47.7]);
    assert.deepEqual(r.peer, [38, 44, 43.4]);
    assert.deepEqual(r.ratios.map((x) => Math.round(x * 1000) / 1000), [1.026, 1.045, 1.099]);
    assert.equal(r.medianRatio, 46 / 44);
    assert.equal(roundByRound(hearth, peer, 'decode1000').medianRatio, 40 / 21);
    assert.throws(() => roundByRound(hearth, peer.slice(1), 'decode200'), /unpaired rounds: 3 against 2/);
  });

  it('takes the middle value, or the mean of the two middle values', () => {
    assert.equal(median([3, 1, 2]), 2);
    assert.equal(median([4, 1, 3, 2]), 2.5);
    assert.ok(Number.isNaN(median([])));
  });
});
