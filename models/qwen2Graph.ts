// Writes a Qwen2-style decoder as an ONNX graph, streaming each weight into the tensor store as it
// is wired in. Two attention variants:
//  - standard: opset-17 ops only; rotary from position_ids, causal+padding mask from attention_mask.
//  - gqa: com.microsoft GroupQueryAttention with built-in rotary; positions from attention_mask.
// dtype fp16 gives the interface of an fp16 export (float16 KV cache in and out, float16 logits)
// around fp32 weights and math, cast at the edges: what the engine sees of such a model. The gqa
// variant runs its GroupQueryAttention in float16 on the cache inputs themselves, as real fp16
// exports do: fed from a Cast instead, onnxruntime 1.30's WebGPU provider lets present reuse the
// past's buffer and fails the first step ("Shape mismatch attempting to re-use buffer"), a failure
// no real model shows.
import { attr, GraphBuilder } from './onnx/graphBuilder';
import { DataType, type ModelProto } from './onnx/onnxModel';
import type { TensorStore } from './onnx/tensorStore';
import { quantizeQ4, Q4_BLOCK } from './quantize';
import { rotaryTables, weightName, type WeightSource } from './weights';

export type Attention = 'standard' | 'gqa';
export type Dtype = 'fp32' | 'q4' | 'fp16' | 'q4f16';

export interface DecoderGraphOptions {
  attention: Attention;
  dtype: Dtype;
  /** Adds the int64 input num_logits_to_keep (0: every position, N: the last N). */
  logitsToKeepInput: boolean;
  producerVersion: string;
  /** Named in the graph's doc string (default "Qwen2-style"). */
  familyLabel?: string;
}

const FLOAT_LOWEST = -3.4028234663852886e38;

