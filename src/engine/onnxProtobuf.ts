// Just enough protobuf to edit an ONNX model's graph in place: walk a message's fields as byte
// ranges, and write new fields. Graph rewrites copy every field they do not change byte for byte,
// so a model with inline weights is never parsed or re-encoded weight by weight (a full protobuf
// library would), and a rewrite costs a few hundred bytes of new encoding.

export const WIRE_VARINT = 0;
export const WIRE_I64 = 1;
export const WIRE_LEN = 2;
export const WIRE_I32 = 5;

/** ONNX field numbers (onnx.proto) that Hearth's graph rewrites read or write. */
export const ONNX = {
  model: { graph: 7, opsetImport: 8 },
  opset: { domain: 1, version: 2 },
  graph: { node: 1, initializer: 5, input: 11, output: 12 },
  node: { input: 1, output: 2, name: 3, opType: 4, attribute: 5, domain: 7 },
  attribute: { name: 1, i: 3, type: 20 },
  attributeType: { int: 2 },
  valueInfo: { name: 1, type: 2 },
  type: { tensor: 1 },
  tensorType: { elemType: 1 },
  tensor: { dims: 1, dataType: 2, name: 8, rawData: 9, externalData: 13, dataLocation: 14 },
  stringEntry: { key: 1, value: 2 },
  dataType: { int64: 7 },
} as const;

export interface Field {
  no: number;
  wire: number;
  /** The whole field, key included. */
  start: number;
  end: number;
  /** Payload of a length-delimited field. */
  bodyStart: number;
}

export function readVarint(buf: Uint8Array, pos: number): [value: number, next: number] {
  let value = 0;
  let scale = 1;
  for (let i = pos; i < buf.length && i < pos + 10; i++) {
    const byte = buf[i] as number;
    value += (byte & 0x7f) * scale;
    if (byte < 0x80) return [value, i + 1];
    scale *= 128;
  }
  throw new Error('a truncated varint');
}

/** The fields of the message in buf[from, to). Throws on bytes that are not well-formed protobuf. */
export function fields(buf: Uint8Array, from: number, to: number): Generator<Field> {
  return fieldsAt((pos) => readVarint(buf, pos), from, to);
}

/** The fields of the message in [from, to) of bytes read through `varintAt` (a file, say). */
export function* fieldsAt(varintAt: (pos: number) => [value: number, next: number], from: number, to: number): Generator<Field> {
  let pos = from;
  while (pos < to) {
    const start = pos;
    const [key, afterKey] = varintAt(pos);
    const no = Math.floor(key / 8);
    const wire = key % 8;
    let end: number;
    let bodyStart = afterKey;
    if (wire === WIRE_VARINT) end = varintAt(afterKey)[1];
    else if (wire === WIRE_I64) end = afterKey + 8;
    else if (wire === WIRE_I32) end = afterKey + 4;
    else if (wire === WIRE_LEN) {
      const [length, body] = varintAt(afterKey);
      bodyStart = body;
      end = body + length;
    } else throw new Error(`an unsupported protobuf wire type ${wire}`);
    if (end > to) throw new Error('a field runs past the end of its message');
    yield { no, wire, start, end, bodyStart };
    pos = end;
  }
}

/** The fields of a length-delimited field's payload (an embedded message). */
export function subfields(buf: Uint8Array, f: Field): Field[] {
  return [...fields(buf, f.bodyStart, f.end)];
}

export function varint(value: number): Uint8Array {
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
export function lengthDelimited(no: number, parts: Uint8Array[]): Uint8Array[] {
  const length = parts.reduce((sum, p) => sum + p.length, 0);
  return [varint(no * 8 + WIRE_LEN), varint(length), ...parts];
}

export function varintField(no: number, value: number): Uint8Array[] {
  return [varint(no * 8 + WIRE_VARINT), varint(value)];
}

export function stringField(no: number, value: string): Uint8Array[] {
  return lengthDelimited(no, [new TextEncoder().encode(value)]);
}

/** A length-delimited field's payload as UTF-8 text. */
export function text(buf: Uint8Array, f: Field): string {
  return new TextDecoder().decode(buf.subarray(f.bodyStart, f.end));
}

/** The value of a varint field. */
export function varintValue(buf: Uint8Array, f: Field): number {
  return readVarint(buf, readVarint(buf, f.start)[1])[0];
}

export function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, p) => sum + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * The model with its main graph's fields replaced by `rewrite`'s parts (every other model field
 * copied as it is). `rewrite` gets the graph's fields and returns the new graph's payload.
 */
export function rewriteGraph(model: Uint8Array, rewrite: (graphFields: Field[]) => Uint8Array[]): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const f of fields(model, 0, model.length)) {
    if (f.no === ONNX.model.graph && f.wire === WIRE_LEN) parts.push(...lengthDelimited(ONNX.model.graph, rewrite(subfields(model, f))));
    else parts.push(model.subarray(f.start, f.end));
  }
  return concat(parts);
}

/** The main graph's fields, or undefined when the model has none. */
export function graphFields(model: Uint8Array): Field[] | undefined {
  for (const f of fields(model, 0, model.length)) {
    if (f.no === ONNX.model.graph && f.wire === WIRE_LEN) return subfields(model, f);
  }
  return undefined;
}
