// Deterministic pseudo-random numbers for sampling: the same seed gives the same answer.
// mulberry32: tiny, fast, good enough statistically for choosing among a few tokens.

export type Random = () => number;

export function createRandom(seed: number): Random {
  // Fold seeds beyond 32 bits in, so nearby large seeds still differ.
  let state = (seed ^ Math.floor(seed / 0x100000000)) >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 0x100000000;
  };
}

export function randomSeed(): number {
  return Math.floor(Math.random() * 0x100000000);
}
