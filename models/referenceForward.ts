// A plain TypeScript forward pass of the generated decoder (no onnxruntime), from the same seeded
// weights, for checking what onnxruntime computes. Computes in float64; slow, meant for tiny shapes.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Architecture } from './architecture';
import { MANIFEST_FILE, weightSourceFor, type Manifest } from './generator';
import { dequantizeQ4, quantizeQ4 } from './quantize';
import type { Dtype } from './qwen2Graph';
import type { ModelShape } from './shapes';
import { rotaryTables, weightName, type WeightSource } from './weights';

interface Layer {
  inputNorm: Float32Array;
  q: Float32Array;
  qBias?: Float32Array;
  k: Float32Array;
  kBias?: Float32Array;
  v: Float32Array;
  vBias?: Float32Array;
  qNorm?: Float32Array;
  kNorm?: Float32Array;
  o: Float32Array;
  postNorm: Float32Array;
  preFfNorm?: Float32Array;
  postFfNorm?: Float32Array;
  gate: Float32Array;
  up: Float32Array;
  down: Float32Array;
}

interface LoadedWeights {
  shape: ModelShape;
  arch: Architecture;
  embed: Float32Array;
  layers: Layer[];
  finalNorm: Float32Array;
  lmHead: Float32Array;
  cos: Float32Array;
  sin: Float32Array;
}

const loaded = new Map<string, LoadedWeights>();

export function readManifest(modelDir: string): Manifest {
  try {
    return JSON.parse(readFileSync(join(modelDir, MANIFEST_FILE), 'utf8')) as Manifest;
  } catch (e) {
    throw new Error(`${modelDir} is not a folder made by models/generator.ts (no readable ${MANIFEST_FILE}): ${String(e)}`);
  }
}

function load(source: WeightSource, dtype: Dtype): LoadedWeights {
  // Linear layers see what onnxruntime sees: the 4-bit values when the model is q4.
  const linear = (name: string): Float32Array => {
    const w = source.get(name);
    if (dtype !== 'q4' && dtype !== 'q4f16') return w;
    const [n, k] = source.dims(name);
    return dequantizeQ4(quantizeQ4(w, n, k), n, k);
  };
  const a = source.arch;
  const optional = (on: boolean, name: string): Float32Array | undefined => (on ? source.get(name) : undefined);
  const layers: Layer[] = [];
  for (let i = 0; i < source.shape.numLayers; i++) {
    const n = weightName.layer(i);
    layers.push({
      inputNorm: source.get(n.inputNorm),
      q: linear(n.q),
      qBias: optional(a.qkvBias, n.qBias),
      k: linear(n.k),
      kBias: optional(a.qkvBias, n.kBias),
      v: linear(n.v),
      vBias: optional(a.qkvBias, n.vBias),
      qNorm: optional(a.qkNorm, n.qNorm),
      kNorm: optional(a.qkNorm, n.kNorm),
      o: linear(n.o),
      postNorm: source.get(n.postNorm),
      preFfNorm: optional(a.gemma, n.preFfNorm),
      postFfNorm: optional(a.gemma, n.postFfNorm),
      gate: linear(n.gate),
      up: linear(n.up),
      down: linear(n.down),
    });
  }
  const { cos, sin } = rotaryTables(source.shape, a);
  return {
    shape: source.shape,
    arch: a,
    embed: source.get(weightName.embed),
    layers,
    finalNorm: source.get(weightName.finalNorm),
    lmHead: linear(weightName.lmHead),
    cos,
    sin,
  };
}

/** y = W x (+ b) with W row-major [out, in]. */
function matVec(w: Float32Array, x: Float64Array, out: number, bias?: Float32Array): Float64Array {
  const inp = x.length;
  const y = new Float64Array(out);
  for (let o = 0; o < out; o++) {
    let acc = bias ? bias[o] : 0;
    const row = o * inp;
    for (let i = 0; i < inp; i++) acc += w[row + i] * x[i];
    y[o] = acc;
  }
  return y;
}

/** RMSNorm; Gemma's scales by (1 + w). */
function rmsNorm(x: Float64Array, w: Float32Array, eps: number, gemma = false): Float64Array {
  let ms = 0;
  for (const v of x) ms += v * v;
  const inv = 1 / Math.sqrt(ms / x.length + eps);
  return x.map((v, i) => v * inv * (gemma ? 1 + w[i] : w[i]));
}

/** RMSNorm of each head of x (heads x headDim) on its own, in place (Qwen3 / Gemma 3 q/k norms). */
function normHeads(x: Float64Array, heads: number, headDim: number, w: Float32Array, eps: number, gemma: boolean): void {
  for (let h = 0; h < heads; h++) x.set(rmsNorm(x.subarray(h * headDim, (h + 1) * headDim), w, eps, gemma), h * headDim);
}

/**
 * Rotates each head of x (heads x headDim) in place for one position (Qwen2's rotate_half form),
 * over the first rotaryDim dims of each head (all of them unless the rotary is partial).
 */
