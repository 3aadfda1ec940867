// Reads onnxruntime's profile (a Chrome-trace JSON array written when a profiled session is
// released) and says where the last N runs spent their time, per operator type. Both benchmark
// sides run the same runtime, so their profiles are directly comparable.
import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { z } from 'zod';

const eventSchema = z.object({
  cat: z.string(),
  name: z.string(),
  ts: z.number(),
  dur: z.number(),
  args: z.object({ op_name: z.string().optional() }).optional(),
});
const profileSchema = z.array(z.unknown());

export interface OpTime {
  op: string;
  /** Kernel time per run, milliseconds. */
  msPerRun: number;
  /** Nodes of this type executed per run. */
  nodesPerRun: number;
}

export interface RunProfile {
  runs: number;
  /** Wall time of a run inside onnxruntime (its `model_run` event), milliseconds. */
  msPerRun: number;
  /** Sum of the kernels' times per run; the rest of msPerRun is onnxruntime's own bookkeeping. */
  kernelMsPerRun: number;
  /** Slowest first. */
  ops: OpTime[];
}

type ProfileEvent = z.infer<typeof eventSchema>;

/** Summarises the last `lastRuns` runs of a parsed profile (e.g. the decode steps of the final answer). */
export function summarizeRuns(profile: unknown, lastRuns: number): RunProfile {
  const events: ProfileEvent[] = [];
  for (const raw of profileSchema.parse(profile)) {
    const parsed = eventSchema.safeParse(raw);
    if (parsed.success) events.push(parsed.data);
  }
  const allRuns = events.filter((e) => e.cat === 'Session' && e.name === 'model_run').sort((a, b) => a.ts - b.ts);
  if (allRuns.length < lastRuns || lastRuns < 1) {
    throw new Error(`The profile holds ${allRuns.length} runs; ${lastRuns} were asked for.`);
  }
  const runs = allRuns.slice(-lastRuns);
  const from = runs[0].ts;
  const to = runs[runs.length - 1].ts + runs[runs.length - 1].dur;
  const byOp = new Map<string, { us: number; nodes: number }>();
  for (const e of events) {
    const op = e.args?.op_name;
    if (e.cat !== 'Node' || !op || !e.name.endsWith('_kernel_time') || e.ts < from || e.ts > to) continue;
    const entry = byOp.get(op) ?? { us: 0, nodes: 0 };
    entry.us += e.dur;
    entry.nodes += 1;
    byOp.set(op, entry);
  }
  const perRun = (us: number): number => us / runs.length / 1000;
  const ops = [...byOp].map(([op, t]) => ({ op, msPerRun: perRun(t.us), nodesPerRun: t.nodes / runs.length })).sort((a, b) => b.msPerRun - a.msPerRun);
  return {
    runs: runs.length,
    msPerRun: perRun(runs.reduce((sum, r) => sum + r.dur, 0)),
    kernelMsPerRun: ops.reduce((sum, o) => sum + o.msPerRun, 0),
    ops,
  };
}

/** onnxruntime names the file `<prefix>_<date>_<time>.json`; this finds the newest one for a prefix. */
export function findProfileFile(prefix: string): string {
  const dir = dirname(prefix);
  const stem = `${basename(prefix)}_`;
  const files = readdirSync(dir)
    .filter((f) => f.startsWith(stem) && f.endsWith('.json'))
    .sort();
  const newest = files[files.length - 1];
  if (!newest) throw new Error(`onnxruntime wrote no profile named ${stem}*.json in ${dir}.`);
  return join(dir, newest);
}

export function readRunProfile(prefix: string, lastRuns: number): RunProfile {
  return summarizeRuns(JSON.parse(readFileSync(findProfileFile(prefix), 'utf8')) as unknown, lastRuns);
}
