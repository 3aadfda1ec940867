// What differs between the decoder families inside the graph. The ONNX writer (qwen2Graph.ts), the
// weights (weights.ts) and the reference forward pass (referenceForward.ts) all read it, so a
// family's graph and its reference agree by construction.
import type { ModelShape } from './shapes';

export type Rope =
  | { type: 'default' }
  /** Llama 3.1/3.2 `rope_scaling.rope_type: "llama3"` (transformers' _compute_llama3_parameters). */
  | { type: 'llama3'; factor: number; lowFreqFactor: number; highFreqFactor: number; originalMaxPositions: number }
  /**
   * Phi-3.5 / Phi-4-mini `rope_scaling.type: "longrope"`: per-frequency divisors, and cos/sin scaled
   * by sqrt(1 + ln(max / original) / ln(original)). The tiny graphs hold the short-factor tables
   * only, which is what the real models use below original_max_position_embeddings.
   */
  | { type: 'longrope'; shortFactor: number[]; longFactor: number[]; originalMaxPositions: number; maxPositions: number };

export interface Architecture {
  /** Bias on the q/k/v projections (Qwen2, Qwen2.5, DeepSeek-R1-Distill-Qwen). */
  qkvBias: boolean;
  /** RMSNorm over each head of q and k before rotary (Qwen3, Gemma 3). */
  qkNorm: boolean;
  /**
   * Gemma 3: RMSNorm scales by (1 + w), embeddings are multiplied by sqrt(hidden_size), the MLP is
   * GELU (tanh approximation), and there are norms after attention and before and after the MLP.
   */
  gemma: boolean;
  /** lm_head reuses the embedding matrix (tie_word_embeddings). */
  tiedEmbeddings: boolean;
  /** Dimensions of each head that rotary turns (Phi-4-mini: 0.75 of head_dim); the rest pass through. */
  rotaryDim: number;
  rope: Rope;
}

/** Qwen2's architecture: what the generator wrote before families existed. */
export function qwen2Architecture(shape: ModelShape): Architecture {
  return { qkvBias: true, qkNorm: false, gemma: false, tiedEmbeddings: false, rotaryDim: shape.headDim, rope: { type: 'default' } };
}

/** Inverse frequencies of the rotary dims (rotaryDim / 2 of them), after the family's rope scaling. */
export function inverseFrequencies(shape: ModelShape, arch: Architecture): number[] {
  const half = arch.rotaryDim / 2;
  const rope = arch.rope;
  const out: number[] = [];
  for (let i = 0; i < half; i++) {
    const base = 1 / Math.pow(shape.ropeTheta, (2 * i) / arch.rotaryDim);
    if (rope.type === 'llama3') {
      const lowWavelen = rope.originalMaxPositions / rope.lowFreqFactor;
      const highWavelen = rope.originalMaxPositions / rope.highFreqFactor;
      const wavelen = (2 * Math.PI) / base;
      if (wavelen < highWavelen) out.push(base);
      else if (wavelen > lowWavelen) out.push(base / rope.factor);
      else {
        const smooth = (rope.originalMaxPositions / wavelen - rope.lowFreqFactor) / (rope.highFreqFactor - rope.lowFreqFactor);
        out.push((1 - smooth) * (base / rope.factor) + smooth * base);
      }
    } else if (rope.type === 'longrope') {
      out.push(base / rope.shortFactor[i]);
    } else {
      out.push(base);
    }
  }
  return out;
}

/** The factor cos and sin are multiplied by (longrope's attention factor; 1 otherwise). */
export function rotaryScale(arch: Architecture): number {
  if (arch.rope.type !== 'longrope') return 1;
  const scale = arch.rope.maxPositions / arch.rope.originalMaxPositions;
  return scale <= 1 ? 1 : Math.sqrt(1 + Math.log(scale) / Math.log(arch.rope.originalMaxPositions));
}
