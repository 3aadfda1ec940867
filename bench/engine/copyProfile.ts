// The copies onnxruntime makes between host and device inside a run, read from its profile: the
// MemcpyFromHost/MemcpyToHost nodes it adds where a value computed on one side is used on the other
// (on WebGPU: shape-derived masks and lengths that its CPU nodes compute). The engine's own feeds and
// fetches are counted by the engine (DecoderSession.transferred); these come on top.
import { z } from 'zod';

const memcpySchema = z.object({
  cat: z.literal('Node'),
  ts: z.number(),
  args: z.object({ op_name: z.enum(['MemcpyFromHost', 'MemcpyToHost']), output_size: z.coerce.number() }),
});
const runSchema = z.object({ cat: z.literal('Session'), name: z.literal('model_run'), ts: z.number(), dur: z.number() });

export interface RunCopies {
  toDevice: number;
  toHost: number;
}

/** Bytes copied by Memcpy nodes in each `model_run` of a parsed profile, in run order. */
export function copiesPerRun(profile: unknown): RunCopies[] {
  const events = z.array(z.unknown()).parse(profile);
  const runs = events.flatMap((e) => {
    const r = runSchema.safeParse(e);
    return r.success ? [r.data] : [];
  });
  runs.sort((a, b) => a.ts - b.ts);
  const copies = runs.map(() => ({ toDevice: 0, toHost: 0 }));
  for (const e of events) {
    const copy = memcpySchema.safeParse(e);
    if (!copy.success) continue;
    const at = runs.findIndex((r) => copy.data.ts >= r.ts && copy.data.ts <= r.ts + r.dur);
    const counts = copies[at];
    if (!counts) continue;
    if (copy.data.args.op_name === 'MemcpyFromHost') counts.toDevice += copy.data.args.output_size;
    else counts.toHost += copy.data.args.output_size;
  }
  return copies;
}
