// Makes a decoder graph return only the KV rows a forward pass adds, not the whole cache.
//
// Why: onnxruntime-node hands every fetched output back as a fresh copy in a new JavaScript buffer,
// and the in-place KV layout must fetch the present cache to share its buffer, so each step copied
// the whole cache (6 MB at 200 tokens, 26 MB at 1000) into memory that V8 then collected: 1.5-6 ms of
// a 20-30 ms step. Rewritten, each present output stays inside onnxruntime (the operator appends
// to its own copy of the past, a plain memcpy) and the graph outputs `present...<NEW_ROWS_SUFFIX>`:
// present[:, :, total - n : total], the n rows this pass added, which the engine appends to its
// own cache buffers (DecoderSession's 'appended' layout).
//
// Two kinds of graph qualify, and they append in different places (KvRowsRewrite.appendsAfter):
// - GroupQueryAttention (onnxruntime-genai exports): the operator writes the new rows right after
//   the filled ones, whatever the past buffer's size; Hearth feeds a mask of the filled rows plus n.
// - Standard attention (transformers.js/optimum exports): present = Concat(past, new rows) on the
//   sequence axis, so the new rows come after the whole past buffer; Hearth feeds a mask that is 0
//   on the buffer's unfilled rows, which the graph's own padding mask then leaves out.
// Either way the rows are the last n of the mask's length: n = input_ids.shape[1] and
// total = attention_mask.shape[1]. Nothing else in the graph changes.
import { type Field, ONNX, WIRE_LEN, WIRE_VARINT, graphFields, fields, lengthDelimited, readVarint, rewriteGraph, stringField, subfields, text, varintField, varintValue } from './onnxProtobuf';

export const NEW_ROWS_SUFFIX = '.new_rows';

/** Slice with starts/ends as inputs needs opset 10. */
const MIN_OPSET = 10;
const PREFIX = 'hearth_kv_rows/';

export interface KvRowsGraphNames {
  inputIds: string;
  attentionMask: string;
}

/**
 * Where a forward pass puts its new rows: right after the past's filled rows (GroupQueryAttention),
 * or after the whole past buffer, whose unfilled rows the attention mask must then exclude (Concat).
 */
export type KvRowsPlacement = 'filled' | 'capacity';

export interface KvRowsRewrite {
  bytes: Uint8Array;
  /** Present outputs now returned as new rows (`name + NEW_ROWS_SUFFIX`). */
  presents: string[];
  appendsAfter: KvRowsPlacement;
}

/**
 * The model with each present output replaced by its new rows, or undefined when the graph does
 * not qualify: its present outputs come neither all from GroupQueryAttention nodes nor all from
 * sequence-axis Concats of a past input, it has no attention_mask input, or its opset is below 10.
 * Throws on malformed protobuf.
 */
export function withNewKvRowOutputs(model: Uint8Array, names: KvRowsGraphNames): KvRowsRewrite | undefined {
  if (defaultOpset(model) < MIN_OPSET) return undefined;
  const graph = graphFields(model);
  if (!graph) return undefined;
  const nameOf = (f: Field): string | undefined => {
    const name = subfields(model, f).find((s) => s.no === ONNX.valueInfo.name && s.wire === WIRE_LEN);
    return name ? text(model, name) : undefined;
  };
  const inputs = new Set(graph.filter((f) => f.no === ONNX.graph.input).map(nameOf));
  if (!inputs.has(names.inputIds) || !inputs.has(names.attentionMask)) return undefined;
  const outputs = new Map<string, Field>();
  for (const f of graph) {
    const name = f.no === ONNX.graph.output && f.wire === WIRE_LEN ? nameOf(f) : undefined;
    if (name !== undefined) outputs.set(name, f);
  }

  const gqaPresents: string[] = [];
  const concatPresents: string[] = [];
  for (const node of graph) {
    if (node.no !== ONNX.graph.node || node.wire !== WIRE_LEN) continue;
    const own = subfields(model, node);
    const opType = own.find((f) => f.no === ONNX.node.opType && f.wire === WIRE_LEN);
    const op = opType ? text(model, opType) : '';
    const nodeInputs = own.filter((f) => f.no === ONNX.node.input && f.wire === WIRE_LEN).map((f) => text(model, f));
    const nodeOutputs = own.filter((f) => f.no === ONNX.node.output && f.wire === WIRE_LEN).map((f) => text(model, f));
    if (op === 'GroupQueryAttention') {
      // Outputs: attention output, present_key, present_value.
      const kv = nodeOutputs.slice(1, 3);
      if (kv.length !== 2 || !kv.every((name) => outputs.has(name))) return undefined;
      gqaPresents.push(...kv);
    } else if (op === 'Concat' && nodeInputs.length === 2 && inputs.has(nodeInputs[0]) && outputs.has(nodeOutputs[0] ?? '')) {
      // present = Concat(past, new rows) along [batch, heads, sequence, head_dim]'s sequence axis.
      const axis = intAttribute(model, own, 'axis');
      if (axis === 2 || axis === -2) concatPresents.push(nodeOutputs[0] as string);
    }
  }
  if ((gqaPresents.length === 0) === (concatPresents.length === 0)) return undefined;
  const presents = gqaPresents.length > 0 ? gqaPresents : concatPresents;
  // Every present-like graph output must be one of them: a graph returning some caches whole would
  // need both layouts at once.
  const covered = new Set(presents);
  if ([...outputs.keys()].some((name) => name.startsWith('present') && !covered.has(name))) return undefined;

  const elemTypes = new Map<string, number>();
  for (const present of presents) {
    const elemType = tensorElemType(model, outputs.get(present) as Field);
    if (elemType === undefined) return undefined;
    elemTypes.set(present, elemType);
  }

  // Fields are told apart by where they start in the model's bytes.
  const removed = new Set(presents.map((name) => (outputs.get(name) as Field).start));
  const bytes = rewriteGraph(model, (fieldsOfGraph) => [
    ...fieldsOfGraph.filter((f) => !removed.has(f.start)).map((f) => model.subarray(f.start, f.end)),
    ...int64Initializer(`${PREFIX}one`, 1),
    ...int64Initializer(`${PREFIX}sequence_axis`, 2),
    ...node('Shape', [names.inputIds], [`${PREFIX}ids_shape`]),
    ...node('Shape', [names.attentionMask], [`${PREFIX}mask_shape`]),
    ...node('Gather', [`${PREFIX}ids_shape`, `${PREFIX}one`], [`${PREFIX}new_tokens`]),
    ...node('Gather', [`${PREFIX}mask_shape`, `${PREFIX}one`], [`${PREFIX}total`]),
    ...node('Sub', [`${PREFIX}total`, `${PREFIX}new_tokens`], [`${PREFIX}first_new`]),
    ...presents.flatMap((present) => [
      ...node('Slice', [present, `${PREFIX}first_new`, `${PREFIX}total`, `${PREFIX}sequence_axis`], [present + NEW_ROWS_SUFFIX]),
      ...tensorOutput(present + NEW_ROWS_SUFFIX, elemTypes.get(present) as number),
    ]),
  ]);
  return { bytes, presents, appendsAfter: gqaPresents.length > 0 ? 'filled' : 'capacity' };
}

