// Runs a generated decoder in onnxruntime-node one step at a time, the way an engine does.
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { readManifest } from '../../../models/referenceForward';
import type { Dtype } from '../../../models/qwen2Graph';
import { shapeOf } from '../../../models/generator';

export interface StepResult {
  /** [rows, vocab] logits, one row per kept position. */
  logits: Float32Array[];
  present: Record<string, ort.Tensor>;
}

export class DecoderRunner {
  private constructor(
    readonly session: ort.InferenceSession,
    private readonly numLayers: number,
    private readonly kvHeads: number,
    private readonly headDim: number,
    readonly vocabSize: number,
  ) {}

  static async open(modelDir: string, dtype?: Dtype): Promise<DecoderRunner> {
    const manifest = readManifest(modelDir);
    const file = manifest.onnxFiles[dtype ?? manifest.options.dtypes[0]];
    if (!file) throw new Error(`${modelDir} has no ${dtype} model.`);
    const session = await ort.InferenceSession.create(join(modelDir, file), { intraOpNumThreads: 2 });
    const s = shapeOf(manifest.options);
    return new DecoderRunner(session, s.numLayers, s.numKvHeads, s.headDim, s.vocabSize);
  }

  emptyPast(): Record<string, ort.Tensor> {
    const past: Record<string, ort.Tensor> = {};
    for (let i = 0; i < this.numLayers; i++) {
      for (const kind of ['key', 'value']) {
        past[`present.${i}.${kind}`] = new ort.Tensor('float32', new Float32Array(0), [1, this.kvHeads, 0, this.headDim]);
      }
    }
    return past;
  }

  /** Feeds `ids` after `pastLength` cached tokens (batch 1, no padding). */
  async step(ids: number[], past: Record<string, ort.Tensor>, pastLength: number, logitsToKeep = 0): Promise<StepResult> {
    const total = pastLength + ids.length;
    const int64 = (values: number[], dims: number[]): ort.Tensor => new ort.Tensor('int64', BigInt64Array.from(values.map(BigInt)), dims);
    const feeds: Record<string, ort.Tensor> = {
      input_ids: int64(ids, [1, ids.length]),
      attention_mask: int64(new Array<number>(total).fill(1), [1, total]),
    };
    const names = this.session.inputNames;
    if (names.includes('position_ids')) feeds.position_ids = int64(ids.map((_, i) => pastLength + i), [1, ids.length]);
    if (names.includes('num_logits_to_keep')) feeds.num_logits_to_keep = int64([logitsToKeep], []);
    for (let i = 0; i < this.numLayers; i++) {
      for (const kind of ['key', 'value']) feeds[`past_key_values.${i}.${kind}`] = past[`present.${i}.${kind}`];
    }
    const out = await this.session.run(feeds);
    const data = out.logits.data as Float32Array;
    const rows = out.logits.dims[1];
    const logits = Array.from({ length: rows }, (_, r) => data.slice(r * this.vocabSize, (r + 1) * this.vocabSize));
    const present: Record<string, ort.Tensor> = {};
    for (const [name, t] of Object.entries(out)) if (name.startsWith('present.')) present[name] = t;
    return { logits, present };
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}

export function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) throw new Error(`Length ${a.length} != ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

export function argmax(a: Float32Array): number {
  let best = 0;
  for (let i = 1; i < a.length; i++) if (a[i] > a[best]) best = i;
  return best;
}
