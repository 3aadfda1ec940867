// Deterministic pseudo-random numbers. Every tensor gets its own stream derived from
// (seed, tensor name), so values do not depend on the order tensors are generated in.

/** FNV-1a over the name, mixed with the seed. */
function streamSeed(seed: number, name: string): number {
  let h = 0x811c9dc5 ^ (seed >>> 0);
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** mulberry32: fast, 32-bit state, good enough for test weights. Returns floats in [0, 1). */
export function tensorRng(seed: number, name: string): () => number {
  let a = streamSeed(seed, name);
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** n float32 values uniform in [center - halfWidth, center + halfWidth). */
export function uniformTensor(seed: number, name: string, n: number, halfWidth: number, center = 0): Float32Array {
  const next = tensorRng(seed, name);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = center + (next() * 2 - 1) * halfWidth;
  return out;
}
