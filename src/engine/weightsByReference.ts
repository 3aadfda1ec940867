// A model file's graph without its inline weights: each large initializer becomes an external-data
// reference to its own bytes inside the model file (location = the file, offset, length), which
// onnxruntime reads from there when the session is created from these bytes.
//
// Why: Hearth's graph rewrites (kvRowsRewrite.ts, int4Compute.ts) hand onnxruntime the model as
// bytes. Most transformers.js/onnx-community models keep their weights inline (one model_q4.onnx
// of hundreds of MB), and rewriting those bytes would hold the weights in JavaScript once or twice
// more while onnxruntime loads them. Here the file is walked with positional reads: the large
// weights are skipped, never read, and what is left in the graph is the small tensors (norms,
// quantization scales: an eighth of an int4 model).
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { basename } from 'node:path';
import { type Field, ONNX, WIRE_LEN, concat, fields, fieldsAt, lengthDelimited, readVarint, stringField, text, varintField } from './onnxProtobuf';

/** Initializers whose data is at least this large are referenced; smaller ones stay inline. */
const MIN_REFERENCED_BYTES = 1024;
/** TensorProto.data_location EXTERNAL. */
const EXTERNAL = 1;

export interface WeightsByReference {
  bytes: Uint8Array;
  /** Initializers now read from the model file by reference. */
  referenced: number;
}

/**
 * The model at `path` with its large inline initializers referenced instead of copied. Tensors
 * that already live in external files, and initializers inside subgraphs, are left as they are.
 * Throws when the file is not well-formed protobuf.
 */
export function graphWithWeightsByReference(path: string): WeightsByReference {
  const file = new PositionalReader(path);
  try {
    const location = basename(path);
    let referenced = 0;
    const parts: Uint8Array[] = [];
    for (const f of file.fields(0, file.size)) {
      if (f.no !== ONNX.model.graph || f.wire !== WIRE_LEN) {
        parts.push(file.bytes(f.start, f.end));
        continue;
      }
      const graphFields = [...file.fields(f.bodyStart, f.end)];
      const large = (g: Field): boolean => g.no === ONNX.graph.initializer && g.wire === WIRE_LEN && g.end - g.bodyStart >= MIN_REFERENCED_BYTES;
      // Every field but the large initializers is copied as it is: read once, here.
      const copies = graphFields.map((g) => (large(g) ? undefined : file.bytes(g.start, g.end)));
      const readAnywhere = tensorsReadAnywhere(graphFields, copies);
      const graph: Uint8Array[] = [];
      graphFields.forEach((g, i) => {
        const tensor = large(g) ? referencedTensor(file, g, location, readAnywhere) : undefined;
        if (tensor) referenced++;
        graph.push(...(tensor ?? [copies[i] ?? file.bytes(g.start, g.end)]));
      });
      parts.push(...lengthDelimited(ONNX.model.graph, graph));
    }
    return { bytes: concat(parts), referenced };
  } finally {
    file.close();
  }
}

/**
 * Initializers whose place in memory does not matter. onnxruntime maps a referenced tensor's bytes
 * where they lie in the file, so one whose data starts at an odd offset sits at an odd address
 * whenever an operator reads it (measured on the int4 benchmark model written inline: a 1000-token
 * prefill 2.85 s with MatMulNBits' scales placed so, 2.64-2.73 s with them kept in the graph). The
 * weights of MatMulNBits and MatMul (input B) are repacked into onnxruntime's own aligned buffers
 * at load, and an embedding table (Gather's data) is read one row per token: those are referenced
 * wherever they lie. Others are referenced only when aligned, else kept in the graph.
 */