function rotate(x: Float64Array, heads: number, headDim: number, pos: number, w: LoadedWeights): void {
  const half = w.arch.rotaryDim / 2;
  for (let h = 0; h < heads; h++) {
    for (let i = 0; i < half; i++) {
      const c = w.cos[pos * half + i];
      const s = w.sin[pos * half + i];
      const a = x[h * headDim + i];
      const b = x[h * headDim + i + half];
      x[h * headDim + i] = a * c - b * s;
      x[h * headDim + i + half] = b * c + a * s;
    }
  }
}

/**
 * Logits for every position of one unpadded sequence (positions 0..n-1), one Float32Array of
 * vocab_size per position. `dtype` picks which of the folder's onnx files to mirror (default: its first).
 */
export function referenceLogits(modelDir: string, inputIds: number[], dtype?: Dtype): Float32Array[] {
  const manifest = readManifest(modelDir);
  const d = dtype ?? manifest.options.dtypes[0];
  if (!manifest.options.dtypes.includes(d)) throw new Error(`${modelDir} has no ${d} model (it has ${manifest.options.dtypes.join(', ')}).`);
  const key = `${JSON.stringify(manifest.options)}:${d}`;
  let w = loaded.get(key);
  if (!w) {
    w = load(weightSourceFor(manifest.options), d);
    loaded.set(key, w);
  }
  return forward(w, inputIds);
}

function forward(w: LoadedWeights, ids: number[]): Float32Array[] {
  const s = w.shape;
  const h = s.hiddenSize;
  const groups = s.numHeads / s.numKvHeads;
  const qDim = s.numHeads * s.headDim;
  const kvDim = s.numKvHeads * s.headDim;
  const scale = 1 / Math.sqrt(s.headDim);
  const a = w.arch;
  const norm = (x: Float64Array, weight: Float32Array): Float64Array => rmsNorm(x, weight, s.rmsNormEps, a.gemma);
  for (const id of ids) if (!Number.isInteger(id) || id < 0 || id >= s.vocabSize) throw new Error(`Token id ${id} is outside the vocabulary (0..${s.vocabSize - 1}).`);
  const embedScale = a.gemma ? Math.sqrt(h) : 1;
  let x = ids.map((id) => Float64Array.from(w.embed.subarray(id * h, (id + 1) * h), (v) => v * embedScale));

  for (const layer of w.layers) {
    const normed = x.map((row) => norm(row, layer.inputNorm));
    const q = normed.map((row, p) => {
      const v = matVec(layer.q, row, qDim, layer.qBias);
      if (layer.qNorm) normHeads(v, s.numHeads, s.headDim, layer.qNorm, s.rmsNormEps, a.gemma);
      rotate(v, s.numHeads, s.headDim, p, w);
      return v;
    });
    const k = normed.map((row, p) => {
      const v = matVec(layer.k, row, kvDim, layer.kBias);
      if (layer.kNorm) normHeads(v, s.numKvHeads, s.headDim, layer.kNorm, s.rmsNormEps, a.gemma);
      rotate(v, s.numKvHeads, s.headDim, p, w);
      return v;
    });
    const v = normed.map((row) => matVec(layer.v, row, kvDim, layer.vBias));
    x = x.map((row, p) => {
      const ctx = new Float64Array(qDim);
      for (let head = 0; head < s.numHeads; head++) {
        const kvOff = Math.floor(head / groups) * s.headDim;
        const qOff = head * s.headDim;
        const scores = new Float64Array(p + 1);
        let max = -Infinity;
        for (let j = 0; j <= p; j++) {
          let dot = 0;
          for (let i = 0; i < s.headDim; i++) dot += q[p][qOff + i] * k[j][kvOff + i];
          scores[j] = dot * scale;
          max = Math.max(max, scores[j]);
        }
        let sum = 0;
        for (let j = 0; j <= p; j++) sum += scores[j] = Math.exp(scores[j] - max);
        for (let j = 0; j <= p; j++) {
          const pj = scores[j] / sum;
          for (let i = 0; i < s.headDim; i++) ctx[qOff + i] += pj * v[j][kvOff + i];
        }
      }
      const attnOut = matVec(layer.o, ctx, h);
      // Gemma normalizes the attention and MLP outputs too (post_attention / post_feedforward).
      const attn = a.gemma ? norm(attnOut, layer.postNorm) : attnOut;
      const mid = row.map((val, i) => val + attn[i]);
      const y = norm(mid, layer.preFfNorm ?? layer.postNorm);
      const gate = matVec(layer.gate, y, s.intermediateSize);
      const up = matVec(layer.up, y, s.intermediateSize);
      const act = gate.map((g, i) => (a.gemma ? geluTanh(g) : g / (1 + Math.exp(-g))) * up[i]);
      const downOut = matVec(layer.down, act, h);
      const down = layer.postFfNorm ? norm(downOut, layer.postFfNorm) : downOut;
      return mid.map((val, i) => val + down[i]);
    });
  }
  return x.map((row) => Float32Array.from(matVec(w.lmHead, norm(row, w.finalNorm), s.vocabSize)));
}

function geluTanh(x: number): number {
  return 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
}