export function buildDecoderModel(weights: WeightSource, store: TensorStore, options: DecoderGraphOptions): ModelProto {
  const s = weights.shape;
  const a = weights.arch;
  const g = new GraphBuilder();
  const groups = s.numHeads / s.numKvHeads;
  const half = a.rotaryDim / 2;
  const gqa = options.attention === 'gqa';
  if (gqa && (a.qkNorm || a.gemma)) throw new Error('The gqa graph has no q/k norms or Gemma layers; use standard attention for this family.');
  // q4f16 (what onnx-community's GPU files are): fp16's edges, and 4-bit products in float16.
  const half16 = options.dtype === 'fp16' || options.dtype === 'q4f16';
  const q4 = options.dtype === 'q4' || options.dtype === 'q4f16';
  const kvType = half16 ? DataType.FLOAT16 : DataType.FLOAT;
  /** A float16 graph input as float32, or the input itself. */
  const fromEdge = (name: string): string => (half16 ? g.op('Cast', [name], { to: attr.int(DataType.FLOAT) }) : name);
  /** Writes float32 `value` to graph output `name` (cast to float16 for fp16). */
  const toEdge = (value: string, name: string, scope?: string): void => {
    if (half16) g.opN('Cast', [value], { to: attr.int(DataType.FLOAT16) }, { outputs: [name], ...(scope ? { scope } : {}) });
    else g.opN('Identity', [value], {}, { outputs: [name], ...(scope ? { scope } : {}) });
  };

  // A [*, in] x weight -> [*, out] projection, fp32 MatMul or 4-bit MatMulNBits.
  const linear = (x: string, name: string, scope: string): string => {
    const [out, inp] = weights.dims(name);
    const w = weights.get(name);
    if (q4) {
      const q = quantizeQ4(w, out, inp);
      const b = g.initializer(store.add(`${name}.q4`, DataType.UINT8, [out, inp / Q4_BLOCK, Q4_BLOCK / 2], q.packed));
      const sc = g.initializer(store.add(`${name}.scales`, DataType.FLOAT, [(out * inp) / Q4_BLOCK], q.scales));
      // q4f16: float16 activations and scales (the scales' Cast is folded when the session loads).
      const f16 = options.dtype === 'q4f16';
      const to16 = (t: string): string => g.op('Cast', [t], { to: attr.int(DataType.FLOAT16) }, { scope });
      const product = g.op(
        'MatMulNBits',
        [f16 ? to16(x) : x, b, f16 ? to16(sc) : sc],
        { K: attr.int(inp), N: attr.int(out), bits: attr.int(4), block_size: attr.int(Q4_BLOCK), accuracy_level: attr.int(0) },
        { domain: 'com.microsoft', scope },
      );
      return f16 ? g.op('Cast', [product], { to: attr.int(DataType.FLOAT) }, { scope }) : product;
    }
    const t = new Float32Array(inp * out); // MatMul wants [in, out]
    for (let o = 0; o < out; o++) for (let i = 0; i < inp; i++) t[i * out + o] = w[o * inp + i];
    const wt = g.initializer(store.add(`${name}.T`, DataType.FLOAT, [inp, out], t));
    return g.op('MatMul', [x, wt], {}, { scope });
  };
  const weightAsIs = (name: string): string => g.initializer(store.add(name, DataType.FLOAT, weights.dims(name), weights.get(name)));
  const rmsNorm = (x: string, name: string, scope: string): string => {
    // Gemma scales by (1 + w).
    const w = a.gemma ? g.op('Add', [weightAsIs(name), g.constFloat([1], [])], {}, { scope }) : weightAsIs(name);
    if (gqa) {
      return g.op('SimplifiedLayerNormalization', [x, w], { axis: attr.int(-1), epsilon: attr.float(s.rmsNormEps), stash_type: attr.int(1) }, { scope });
    }
    const meanSquare = g.op('ReduceMean', [g.op('Mul', [x, x], {}, { scope })], { axes: attr.ints([-1]), keepdims: attr.int(1) }, { scope });
    const rms = g.op('Sqrt', [g.op('Add', [meanSquare, g.constFloat([s.rmsNormEps], [])], {}, { scope })], {}, { scope });
    return g.op('Mul', [g.op('Div', [x, rms], {}, { scope }), w], {}, { scope });
  };

  // Inputs.
  const inputIds = g.input('input_ids', DataType.INT64, ['batch_size', 'sequence_length']);
  const attentionMask = g.input('attention_mask', DataType.INT64, ['batch_size', 'total_sequence_length']);
  const positionIds = gqa ? '' : g.input('position_ids', DataType.INT64, ['batch_size', 'sequence_length']);
  const pastShape = ['batch_size', s.numKvHeads, 'past_sequence_length', s.headDim];
  for (let i = 0; i < s.numLayers; i++) {
    g.input(`past_key_values.${i}.key`, kvType, pastShape);
    g.input(`past_key_values.${i}.value`, kvType, pastShape);
  }
  const logitsToKeep = options.logitsToKeepInput ? g.input('num_logits_to_keep', DataType.INT64) : '';

  const tables = rotaryTables(s, a);
  const cosCache = g.initializer(store.add('rotary.cos_cache', DataType.FLOAT, [s.maxPositions, half], tables.cos));
  const sinCache = g.initializer(store.add('rotary.sin_cache', DataType.FLOAT, [s.maxPositions, half], tables.sin));

  // Shared per-step values.
  const scalarIdx1 = g.constInt64([1], []);
  const totalLen = g.op('Gather', [g.op('Shape', [attentionMask]), scalarIdx1], { axis: attr.int(0) });
  let maskBias = '';
  let cos4 = '';
  let sin4 = '';
  let seqlensK = '';
  let totalLenI32 = '';
  if (gqa) {
    // As onnxruntime-genai models do: seqlens_k = valid tokens - 1, total = mask length.
    const valid = g.op('ReduceSum', [attentionMask, g.constInt64([1])], { keepdims: attr.int(0) });
    seqlensK = g.op('Cast', [g.op('Sub', [valid, g.constInt64([1], [])])], { to: attr.int(DataType.INT32) });
    totalLenI32 = g.op('Cast', [totalLen], { to: attr.int(DataType.INT32) });
  } else {
    const seqLen = g.op('Gather', [g.op('Shape', [inputIds]), scalarIdx1], { axis: attr.int(0) });
    const pastLen = g.op('Sub', [totalLen, seqLen]);
    const one = g.constInt64([1], []);
    const keyPos = g.op('Range', [g.constInt64([0], []), totalLen, one]);
    const queryPos = g.op('Unsqueeze', [g.op('Range', [pastLen, totalLen, one]), g.constInt64([1])]);
    // New token i (absolute position past+i) sees every key j <= past+i that the mask keeps.
    const causal = g.op('LessOrEqual', [keyPos, queryPos]); // [s, total]
    const keep = g.op('Unsqueeze', [g.op('Cast', [attentionMask], { to: attr.int(DataType.BOOL) }), g.constInt64([1, 2, 3])]);
    const allowed = g.op('And', [causal, keep]); // [b, 1, 1, s, total]
    maskBias = g.op('Where', [allowed, g.constFloat([0], []), g.constFloat([FLOAT_LOWEST], [])]);
    const rotary = (cache: string): string => {
      const halfRows = g.op('Gather', [cache, positionIds], { axis: attr.int(0) }); // [b, s, half]
      const full = g.op('Concat', [halfRows, halfRows], { axis: attr.int(-1) });
      return g.op('Unsqueeze', [full, g.constInt64([1])]); // [b, 1, s, rotaryDim]
    };
    cos4 = rotary(cosCache);
    sin4 = rotary(sinCache);
  }

  const applyRotary = (x: string, scope: string): string => {
    // Partial rotary (Phi-4-mini): only the first rotaryDim dims of each head turn.
    const partial = a.rotaryDim < s.headDim;
    const [xr, xPass] = partial
      ? g.opN('Split', [x, g.constInt64([a.rotaryDim, s.headDim - a.rotaryDim])], { axis: attr.int(-1) }, { scope, outputs: [`${scope}/rot_part`, `${scope}/pass_part`] })
      : [x, ''];
    const [x1, x2] = g.opN('Split', [xr, g.constInt64([half, half])], { axis: attr.int(-1) }, { scope, outputs: [`${scope}/rot_x1`, `${scope}/rot_x2`] });
    const rotated = g.op('Concat', [g.op('Neg', [x2], {}, { scope }), x1], { axis: attr.int(-1) }, { scope });
    const turned = g.op('Add', [g.op('Mul', [xr, cos4], {}, { scope }), g.op('Mul', [rotated, sin4], {}, { scope })], {}, { scope });
    return partial ? g.op('Concat', [turned, xPass], { axis: attr.int(-1) }, { scope }) : turned;
  };

  g.output('logits', kvType, ['batch_size', options.logitsToKeepInput ? 'logits_length' : 'sequence_length', s.vocabSize]);
  let hidden = g.op('Gather', [weightAsIs(weightName.embed), inputIds], { axis: attr.int(0) });
  // Gemma multiplies the embeddings by sqrt(hidden_size).
  if (a.gemma) hidden = g.op('Mul', [hidden, g.constFloat([Math.sqrt(s.hiddenSize)], [])]);

  for (let i = 0; i < s.numLayers; i++) {
    const n = weightName.layer(i);
    const scope = `layers.${i}`;
    // fp16 standard attention: float32 math between casts. fp16 gqa: the node reads and writes the cache itself.
    const castEdges = half16 && !gqa;
    const pastKey = castEdges ? fromEdge(`past_key_values.${i}.key`) : `past_key_values.${i}.key`;
    const pastValue = castEdges ? fromEdge(`past_key_values.${i}.value`) : `past_key_values.${i}.value`;
    const presentKey = castEdges ? `${scope}/present_key_f32` : `present.${i}.key`;
    const presentValue = castEdges ? `${scope}/present_value_f32` : `present.${i}.value`;
    const x = rmsNorm(hidden, n.inputNorm, scope);
    const project = (w: string, bias: string): string =>
      a.qkvBias ? g.op('Add', [linear(x, w, scope), weightAsIs(bias)], {}, { scope }) : linear(x, w, scope);
    const q = project(n.q, n.qBias);
    const k = project(n.k, n.kBias);
    const v = project(n.v, n.vBias);
    let context: string;
    if (gqa) {
      const asKv = (t: string): string => (half16 ? g.op('Cast', [t], { to: attr.int(DataType.FLOAT16) }, { scope }) : t);
      [context] = g.opN(
        'GroupQueryAttention',
        [asKv(q), asKv(k), asKv(v), pastKey, pastValue, seqlensK, totalLenI32, asKv(cosCache), asKv(sinCache)],
        {
          num_heads: attr.int(s.numHeads),
          kv_num_heads: attr.int(s.numKvHeads),
          do_rotary: attr.int(1),
          rotary_interleaved: attr.int(0),
          scale: attr.float(1 / Math.sqrt(s.headDim)),
          local_window_size: attr.int(-1),
        },
        { domain: 'com.microsoft', scope, outputs: [`${scope}/attn_out`, presentKey, presentValue] },
      );
      if (half16) context = g.op('Cast', [context], { to: attr.int(DataType.FLOAT) }, { scope });
    } else {
      const heads = (t: string, count: number): string =>
        g.op('Transpose', [g.op('Reshape', [t, g.constInt64([0, 0, count, s.headDim])], {}, { scope })], { perm: attr.ints([0, 2, 1, 3]) }, { scope });
      // Qwen3 / Gemma 3 normalize each head of q and k before rotary.
      const headsOf = (t: string, count: number, norm: string, normScope: string): string =>
        a.qkNorm ? rmsNorm(heads(t, count), norm, normScope) : heads(t, count);
      const qRot = applyRotary(headsOf(q, s.numHeads, n.qNorm, `${scope}/q_norm`), `${scope}/q`); // [b, h, s, d]
      const kRot = applyRotary(headsOf(k, s.numKvHeads, n.kNorm, `${scope}/k_norm`), `${scope}/k`); // [b, kvh, s, d]
      g.op('Concat', [pastKey, kRot], { axis: attr.int(2) }, { scope, outputs: [presentKey] });
      g.op('Concat', [pastValue, heads(v, s.numKvHeads)], { axis: attr.int(2) }, { scope, outputs: [presentValue] });
      // Grouped heads without copying K/V: query heads [kvh, groups] broadcast against one K/V head.
      const qGrouped = g.op('Reshape', [qRot, g.constInt64([0, s.numKvHeads, groups, -1, s.headDim])], {}, { scope });
      const kT = g.op('Unsqueeze', [g.op('Transpose', [presentKey], { perm: attr.ints([0, 1, 3, 2]) }, { scope }), g.constInt64([2])], {}, { scope });
      const scores = g.op('Mul', [g.op('MatMul', [qGrouped, kT], {}, { scope }), g.constFloat([1 / Math.sqrt(s.headDim)], [])], {}, { scope });
      const probs = g.op('Softmax', [g.op('Add', [scores, maskBias], {}, { scope })], { axis: attr.int(-1) }, { scope });
      const ctx5 = g.op('MatMul', [probs, g.op('Unsqueeze', [presentValue, g.constInt64([2])], {}, { scope })], {}, { scope });
      const ctx = g.op('Transpose', [ctx5], { perm: attr.ints([0, 3, 1, 2, 4]) }, { scope }); // [b, s, kvh, groups, d]
      context = g.op('Reshape', [ctx, g.constInt64([0, 0, s.numHeads * s.headDim])], {}, { scope });
    }
    if (castEdges) {
      toEdge(presentKey, `present.${i}.key`, scope);
      toEdge(presentValue, `present.${i}.value`, scope);
    }
    g.output(`present.${i}.key`, kvType, ['batch_size', s.numKvHeads, 'total_sequence_length', s.headDim]);
    g.output(`present.${i}.value`, kvType, ['batch_size', s.numKvHeads, 'total_sequence_length', s.headDim]);
    const attnOut = linear(context, n.o, scope);
    // Gemma: post_attention_layernorm normalizes the attention output; elsewhere it comes before the MLP.
    hidden = g.op('Add', [hidden, a.gemma ? rmsNorm(attnOut, n.postNorm, scope) : attnOut], {}, { scope });

    const y = rmsNorm(hidden, a.gemma ? n.preFfNorm : n.postNorm, scope);
    const gate = linear(y, n.gate, scope);
    const up = linear(y, n.up, scope);
    const act = a.gemma ? geluTanh(g, gate, scope) : g.op('Mul', [gate, g.op('Sigmoid', [gate], {}, { scope })], {}, { scope });
    const mlpOut = linear(g.op('Mul', [act, up], {}, { scope }), n.down, scope);
    hidden = g.op('Add', [hidden, a.gemma ? rmsNorm(mlpOut, n.postFfNorm, scope) : mlpOut], {}, { scope });
  }

  if (logitsToKeep) {
    // Keep the last N positions; N = 0 gives start 0, i.e. every position.
    const start = g.op('Neg', [g.op('Reshape', [logitsToKeep, g.constInt64([1])])]);
    hidden = g.op('Slice', [hidden, start, g.constInt64([Number.MAX_SAFE_INTEGER]), g.constInt64([1])]);
  }
  const normed = rmsNorm(hidden, weightName.finalNorm, 'final');
  toEdge(linear(normed, weightName.lmHead, 'lm_head'), 'logits');

  const opsetImports = [{ domain: '', version: 17 }];
  if (gqa || q4) opsetImports.push({ domain: 'com.microsoft', version: 1 });
  return {
    irVersion: 8,
    opsetImports,
    producerName: 'hearth-test-model-generator',
    producerVersion: options.producerVersion,
    docString: `${options.familyLabel ?? 'Qwen2-style'} decoder with seeded random weights (attention ${options.attention}, ${options.dtype}). A test model, not a trained one.`,
    graph: g.build('qwen2_decoder'),
    metadata: {},
  };
}

/** GELU with the tanh approximation (gelu_pytorch_tanh), from opset-17 elementwise ops. */
function geluTanh(g: GraphBuilder, x: string, scope: string): string {
  const cube = g.op('Mul', [g.op('Mul', [x, x], {}, { scope }), x], {}, { scope });
  const inner = g.op('Mul', [g.op('Add', [x, g.op('Mul', [cube, g.constFloat([0.044715], [])], {}, { scope })], {}, { scope }), g.constFloat([Math.sqrt(2 / Math.PI)], [])], {}, { scope });
  const onePlusTanh = g.op('Add', [g.op('Tanh', [inner], {}, { scope }), g.constFloat([1], [])], {}, { scope });
  return g.op('Mul', [g.op('Mul', [x, onePlusTanh], {}, { scope }), g.constFloat([0.5], [])], {}, { scope });
}
