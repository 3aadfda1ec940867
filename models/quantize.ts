// 4-bit symmetric block quantization in the layout of onnxruntime's MatMulNBits
// (bits 4, block 32, no zero points, so the implied zero point is 8).

export const Q4_BLOCK = 32;

export interface Q4Weight {
  /** [N, K / 32, 16] bytes: element 2j in the low nibble, 2j+1 in the high nibble. */
  packed: Uint8Array;
  /** [N * K / 32] float32 scales. */
  scales: Float32Array;
}

/** Quantizes a row-major [N, K] matrix (N output features, K inputs). */
export function quantizeQ4(w: Float32Array, n: number, k: number): Q4Weight {
  if (k % Q4_BLOCK !== 0) throw new Error(`q4 needs the input size (${k}) to be a multiple of ${Q4_BLOCK}.`);
  const blocks = k / Q4_BLOCK;
  const packed = new Uint8Array((n * k) / 2);
  const scales = new Float32Array(n * blocks);
  const q = new Uint8Array(Q4_BLOCK);
  for (let row = 0; row < n; row++) {
    for (let b = 0; b < blocks; b++) {
      const start = row * k + b * Q4_BLOCK;
      let extreme = 0;
      for (let i = 0; i < Q4_BLOCK; i++) if (Math.abs(w[start + i]) > Math.abs(extreme)) extreme = w[start + i];
      // The largest magnitude maps to -8, the one code with no positive twin.
      const scale = Math.fround(extreme / -8);
      const inv = scale === 0 ? 0 : 1 / scale;
      for (let i = 0; i < Q4_BLOCK; i++) q[i] = Math.min(15, Math.max(0, Math.round(w[start + i] * inv) + 8));
      scales[row * blocks + b] = scale;
      const out = (row * blocks + b) * (Q4_BLOCK / 2);
      for (let j = 0; j < Q4_BLOCK / 2; j++) packed[out + j] = q[2 * j] | (q[2 * j + 1] << 4);
    }
  }
  return { packed, scales };
}

/** The float32 values onnxruntime computes with: (code - 8) * scale. */
export function dequantizeQ4(q: Q4Weight, n: number, k: number): Float32Array {
  const blocks = k / Q4_BLOCK;
  const out = new Float32Array(n * k);
  for (let row = 0; row < n; row++) {
    for (let b = 0; b < blocks; b++) {
      const scale = q.scales[row * blocks + b];
      const at = (row * blocks + b) * (Q4_BLOCK / 2);
      for (let j = 0; j < Q4_BLOCK / 2; j++) {
        const byte = q.packed[at + j];
        out[row * k + b * Q4_BLOCK + 2 * j] = ((byte & 15) - 8) * scale;
        out[row * k + b * Q4_BLOCK + 2 * j + 1] = ((byte >> 4) - 8) * scale;
      }
    }
  }
  return out;
}
