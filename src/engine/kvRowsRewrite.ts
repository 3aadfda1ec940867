// Makes a GroupQueryAttention graph return only the KV rows a forward pass adds, not the whole cache.
//
// Why: onnxruntime-node hands every fetched output back as a fresh copy in a new JavaScript buffer,
// and the in-place KV layout must fetch the present cache to share its buffer, so each step copied
// the whole cache (6 MB at 200 tokens, 26 MB at 1000) into memory that V8 then collected: 1.5-6 ms of
// a 20-30 ms step. Rewritten, each present output stays inside onnxruntime (the operator appends
// to its own copy of the past, a plain memcpy) and the graph outputs `present...<NEW_ROWS_SUFFIX>`:
// present[:, :, total - n : total], the n rows this pass added, which the engine appends to its
// own cache buffers (DecoderSession's 'appended' layout).
//
// The bounds come from the inputs' shapes: n = input_ids.shape[1] and total = attention_mask.shape[1]
// (Hearth always feeds an all-ones mask over the whole sequence). Nothing else in the graph changes.
import { type Field, ONNX, WIRE_LEN, WIRE_VARINT, graphFields, fields, lengthDelimited, rewriteGraph, stringField, subfields, text, varintField, varintValue } from './onnxProtobuf';

export const NEW_ROWS_SUFFIX = '.new_rows';

/** Slice with starts/ends as inputs needs opset 10. */
const MIN_OPSET = 10;
const PREFIX = 'hearth_kv_rows/';

export interface KvRowsGraphNames {
  inputIds: string;
  attentionMask: string;
}

export interface KvRowsRewrite {
  bytes: Uint8Array;
  /** Present outputs now returned as new rows (`name + NEW_ROWS_SUFFIX`). */
  presents: string[];
}

/**
 * The model with each GroupQueryAttention present output replaced by its new rows, or undefined
 * when the graph does not qualify (no GroupQueryAttention whose present outputs are all graph
 * outputs, no attention_mask input, or an opset below 10). Throws on malformed protobuf.
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

  const presents: string[] = [];
  for (const node of graph) {
    if (node.no !== ONNX.graph.node || node.wire !== WIRE_LEN) continue;
    const own = subfields(model, node);
    const opType = own.find((f) => f.no === ONNX.node.opType && f.wire === WIRE_LEN);
    if (!opType || text(model, opType) !== 'GroupQueryAttention') continue;
    // Outputs: attention output, present_key, present_value.
    const nodeOutputs = own.filter((f) => f.no === ONNX.node.output && f.wire === WIRE_LEN).map((f) => text(model, f));
    const kv = nodeOutputs.slice(1, 3);
    if (kv.length !== 2 || !kv.every((name) => outputs.has(name))) return undefined;
    presents.push(...kv);
  }
  if (presents.length === 0) return undefined;

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
  return { bytes, presents };
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