function tensorsReadAnywhere(graphFields: Field[], copies: (Uint8Array | undefined)[]): Set<string> {
  const names = new Set<string>();
  const inputIndex: Record<string, number> = { MatMulNBits: 1, MatMul: 1, Gather: 0 };
  graphFields.forEach((g, i) => {
    const node = copies[i];
    if (g.no !== ONNX.graph.node || g.wire !== WIRE_LEN || !node) return;
    const own = [...fields(node, g.bodyStart - g.start, node.length)];
    const opType = own.find((n) => n.no === ONNX.node.opType && n.wire === WIRE_LEN);
    const index = opType ? inputIndex[text(node, opType)] : undefined;
    const input = index === undefined ? undefined : own.filter((n) => n.no === ONNX.node.input && n.wire === WIRE_LEN)[index];
    if (input) names.add(text(node, input));
  });
  return names;
}

/** Data at this alignment suits any operator (onnxruntime aligns its own allocations to 64 bytes). */
const ALIGNMENT = 64;

/** The initializer as a reference to its raw_data's place in the file, or undefined to keep it as it is. */
function referencedTensor(file: PositionalReader, initializer: Field, location: string, readAnywhere: Set<string>): Uint8Array[] | undefined {
  const own = [...file.fields(initializer.bodyStart, initializer.end)];
  const raw = own.find((f) => f.no === ONNX.tensor.rawData && f.wire === WIRE_LEN);
  // Data in typed fields (float_data, ...) or already external: nothing to gain.
  if (!raw || raw.end - raw.bodyStart < MIN_REFERENCED_BYTES || own.some((f) => f.no === ONNX.tensor.externalData)) return undefined;
  const name = own.find((f) => f.no === ONNX.tensor.name && f.wire === WIRE_LEN);
  const named = name ? new TextDecoder().decode(file.bytes(name.bodyStart, name.end)) : '';
  if (raw.bodyStart % ALIGNMENT !== 0 && !readAnywhere.has(named)) return undefined;
  const entry = (key: string, value: string): Uint8Array[] =>
    lengthDelimited(ONNX.tensor.externalData, [...stringField(ONNX.stringEntry.key, key), ...stringField(ONNX.stringEntry.value, value)]);
  return lengthDelimited(ONNX.graph.initializer, [
    ...own.filter((f) => f !== raw && f.no !== ONNX.tensor.dataLocation).map((f) => file.bytes(f.start, f.end)),
    ...entry('location', location),
    ...entry('offset', String(raw.bodyStart)),
    ...entry('length', String(raw.end - raw.bodyStart)),
    ...varintField(ONNX.tensor.dataLocation, EXTERNAL),
  ]);
}

/** Reads a file through a window, so walking many small fields costs few system calls. */
class PositionalReader {
  readonly size: number;
  private readonly fd: number;
  private window = Buffer.alloc(1 << 20);
  private windowStart = 0;
  private windowEnd = 0;

  constructor(path: string) {
    this.fd = openSync(path, 'r');
    this.size = fstatSync(this.fd).size;
  }

  close(): void {
    closeSync(this.fd);
  }

  /** A copy of the file's bytes [start, end). */
  bytes(start: number, end: number): Uint8Array {
    if (end > this.size) throw new Error('a field runs past the end of the file');
    if (end - start > this.window.length) {
      const out = Buffer.alloc(end - start);
      this.readFully(out, start);
      return out;
    }
    if (start < this.windowStart || end > this.windowEnd) {
      this.windowStart = start;
      this.windowEnd = Math.min(this.size, start + this.window.length);
      this.readFully(this.window.subarray(0, this.windowEnd - start), start);
    }
    return Uint8Array.prototype.slice.call(this.window, start - this.windowStart, end - this.windowStart);
  }

  /** The fields of the message in [from, to), as onnxProtobuf's `fields` gives them for bytes in memory. */
  fields(from: number, to: number): Generator<Field> {
    return fieldsAt((pos) => this.varint(pos), from, to);
  }

  private varint(pos: number): [value: number, next: number] {
    const head = this.bytes(pos, Math.min(this.size, pos + 10));
    const [value, next] = readVarint(head, 0);
    return [value, pos + next];
  }

  private readFully(into: Uint8Array, position: number): void {
    for (let done = 0; done < into.length; ) {
      const n = readSync(this.fd, into, done, into.length - done, position + done);
      if (n === 0) throw new Error('the file ended early');
      done += n;
    }
  }
}
