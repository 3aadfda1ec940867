// Inline weights referenced in the model file instead of copied: the same numbers as loading the
// file, and the weights' bytes are never read.
import * as assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, openSync, closeSync, readFileSync, rmSync, truncateSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { type Field, ONNX, graphFields, subfields, text } from '../../../src/engine/onnxProtobuf';
import { graphWithWeightsByReference } from '../../../src/engine/weightsByReference';
import { modelDir } from './engineTestSupport';

/** Initializer name -> [offset, length] of every external-data reference in a model's bytes. */
function references(bytes: Uint8Array): Map<string, [offset: number, length: number]>;
function references(bytes: Uint8Array, offsetsOnly: true): Map<string, number>;
function references(bytes: Uint8Array, offsetsOnly = false): Map<string, [number, number] | number> {
  const out = new Map<string, [number, number] | number>();
  for (const f of graphFields(bytes) ?? []) {
    if (f.no !== ONNX.graph.initializer) continue;
    const own = subfields(bytes, f);
    const entries = new Map<string, string>();
    for (const e of own.filter((s) => s.no === ONNX.tensor.externalData)) {
      const [key, value] = subfields(bytes, e);
      if (key && value) entries.set(text(bytes, key), text(bytes, value));
    }
    if (entries.size === 0) continue;
    const name = text(bytes, own.find((s) => s.no === ONNX.tensor.name) as Field);
    const offset = Number(entries.get('offset'));
    out.set(name, offsetsOnly ? offset : [offset, Number(entries.get('length'))]);
  }
  return out;
}

function feeds(session: InferenceSession): Record<string, Tensor> {
  const ids = [5, 6, 7];
  const out: Record<string, Tensor> = {
    input_ids: new Tensor('int64', BigInt64Array.from(ids, BigInt), [1, 3]),
    attention_mask: new Tensor('int64', new BigInt64Array(3).fill(1n), [1, 3]),
    position_ids: new Tensor('int64', BigInt64Array.from([0n, 1n, 2n]), [1, 3]),
  };
  if (session.inputNames.includes('num_logits_to_keep')) out.num_logits_to_keep = new Tensor('int64', BigInt64Array.from([0n]), []);
  for (const name of session.inputNames.filter((n) => n.startsWith('past_key_values.'))) out[name] = new Tensor('float32', new Float32Array(0), [1, 2, 0, 16]);
  return out;
}

describe('weights by reference', () => {
  let inlineFile: string;
  before(async () => {
    inlineFile = join(await modelDir('tiny-standard-tjs'), 'onnx', 'model.onnx');
  });

  it('gives the logits of the model file itself, from a graph a fraction of its size', async () => {
    const { bytes, referenced } = graphWithWeightsByReference(inlineFile);
    const fileSize = readFileSync(inlineFile).length;
    assert.ok(referenced > 10, `${referenced} initializers referenced`);
    assert.ok(bytes.length < fileSize / 10, `${bytes.length} bytes of ${fileSize}`);
    const options = { intraOpNumThreads: 1, extra: { session: { model_external_initializers_file_folder_path: dirname(inlineFile) } } };
    const fromFile = await InferenceSession.create(inlineFile, { intraOpNumThreads: 1 });
    const fromBytes = await InferenceSession.create(bytes, options);
    try {
      const expected = (await fromFile.run(feeds(fromFile))).logits as Tensor;
      const actual = (await fromBytes.run(feeds(fromBytes))).logits as Tensor;
      assert.deepEqual(actual.dims, expected.dims);
      assert.deepEqual([...(actual.data as Float32Array)], [...(expected.data as Float32Array)]);
    } finally {
      await fromFile.release();
      await fromBytes.release();
    }
  });

  it('never reads the weights: the same graph comes out of a file whose weights are overwritten', () => {
    const { bytes } = graphWithWeightsByReference(inlineFile);
    const dir = mkdtempSync(join(tmpdir(), 'hearth-weights-'));
    try {
      const copy = join(dir, 'model.onnx');
      copyFileSync(inlineFile, copy);
      const fd = openSync(copy, 'r+');
      try {
        for (const [offset, length] of references(bytes).values()) writeSync(fd, Buffer.alloc(length, 0xa5), 0, length, offset);
      } finally {
        closeSync(fd);
      }
      assert.notDeepEqual(readFileSync(copy), readFileSync(inlineFile));
      assert.deepEqual(graphWithWeightsByReference(copy).bytes, bytes);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('references a misaligned tensor only when onnxruntime repacks it or reads it row by row', async () => {
    const file = join(await modelDir('tiny-gqa-tjs'), 'onnx', 'model_q4.onnx');
    const { bytes, referenced } = graphWithWeightsByReference(file);
    assert.ok(referenced > 0);
    // Which initializer each node reads as MatMulNBits/MatMul weights or as a Gather table.
    const anywhere = new Set<string>();
    const inline = new Map<string, number>();
    for (const f of graphFields(bytes) ?? []) {
      if (f.no !== ONNX.graph.node && f.no !== ONNX.graph.initializer) continue;
      const own = subfields(bytes, f);
      if (f.no === ONNX.graph.node) {
        const op = text(bytes, own.find((s) => s.no === ONNX.node.opType) as Field);
        const inputs = own.filter((s) => s.no === ONNX.node.input).map((s) => text(bytes, s));
        const index = op === 'Gather' ? 0 : op === 'MatMulNBits' || op === 'MatMul' ? 1 : -1;
        if (index >= 0 && inputs[index]) anywhere.add(inputs[index] as string);
      }
      if (f.no === ONNX.graph.initializer && own.some((s) => s.no === ONNX.tensor.rawData)) {
        inline.set(text(bytes, own.find((s) => s.no === ONNX.tensor.name) as Field), f.end - f.start);
      }
    }
    const offsets = references(bytes, true);
    assert.ok(offsets.size > 0);
    for (const [name, offset] of offsets) assert.ok(offset % 64 === 0 || anywhere.has(name), `${name} is referenced at offset ${offset}`);
    // Both cases occur in this model: weights referenced at odd offsets, and misaligned MatMulNBits
    // scales kept in the graph.
    assert.ok([...offsets.values()].some((offset) => offset % 64 !== 0), 'no misaligned weights were referenced');
    assert.ok([...inline.keys()].some((name) => /scales/.test(name) && (inline.get(name) as number) >= 1024), 'no scales were kept in the graph');
  });

  it('leaves a graph whose weights are already in an external file byte for byte as it is', async () => {
    const file = join(await modelDir('tiny-gqa-genai'), 'model.onnx');
    const { bytes, referenced } = graphWithWeightsByReference(file);
    assert.equal(referenced, 0);
    assert.deepEqual(Buffer.from(bytes), readFileSync(file));
  });

  it('refuses a truncated file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hearth-weights-'));
    try {
      const copy = join(dir, 'model.onnx');
      copyFileSync(inlineFile, copy);
      truncateSync(copy, Math.floor(readFileSync(inlineFile).length / 2));
      assert.throws(() => graphWithWeightsByReference(copy), /runs past the end/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
