// The subset of onnx.proto the generator writes, as plain types, and their encoders.
// Field numbers follow onnx/onnx.proto (IR version 8).
import { ProtoWriter } from './protoWriter';

export const DataType = { FLOAT: 1, UINT8: 2, INT32: 6, INT64: 7, BOOL: 9, FLOAT16: 10 } as const;
export type DataTypeCode = (typeof DataType)[keyof typeof DataType];

export interface TensorProto {
  name: string;
  dataType: DataTypeCode;
  dims: number[];
  /** Inline little-endian bytes, or absent when the data lives in an external file. */
  rawData?: Uint8Array;
  external?: { location: string; offset: number; length: number };
}

export type AttributeValue =
  | { kind: 'int'; value: number }
  | { kind: 'float'; value: number }
  | { kind: 'string'; value: string }
  | { kind: 'ints'; value: number[] }
  | { kind: 'tensor'; value: TensorProto };

export interface NodeProto {
  name: string;
  opType: string;
  domain: string;
  inputs: string[];
  outputs: string[];
  attributes: Record<string, AttributeValue>;
}

/** A dimension is a fixed size or a symbolic name; a missing shape means "any rank". */
export interface ValueInfo {
  name: string;
  elemType: DataTypeCode;
  shape?: (number | string)[];
}

export interface GraphProto {
  name: string;
  nodes: NodeProto[];
  initializers: TensorProto[];
  inputs: ValueInfo[];
  outputs: ValueInfo[];
}

export interface ModelProto {
  irVersion: number;
  opsetImports: { domain: string; version: number }[];
  producerName: string;
  producerVersion: string;
  docString: string;
  graph: GraphProto;
  metadata: Record<string, string>;
}

const AttributeType = { FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, INTS: 7 } as const;

function encodeTensor(t: TensorProto): ProtoWriter {
  const w = new ProtoWriter();
  for (const d of t.dims) w.int(1, d);
  w.int(2, t.dataType);
  w.string(8, t.name);
  if (t.rawData) w.bytes(9, t.rawData);
  if (t.external) {
    const entries: [string, string][] = [
      ['location', t.external.location],
      ['offset', String(t.external.offset)],
      ['length', String(t.external.length)],
    ];
    for (const [key, value] of entries) w.message(13, new ProtoWriter().string(1, key).string(2, value));
    w.int(14, 1); // data_location = EXTERNAL
  }
  return w;
}

function encodeAttribute(name: string, a: AttributeValue): ProtoWriter {
  const w = new ProtoWriter().string(1, name);
  switch (a.kind) {
    case 'float':
      return w.float(2, a.value).int(20, AttributeType.FLOAT);
    case 'int':
      return w.int(3, a.value).int(20, AttributeType.INT);
    case 'string':
      return w.string(4, a.value).int(20, AttributeType.STRING);
    case 'tensor':
      return w.message(5, encodeTensor(a.value)).int(20, AttributeType.TENSOR);
    case 'ints':
      for (const v of a.value) w.int(8, v);
      return w.int(20, AttributeType.INTS);
  }
}

function encodeNode(n: NodeProto): ProtoWriter {
  const w = new ProtoWriter();
  for (const i of n.inputs) w.string(1, i);
  for (const o of n.outputs) w.string(2, o);
  w.string(3, n.name).string(4, n.opType);
  for (const [name, a] of Object.entries(n.attributes)) w.message(5, encodeAttribute(name, a));
  if (n.domain) w.string(7, n.domain);
  return w;
}

function encodeValueInfo(v: ValueInfo): ProtoWriter {
  const tensorType = new ProtoWriter().int(1, v.elemType);
  if (v.shape) {
    const shape = new ProtoWriter();
    for (const d of v.shape) {
      shape.message(1, typeof d === 'number' ? new ProtoWriter().int(1, d) : new ProtoWriter().string(2, d));
    }
    tensorType.message(2, shape);
  }
  return new ProtoWriter().string(1, v.name).message(2, new ProtoWriter().message(1, tensorType));
}

function encodeGraph(g: GraphProto): ProtoWriter {
  const w = new ProtoWriter();
  for (const n of g.nodes) w.message(1, encodeNode(n));
  w.string(2, g.name);
  for (const t of g.initializers) w.message(5, encodeTensor(t));
  for (const v of g.inputs) w.message(11, encodeValueInfo(v));
  for (const v of g.outputs) w.message(12, encodeValueInfo(v));
  return w;
}

export function encodeModel(m: ModelProto): Uint8Array {
  const w = new ProtoWriter().int(1, m.irVersion).string(2, m.producerName).string(3, m.producerVersion);
  w.string(6, m.docString).message(7, encodeGraph(m.graph));
  for (const o of m.opsetImports) w.message(8, new ProtoWriter().string(1, o.domain).int(2, o.version));
  for (const [key, value] of Object.entries(m.metadata)) {
    w.message(14, new ProtoWriter().string(1, key).string(2, value));
  }
  return w.finish();
}
