// Picks the next token from the last position's logits: repetition penalty, then temperature,
// top-k, top-p and min-p (the order Hugging Face generate() applies them), then a draw.
import type { Random } from './prng';

export interface SamplingParams {
  /** 0: greedy (argmax). */
  temperature: number;
  /** 0: no top-k cut. */
  topK: number;
  /** 1: no nucleus cut. */
  topP: number;
  /** 0: no min-p cut. */
  minP: number;
  /** 1: no penalty. */
  repetitionPenalty: number;
}

/** A model's defaults as its config files state them (absent fields fall back to HF's). */
export interface SamplingDefaults {
  doSample: boolean;
  temperature?: number;
  topK?: number;
  topP?: number;
  minP?: number;
  repetitionPenalty?: number;
}

/** Hugging Face GenerationConfig's defaults, used where the model says nothing. */
const HF_TOP_K = 50;

export function resolveSampling(defaults: SamplingDefaults, overrides: Partial<SamplingParams>): SamplingParams {
  const modelTemperature = defaults.doSample ? (defaults.temperature ?? 1) : 0;
  return {
    temperature: overrides.temperature ?? modelTemperature,
    topK: overrides.topK ?? defaults.topK ?? HF_TOP_K,
    topP: overrides.topP ?? defaults.topP ?? 1,
    minP: overrides.minP ?? defaults.minP ?? 0,
    repetitionPenalty: overrides.repetitionPenalty ?? defaults.repetitionPenalty ?? 1,
  };
}

/** CTRL-style penalty on every token already seen (prompt and answer), in place. */
export function applyRepetitionPenalty(logits: Float32Array, seen: Iterable<number>, penalty: number): void {
  if (penalty === 1) return;
  for (const id of seen) {
    const v = logits[id];
    if (v === undefined) continue; // an id outside the vocabulary
    logits[id] = v < 0 ? v * penalty : v / penalty;
  }
}

export function argmax(logits: Float32Array): number {
  let best = 0;
  let bestValue = -Infinity;
  for (let i = 0; i < logits.length; i++) {
    const v = logits[i];
    if (v > bestValue) {
      bestValue = v;
      best = i;
    }
  }
  return best;
}

/** Indices of the k largest logits, largest first (a size-k min-heap: O(V log k)). */
export function topKIndices(logits: Float32Array, k: number): number[] {
  if (k <= 0 || k >= logits.length) {
    const all = Array.from({ length: logits.length }, (_, i) => i);
    return all.sort((a, b) => (logits[b]) - (logits[a]));
  }
  const heap: number[] = [];
  const less = (a: number, b: number): boolean => (logits[a]) < (logits[b]);
  const siftDown = (start: number): void => {
    let i = start;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && less(heap[l], heap[m])) m = l;
      if (r < heap.length && less(heap[r], heap[m])) m = r;
      if (m === i) return;
      [heap[i], heap[m]] = [heap[m], heap[i]];
      i = m;
    }
  };
  for (let i = 0; i < logits.length; i++) {
    if (heap.length < k) {
      heap.push(i);
      let c = heap.length - 1;
      while (c > 0) {
        const p = (c - 1) >> 1;
        if (!less(heap[c], heap[p])) break;
        [heap[c], heap[p]] = [heap[p], heap[c]];
        c = p;
      }
    } else if ((logits[i]) > (logits[heap[0]])) {
      heap[0] = i;
      siftDown(0);
    }
  }
  return heap.sort((a, b) => (logits[b]) - (logits[a]));
}

/** Chooses a token; `logits` must already carry the repetition penalty. */
export function sampleToken(logits: Float32Array, params: SamplingParams, random: Random): number {
  if (params.temperature <= 0) return argmax(logits);
  const candidates = topKIndices(logits, params.topK);
  const maxLogit = logits[candidates[0]];
  let probs = candidates.map((id) => Math.exp(((logits[id]) - maxLogit) / params.temperature));
  normalize(probs);

  let keep = probs.length;
  if (params.topP < 1) {
    let cumulative = 0;
    for (let i = 0; i < probs.length; i++) {
      cumulative += probs[i];
      if (cumulative >= params.topP) {
        keep = i + 1;
        break;
      }
    }
  }
  if (params.minP > 0) {
    const threshold = params.minP * (probs[0]);
    let i = 1;
    while (i < keep && (probs[i]) >= threshold) i++;
    keep = i;
  }
  probs = probs.slice(0, keep);
  normalize(probs);

  let r = random();
  for (let i = 0; i < probs.length; i++) {
    r -= probs[i];
    if (r < 0) return candidates[i];
  }
  return candidates[probs.length - 1];
}

function normalize(values: number[]): void {
  const sum = values.reduce((a, b) => a + b, 0);
  for (let i = 0; i < values.length; i++) values[i] = (values[i]) / sum;
}
