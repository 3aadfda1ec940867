// The decoder's weights, defined once and produced on demand from the seed. The ONNX writer and the
// reference forward pass both read them from here, so they agree by construction.
import { type Architecture, inverseFrequencies, qwen2Architecture, rotaryScale } from './architecture';
import { uniformTensor } from './prng';
import type { ModelShape } from './shapes';

/** Linear weights are [out, in] (PyTorch's layout); everything else is as named. */
export interface WeightSpec {
  name: string;
  dims: number[];
  fill: () => Float32Array;
}

export const weightName = {
  embed: 'model.embed_tokens.weight',
  finalNorm: 'model.norm.weight',
  lmHead: 'lm_head.weight',
  layer: (i: number) => {
    const p = `model.layers.${i}`;
    return {
      inputNorm: `${p}.input_layernorm.weight`,
      q: `${p}.self_attn.q_proj.weight`,
      qBias: `${p}.self_attn.q_proj.bias`,
      k: `${p}.self_attn.k_proj.weight`,
      kBias: `${p}.self_attn.k_proj.bias`,
      v: `${p}.self_attn.v_proj.weight`,
      vBias: `${p}.self_attn.v_proj.bias`,
      o: `${p}.self_attn.o_proj.weight`,
      postNorm: `${p}.post_attention_layernorm.weight`,
      /** Qwen3 / Gemma 3: RMSNorm of each q and k head. */
      qNorm: `${p}.self_attn.q_norm.weight`,
      kNorm: `${p}.self_attn.k_norm.weight`,
      /** Gemma 3: norms before and after the MLP (its post_attention_layernorm follows attention). */
      preFfNorm: `${p}.pre_feedforward_layernorm.weight`,
      postFfNorm: `${p}.post_feedforward_layernorm.weight`,
      gate: `${p}.mlp.gate_proj.weight`,
      up: `${p}.mlp.up_proj.weight`,
      down: `${p}.mlp.down_proj.weight`,
    };
  },
};

/**
 * The demo model's wiring: chain[k] is followed by chain[k + 1], the last chain token by endId,
 * and every other token by chain[0].
 */
export interface DemoWiring {
  chain: number[];
  endId: number;
}

export class WeightSource {
  private readonly specs = new Map<string, WeightSpec>();
  readonly arch: Architecture;

  constructor(
    readonly shape: ModelShape,
    readonly seed: number,
    demo?: DemoWiring,
    arch?: Architecture,
  ) {
    this.arch = arch ?? qwen2Architecture(shape);
    const a = this.arch;
    // Gemma's norms scale by (1 + w), so its weights sit around 0 rather than 1.
    const normCenter = a.gemma ? 0 : 1;
    const s = shape;
    const qDim = s.numHeads * s.headDim;
    const kvDim = s.numKvHeads * s.headDim;
    // Uniform in ±a has standard deviation a/√3; scales keep activations near unit size.
    const linear = (name: string, out: number, inp: number, std: number): void =>
      this.define(name, [out, inp], () => uniformTensor(seed, name, out * inp, std * Math.sqrt(3 / inp)));
    const vector = (name: string, n: number, halfWidth: number, center: number): void =>
      this.define(name, [n], () => uniformTensor(seed, name, n, halfWidth, center));

    // A wired demo keeps its layers but makes their residual contributions small next to the chain.
    const residualScale = demo ? 0.01 : 1;
    for (let i = 0; i < s.numLayers; i++) {
      const n = weightName.layer(i);
      vector(n.inputNorm, s.hiddenSize, 0.1, normCenter);
      linear(n.q, qDim, s.hiddenSize, 1.5);
      if (a.qkvBias) vector(n.qBias, qDim, 0.1, 0);
      linear(n.k, kvDim, s.hiddenSize, 1.5);
      if (a.qkvBias) vector(n.kBias, kvDim, 0.1, 0);
      linear(n.v, kvDim, s.hiddenSize, 1);
      if (a.qkvBias) vector(n.vBias, kvDim, 0.1, 0);
      if (a.qkNorm) {
        vector(n.qNorm, s.headDim, 0.1, normCenter);
        vector(n.kNorm, s.headDim, 0.1, normCenter);
      }
      linear(n.o, s.hiddenSize, qDim, residualScale);
      // Gemma's norms after attention and after the MLP would scale a wired demo's small residual
      // contributions back up: there they scale by (1 + w) of about 0.01 instead.
      const wiredGemma = demo !== undefined && a.gemma;
      vector(n.postNorm, s.hiddenSize, wiredGemma ? 0.005 : 0.1, wiredGemma ? -0.99 : normCenter);
      if (a.gemma) {
        vector(n.preFfNorm, s.hiddenSize, 0.1, normCenter);
        vector(n.postFfNorm, s.hiddenSize, wiredGemma ? 0.005 : 0.1, wiredGemma ? -0.99 : normCenter);
      }
      linear(n.gate, s.intermediateSize, s.hiddenSize, 1);
      linear(n.up, s.intermediateSize, s.hiddenSize, 1);
      linear(n.down, s.hiddenSize, s.intermediateSize, residualScale);
    }
    if (demo) {
      this.defineDemoEnds(demo);
    } else {
      this.define(weightName.embed, [s.vocabSize, s.hiddenSize], () =>
        uniformTensor(seed, weightName.embed, s.vocabSize * s.hiddenSize, 1),
      );
      vector(weightName.finalNorm, s.hiddenSize, 0.1, normCenter);
      if (a.tiedEmbeddings) {
        // The same values as the embedding (a tied export still writes lm_head as its own initializer).
        this.define(weightName.lmHead, [s.vocabSize, s.hiddenSize], () =>
          uniformTensor(seed, weightName.embed, s.vocabSize * s.hiddenSize, 1),
        );
      } else {
        linear(weightName.lmHead, s.vocabSize, s.hiddenSize, 2);
      }
    }
  }

