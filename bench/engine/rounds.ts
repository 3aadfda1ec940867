// How the rounds of a benchmark run are combined. Each round runs Hearth then transformers.js back
// to back, so the two numbers of one round share the machine's state at the time; this VM's speed
// drifts over minutes by as much as the differences measured.
import type { SideResult } from './types';

/** Each side's best over rounds: a disturbed round on a shared machine does not decide the ratio. */
export function bestOf(results: SideResult[]): SideResult {
  const [first, ...rest] = results;
  if (!first) throw new Error('no rounds were measured');
  return rest.reduce(
    (a, b) => ({
      ...a,
      loadMs: Math.min(a.loadMs, b.loadMs),
      ttft200Ms: Math.min(a.ttft200Ms, b.ttft200Ms),
      decode200: Math.max(a.decode200, b.decode200),
      ttft1000Ms: Math.min(a.ttft1000Ms, b.ttft1000Ms),
      decode1000: Math.max(a.decode1000, b.decode1000),
      followupTtftMs: Math.min(a.followupTtftMs, b.followupTtftMs),
      // Memory is not noise: the worst round counts.
      peakRssMB: Math.max(a.peakRssMB, b.peakRssMB),
    }),
    first,
  );
}

export function median(values: number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export interface RoundByRound {
  hearth: number[];
  peer: number[];
  /** Hearth's speed over the peer's, within each round. */
  ratios: number[];
  medianRatio: number;
}

/** A decode speed round by round, with the ratio of each round's two back-to-back runs. */
export function roundByRound(hearth: SideResult[], peer: SideResult[], metric: 'decode200' | 'decode1000'): RoundByRound {
  if (hearth.length !== peer.length) throw new Error(`unpaired rounds: ${hearth.length} against ${peer.length}`);
  const h = hearth.map((r) => r[metric]);
  const p = peer.map((r) => r[metric]);
  const ratios = h.map((v, i) => v / p[i]);
  return { hearth: h, peer: p, ratios, medianRatio: median(ratios) };
}
