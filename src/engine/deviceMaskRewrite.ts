// Makes a decoder graph build its own attention mask, for a GPU session whose KV cache stays on the
// device: the engine then feeds no mask at all, and the bytes it sends per token stop growing with
// the context (the mask was 8 bytes per position: 16 KB a token at 2,000 tokens, more than all else
// fed).
//
// Sound because on the device layout the mask Hearth fed was always all ones over past + new
// tokens (one sequence, no padding, no unused cache rows), so the graph computes it exactly:
//   attention_mask = Expand(ones[1, 1], [batch, past_len + new_len])
// with past_len = past_key.shape[2] and new_len = input_ids.shape[1]. Everything it reads is a
// shape, which onnxruntime keeps on the host without copying the tensors; the mask is made where
// the graph's own mask nodes run. Cost: a handful of scalar host ops per run, no transfer.
//
// Why not a mask kept on the device (a Concat graph growing it, as deviceKvTrim.ts slices the cache):
// onnxruntime 1.30's WebGPU provider leaves the mask's consumers on the CPU (int64 ReduceSum for
// GroupQueryAttention's seqlens_k, Cast for a standard attention's padding mask: checked in its
// node placement log), so a device-resident mask would be copied back to the host inside every run.
import { type Field, ONNX, WIRE_LEN, WIRE_VARINT, graphFields, lengthDelimited, rewriteGraph, stringField, subfields, text, varintField, varintValue } from './onnxProtobuf';

const PREFIX = 'hearth_mask/';
/** TensorProto data types of the integer masks graphs take. */
const INT32 = 6;
const INT64 = 7;
/** AttributeProto.AttributeType.INT */
const ATTRIBUTE_INT = 2;

export interface MaskRewriteNames {
  inputIds: string;
  attentionMask: string;
  /** Any one past KV input ([batch, heads, past_len, head_dim]). */
  pastKey: string;
}

/**
 * The model without its attention-mask input, the mask computed inside the graph as all ones over
 * past + new tokens; undefined when the graph lacks one of the named inputs or its mask is not an
 * int32/int64 tensor. Throws on malformed protobuf.
 */
export function withMaskFromCacheLength(model: Uint8Array, names: MaskRewriteNames): Uint8Array | undefined {
  const graph = graphFields(model);
  if (!graph) return undefined;
  const inputs = new Map<string, Field>();
  for (const f of graph) {
    if (f.no !== ONNX.graph.input || f.wire !== WIRE_LEN) continue;
    const name = subfields(model, f).find((s) => s.no === ONNX.valueInfo.name && s.wire === WIRE_LEN);
    if (name) inputs.set(text(model, name), f);
  }
  const mask = inputs.get(names.attentionMask);
  if (!mask || !inputs.has(names.inputIds) || !inputs.has(names.pastKey)) return undefined;
  const elemType = tensorElemType(model, mask);
  if (elemType !== INT32 && elemType !== INT64) return undefined;

  const p = (name: string): string => PREFIX + name;
  const built = [
    ...initializer(p('ones'), elemType, [1, 1], 1),
    ...initializer(p('batch_axis'), INT64, [1], 0),
    ...initializer(p('sequence_axis'), INT64, [1], 1),
    ...initializer(p('past_axis'), INT64, [1], 2),
    ...node('Shape', [names.inputIds], [p('ids_shape')]),
    ...node('Shape', [names.pastKey], [p('past_shape')]),
    ...node('Gather', [p('ids_shape'), p('batch_axis')], [p('batch')]),
    ...node('Gather', [p('ids_shape'), p('sequence_axis')], [p('new_tokens')]),
    ...node('Gather', [p('past_shape'), p('past_axis')], [p('past_tokens')]),
    ...node('Add', [p('past_tokens'), p('new_tokens')], [p('total')]),
    ...node('Concat', [p('batch'), p('total')], [p('mask_shape')], [intAttribute('axis', 0)]),
    ...node('Expand', [p('ones'), p('mask_shape')], [names.attentionMask]),
  ];
  // The new nodes go first, so the node list stays in topological order.
  return rewriteGraph(model, (fieldsOfGraph) => [...built, ...fieldsOfGraph.filter((f) => f.start !== mask.start).map((f) => model.subarray(f.start, f.end))]);
}

function tensorElemType(model: Uint8Array, valueInfo: Field): number | undefined {
  const type = subfields(model, valueInfo).find((f) => f.no === ONNX.valueInfo.type && f.wire === WIRE_LEN);
  const tensor = type && subfields(model, type).find((f) => f.no === ONNX.type.tensor && f.wire === WIRE_LEN);
  const elem = tensor && subfields(model, tensor).find((f) => f.no === ONNX.tensorType.elemType && f.wire === WIRE_VARINT);
  return elem ? varintValue(model, elem) : undefined;
}

function node(opType: string, inputs: string[], outputs: string[], attributes: Uint8Array[][] = []): Uint8Array[] {
  return lengthDelimited(ONNX.graph.node, [
    ...inputs.flatMap((name) => stringField(ONNX.node.input, name)),
    ...outputs.flatMap((name) => stringField(ONNX.node.output, name)),
    ...stringField(ONNX.node.name, `${PREFIX}${opType}_${outputs[0]}`),
    ...stringField(ONNX.node.opType, opType),
    ...attributes.flatMap((a) => lengthDelimited(ONNX.node.attribute, a)),
  ]);
}

function intAttribute(name: string, value: number): Uint8Array[] {
  return [...stringField(ONNX.attribute.name, name), ...varintField(ONNX.attribute.i, value), ...varintField(ONNX.attribute.type, ATTRIBUTE_INT)];
}

/** An int32 or int64 initializer of the given shape, every element `value` (small and non-negative). */
function initializer(name: string, elemType: number, dims: number[], value: number): Uint8Array[] {
  const count = dims.reduce((a, b) => a * b, 1);
  const width = elemType === INT64 ? 8 : 4;
  const raw = new Uint8Array(count * width);
  const view = new DataView(raw.buffer);
  for (let i = 0; i < count; i++) {
    if (elemType === INT64) view.setBigInt64(i * width, BigInt(value), true);
    else view.setInt32(i * width, value, true);
  }
  return lengthDelimited(ONNX.graph.initializer, [
    ...dims.flatMap((d) => varintField(ONNX.tensor.dims, d)),
    ...varintField(ONNX.tensor.dataType, elemType),
    ...stringField(ONNX.tensor.name, name),
    ...lengthDelimited(ONNX.tensor.rawData, [raw]),
  ]);
}
