// How onnxruntime multiplies by int4 weights (com.microsoft MatMulNBits) is the node's accuracy_level
// attribute, fixed when the model was exported: 0/1 dequantize to float32 (exact), 4 quantizes the
// activations to int8 and uses integer dot products (faster on CPUs with VNNI, slightly different
// numbers, more memory for the repacked weights). This rewrites that one attribute in the model's
// bytes, so a user can choose without re-exporting. Only the graph is touched: weights in external
// data files stay where they are.
//
// The ONNX file is protobuf. The walk below reads ModelProto.graph (7) -> GraphProto.node (1) ->
// NodeProto.op_type (4) / domain (7) / attribute (5) -> AttributeProto.name (1); everything else is
// copied byte for byte. A full protobuf library would parse and re-serialize every weight of a
// model with inline weights; this touches a few hundred bytes.

import type { Int4Compute } from '../protocol/engine';

/** MatMulNBits accuracy_level for each choice ('model' changes nothing). */
export const INT4_ACCURACY_LEVEL: Record<Exclude<Int4Compute, 'model'>, number> = { int8: 4, fp32: 1 };

const WIRE_VARINT = 0;
const WIRE_I64 = 1;
const WIRE_LEN = 2;
const WIRE_I32 = 5;

const MODEL_GRAPH = 7;
const GRAPH_NODE = 1;
const NODE_OP_TYPE = 4;
const NODE_ATTRIBUTE = 5;
const NODE_DOMAIN = 7;
const ATTRIBUTE_NAME = 1;
const ATTRIBUTE_I = 3;
const ATTRIBUTE_TYPE = 20;
const ATTRIBUTE_TYPE_INT = 2;

interface Field {
  no: number;
  wire: number;
  /** The whole field, key included. */
  start: number;
  end: number;
  /** Payload of a length-delimited field. */
  bodyStart: number;
}

function readVarint(buf: Uint8Array, pos: number): [value: number, next: number] {
  let value = 0;
  let scale = 1;
  for (let i = pos; i < buf.length && i < pos + 10; i++) {
    const byte = buf[i];
    value += (byte & 0x7f) * scale;
    if (byte < 0x80) return [value, i + 1];
    scale *= 128;
  }
  throw new Error('a truncated varint');
}

function* fields(buf: Uint8Array, from: number, to: number): Generator<Field> {
  let pos = from;
  while (pos < to) {
    const start = pos;
    const [key, afterKey] = readVarint(buf, pos);
    const no = Math.floor(key / 8);
    const wire = key % 8;
    let end: number;
    let bodyStart = afterKey;
    if (wire === WIRE_VARINT) end = readVarint(buf, afterKey)[1];
    else if (wire === WIRE_I64) end = afterKey + 8;
    else if (wire === WIRE_I32) end = afterKey + 4;
    else if (wire === WIRE_LEN) {
      const [length, body] = readVarint(buf, afterKey);
      bodyStart = body;
      end = body + length;
    } else throw new Error(`an unsupported protobuf wire type ${wire}`);
    if (end > to) throw new Error('a field runs past the end of its message');
    yield { no, wire, start, end, bodyStart };
    pos = end;
  }
}

function varint(value: number): Uint8Array {
  const out: number[] = [];
  let v = value;
  while (v >= 0x80) {
    out.push((v % 128) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return Uint8Array.from(out);
}

/** A length-delimited field made of parts (views, not copies, until the final concat). */
function lengthDelimited(no: number, parts: Uint8Array[]): Uint8Array[] {
  const length = parts.reduce((sum, p) => sum + p.length, 0);
  return [varint(no * 8 + WIRE_LEN), varint(length), ...parts];
}

function text(buf: Uint8Array, f: Field): string {
  return new TextDecoder().decode(buf.subarray(f.bodyStart, f.end));
}

function accuracyAttribute(level: number): Uint8Array[] {
  const name = new TextEncoder().encode('accuracy_level');
  return lengthDelimited(NODE_ATTRIBUTE, [
    ...lengthDelimited(ATTRIBUTE_NAME, [name]),
    varint(ATTRIBUTE_I * 8 + WIRE_VARINT),
    varint(level),
    varint(ATTRIBUTE_TYPE * 8 + WIRE_VARINT),
    varint(ATTRIBUTE_TYPE_INT),
  ]);
}

/** A node's fields when it is a com.microsoft MatMulNBits node, else undefined. */
function matMulNBitsFields(buf: Uint8Array, node: Field): Field[] | undefined {
  const own = [...fields(buf, node.bodyStart, node.end)];
  const opType = own.find((f) => f.no === NODE_OP_TYPE && f.wire === WIRE_LEN);
  const domain = own.find((f) => f.no === NODE_DOMAIN && f.wire === WIRE_LEN);
  if (!opType || text(buf, opType) !== 'MatMulNBits' || !domain || text(buf, domain) !== 'com.microsoft') return undefined;
  return own;
}

/** The level an attribute field sets when it is accuracy_level (its value, or 0 when it has none), else undefined. */
function accuracyOf(buf: Uint8Array, f: Field): number | undefined {
  if (f.no !== NODE_ATTRIBUTE || f.wire !== WIRE_LEN) return undefined;
  const attribute = [...fields(buf, f.bodyStart, f.end)];
  const name = attribute.find((a) => a.no === ATTRIBUTE_NAME && a.wire === WIRE_LEN);
  if (!name || text(buf, name) !== 'accuracy_level') return undefined;
  const i = attribute.find((a) => a.no === ATTRIBUTE_I && a.wire === WIRE_VARINT);
  return i ? readVarint(buf, readVarint(buf, i.start)[1])[0] : 0;
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
  return lengthDelimited(GRAPH_NODE, parts);
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, p) => sum + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * The model with every MatMulNBits node of its main graph set to `level`, and how many there were.
 * Throws on bytes that are not a well-formed protobuf message.
 */
export function withMatMulNBitsAccuracy(model: Uint8Array, level: number): { bytes: Uint8Array; nodes: number } {
  let nodes = 0;
  const modelParts: Uint8Array[] = [];
  for (const f of fields(model, 0, model.length)) {
    if (f.no !== MODEL_GRAPH || f.wire !== WIRE_LEN) {
      modelParts.push(model.subarray(f.start, f.end));
      continue;
    }
    const graphParts: Uint8Array[] = [];
    for (const g of fields(model, f.bodyStart, f.end)) {
      const patched = g.no === GRAPH_NODE && g.wire === WIRE_LEN ? patchNode(model, g, level) : undefined;
      if (patched) nodes++;
      graphParts.push(...(patched ?? [model.subarray(g.start, g.end)]));
    }
    modelParts.push(...lengthDelimited(MODEL_GRAPH, graphParts));
  }
  return { bytes: concat(modelParts), nodes };
}

/** accuracy_level of each MatMulNBits node of the main graph (absent: 0), in graph order. */
export function matMulNBitsAccuracyLevels(model: Uint8Array): number[] {
  const levels: number[] = [];
  for (const f of fields(model, 0, model.length)) {
    if (f.no !== MODEL_GRAPH || f.wire !== WIRE_LEN) continue;
    for (const node of fields(model, f.bodyStart, f.end)) {
      const own = node.no === GRAPH_NODE && node.wire === WIRE_LEN ? matMulNBitsFields(model, node) : undefined;
      if (own) levels.push(own.map((a) => accuracyOf(model, a)).find((level) => level !== undefined) ?? 0);
    }
  }
  return levels;
}
