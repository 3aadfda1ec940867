// How onnxruntime multiplies by int4 weights (com.microsoft MatMulNBits) is the node's accuracy_level
// attribute, fixed when the model was exported: 0/1 dequantize to float32 (exact), 4 quantizes the
// activations to int8 and uses integer dot products (faster on CPUs with VNNI, slightly different
// numbers, more memory for the repacked weights). This rewrites that one attribute in the model's
// bytes, so a user can choose without re-exporting. Only the graph is touched: weights in external
// data files stay where they are.
//
// The edit reads the graph's nodes' op_type, domain and attributes (onnxProtobuf.ts); everything else
// is copied byte for byte.

import type { Int4Compute } from '../protocol/engine';
import { cpuHasDotProduct } from './cpuFeatures';
import { type Field, ONNX, WIRE_LEN, WIRE_VARINT, graphFields, lengthDelimited, rewriteGraph, stringField, subfields, text, varintField, varintValue } from './onnxProtobuf';

/** MatMulNBits accuracy_level for each choice ('model' changes nothing). */
export const INT4_ACCURACY_LEVEL: Record<Exclude<Int4Compute, 'model' | 'auto'>, number> = { int8: 4, fp32: 1 };

/**
 * 'auto' made concrete: int8 activations where the CPU has integer dot products (what onnxruntime-
 * genai's model builder writes for CPU int4 models; measured here 1.4-1.5x faster decoding, with
 * slightly different answers), exact fp32 where it has not (int8 would be no faster there).
 */
export function resolveInt4Compute(setting: Int4Compute, hasDotProduct: boolean = cpuHasDotProduct()): Exclude<Int4Compute, 'auto'> {
  if (setting !== 'auto') return setting;
  return hasDotProduct ? 'int8' : 'fp32';
}

const { graph: GRAPH, node: NODE, attribute: ATTRIBUTE } = ONNX;

function accuracyAttribute(level: number): Uint8Array[] {
  return lengthDelimited(NODE.attribute, [
    ...stringField(ATTRIBUTE.name, 'accuracy_level'),
    ...varintField(ATTRIBUTE.i, level),
    ...varintField(ATTRIBUTE.type, ONNX.attributeType.int),
  ]);
}

/** A node's fields when it is a com.microsoft MatMulNBits node, else undefined. */
function matMulNBitsFields(buf: Uint8Array, node: Field): Field[] | undefined {
  const own = subfields(buf, node);
  const opType = own.find((f) => f.no === NODE.opType && f.wire === WIRE_LEN);
  const domain = own.find((f) => f.no === NODE.domain && f.wire === WIRE_LEN);
  if (!opType || text(buf, opType) !== 'MatMulNBits' || !domain || text(buf, domain) !== 'com.microsoft') return undefined;
  return own;
}

/** The level an attribute field sets when it is accuracy_level (its value, or 0 when it has none), else undefined. */
function accuracyOf(buf: Uint8Array, f: Field): number | undefined {
  if (f.no !== NODE.attribute || f.wire !== WIRE_LEN) return undefined;
  const attribute = subfields(buf, f);
  const name = attribute.find((a) => a.no === ATTRIBUTE.name && a.wire === WIRE_LEN);
  if (!name || text(buf, name) !== 'accuracy_level') return undefined;
  const i = attribute.find((a) => a.no === ATTRIBUTE.i && a.wire === WIRE_VARINT);
  return i ? varintValue(buf, i) : 0;
}

/** The node's parts with accuracy_level set, or undefined when it is not a MatMulNBits node. */
function patchNode(buf: Uint8Array, node: Field, level: number): Uint8Array[] | undefined {
  const own = matMulNBitsFields(buf, node);
  if (!own) return undefined;
  const parts: Uint8Array[] = [];
  let replaced = false;
  for (const f of own) {
    if (accuracyOf(buf, f) !== undefined) {
      parts.push(...accuracyAttribute(level));
      replaced = true;
    } else {
      parts.push(buf.subarray(f.start, f.end));
    }
  }
  if (!replaced) parts.push(...accuracyAttribute(level));
  return lengthDelimited(GRAPH.node, parts);
}

/**
 * The model with every MatMulNBits node of its main graph set to `level`, and how many there were.
 * Throws on bytes that are not a well-formed protobuf message.
 */
export function withMatMulNBitsAccuracy(model: Uint8Array, level: number): { bytes: Uint8Array; nodes: number } {
  let nodes = 0;
  const bytes = rewriteGraph(model, (graph) =>
    graph.flatMap((g) => {
      const patched = g.no === GRAPH.node && g.wire === WIRE_LEN ? patchNode(model, g, level) : undefined;
      if (patched) nodes++;
      return patched ?? [model.subarray(g.start, g.end)];
    }),
  );
  return { bytes, nodes };
}

/** accuracy_level of each MatMulNBits node of the main graph (absent: 0), in graph order. */
export function matMulNBitsAccuracyLevels(model: Uint8Array): number[] {
  const levels: number[] = [];
  for (const node of graphFields(model) ?? []) {
    const own = node.no === GRAPH.node && node.wire === WIRE_LEN ? matMulNBitsFields(model, node) : undefined;
    if (own) levels.push(own.map((a) => accuracyOf(model, a)).find((level) => level !== undefined) ?? 0);
  }
  return levels;
}