  /**
   * A bigram chain through the residual stream: token chain[k] embeds as the unit vector e(k+1),
   * every other token as e(0); lm_head maps e(k+1) to chain[k+1] (the end token after the last)
   * and e(0) to chain[0].
   */
  private defineDemoEnds({ chain, endId }: DemoWiring): void {
    const { vocabSize: v, hiddenSize: h } = this.shape;
    if (chain.length + 1 > h) throw new Error(`The demo sentence has ${chain.length} tokens; at most ${h - 1} fit the hidden size.`);
    if (new Set(chain).size !== chain.length) throw new Error('The demo sentence repeats a token, so a bigram chain cannot spell it.');
    const slot = new Map(chain.map((id, k) => [id, k + 1]));
    const gain = 3;
    this.define(weightName.embed, [v, h], () => {
      const e = new Float32Array(v * h);
      for (let t = 0; t < v; t++) e[t * h + (slot.get(t) ?? 0)] = 1;
      return e;
    });
    this.define(weightName.finalNorm, [h], () => new Float32Array(h).fill(1));
    this.define(weightName.lmHead, [v, h], () => {
      const w = new Float32Array(v * h);
      w[chain[0] * h + 0] = gain;
      chain.forEach((_, k) => {
        const next = k + 1 < chain.length ? chain[k + 1] : endId;
        w[next * h + k + 1] = gain;
      });
      return w;
    });
  }

  private define(name: string, dims: number[], fill: () => Float32Array): void {
    this.specs.set(name, { name, dims, fill });
  }

  dims(name: string): number[] {
    return this.spec(name).dims;
  }

  /** A fresh copy of the tensor's values (callers may keep or drop it). */
  get(name: string): Float32Array {
    return this.spec(name).fill();
  }

  private spec(name: string): WeightSpec {
    const s = this.specs.get(name);
    if (!s) throw new Error(`No weight named ${name}.`);
    return s;
  }
}

/**
 * Rotary tables [maxPositions, rotaryDim / 2] in float32, shared by both attention variants, with
 * the family's rope scaling applied (Qwen2's plain rope when no architecture is given).
 */
export function rotaryTables(shape: ModelShape, arch: Architecture = qwen2Architecture(shape)): { cos: Float32Array; sin: Float32Array } {
  const half = arch.rotaryDim / 2;
  const scale = rotaryScale(arch);
  const invFreqs = inverseFrequencies(shape, arch);
  const cos = new Float32Array(shape.maxPositions * half);
  const sin = new Float32Array(shape.maxPositions * half);
  for (let i = 0; i < half; i++) {
    const invFreq = invFreqs[i];
    for (let p = 0; p < shape.maxPositions; p++) {
      cos[p * half + i] = Math.cos(p * invFreq) * scale;
      sin[p * half + i] = Math.sin(p * invFreq) * scale;
    }
  }
  return { cos, sin };
}