/** The model's default-domain ('' or 'ai.onnx') opset version, 0 when it declares none. */
function defaultOpset(model: Uint8Array): number {
  for (const f of fields(model, 0, model.length)) {
    if (f.no !== ONNX.model.opsetImport || f.wire !== WIRE_LEN) continue;
    const own = subfields(model, f);
    const domain = own.find((s) => s.no === ONNX.opset.domain && s.wire === WIRE_LEN);
    const version = own.find((s) => s.no === ONNX.opset.version && s.wire === WIRE_VARINT);
    const name = domain ? text(model, domain) : '';
    if ((name === '' || name === 'ai.onnx') && version) return varintValue(model, version);
  }
  return 0;
}

/** A node's integer attribute, undefined when it has none by that name. */
function intAttribute(model: Uint8Array, nodeFields: Field[], name: string): number | undefined {
  for (const f of nodeFields) {
    if (f.no !== ONNX.node.attribute || f.wire !== WIRE_LEN) continue;
    const own = subfields(model, f);
    const key = own.find((a) => a.no === ONNX.attribute.name && a.wire === WIRE_LEN);
    const value = own.find((a) => a.no === ONNX.attribute.i && a.wire === WIRE_VARINT);
    if (key && text(model, key) === name && value) return signedVarint(model, value);
  }
  return undefined;
}

/** A varint field's value read as int64 (a negative one takes ten bytes, beyond a double's precision). */
function signedVarint(model: Uint8Array, field: Field): number {
  const key = readVarint(model, field.start)[1];
  let value = 0n;
  for (let i = key, shift = 0n; i < field.end; i++, shift += 7n) value |= BigInt((model[i] as number) & 0x7f) << shift;
  return Number(BigInt.asIntN(64, value));
}

/** ValueInfoProto.type.tensor_type.elem_type, or undefined when it is not a typed tensor. */
function tensorElemType(model: Uint8Array, valueInfo: Field): number | undefined {
  const type = subfields(model, valueInfo).find((f) => f.no === ONNX.valueInfo.type && f.wire === WIRE_LEN);
  const tensor = type && subfields(model, type).find((f) => f.no === ONNX.type.tensor && f.wire === WIRE_LEN);
  const elem = tensor && subfields(model, tensor).find((f) => f.no === ONNX.tensorType.elemType && f.wire === WIRE_VARINT);
  return elem ? varintValue(model, elem) : undefined;
}

function node(opType: string, inputs: string[], outputs: string[]): Uint8Array[] {
  return lengthDelimited(ONNX.graph.node, [
    ...inputs.flatMap((name) => stringField(ONNX.node.input, name)),
    ...outputs.flatMap((name) => stringField(ONNX.node.output, name)),
    ...stringField(ONNX.node.name, `${PREFIX}${opType}_${outputs[0]}`),
    ...stringField(ONNX.node.opType, opType),
  ]);
}

/** A one-element int64 initializer. */
function int64Initializer(name: string, value: number): Uint8Array[] {
  const raw = new Uint8Array(8);
  new DataView(raw.buffer).setBigInt64(0, BigInt(value), true);
  return lengthDelimited(ONNX.graph.initializer, [
    ...varintField(ONNX.tensor.dims, 1),
    ...varintField(ONNX.tensor.dataType, ONNX.dataType.int64),
    ...stringField(ONNX.tensor.name, name),
    ...lengthDelimited(ONNX.tensor.rawData, [raw]),
  ]);
}

/** A graph output of the given element type and unspecified shape. */
function tensorOutput(name: string, elemType: number): Uint8Array[] {
  const tensorType = lengthDelimited(ONNX.type.tensor, varintField(ONNX.tensorType.elemType, elemType));
  return lengthDelimited(ONNX.graph.output, [...stringField(ONNX.valueInfo.name, name), ...lengthDelimited(ONNX.valueInfo.type, tensorType)]);
}
