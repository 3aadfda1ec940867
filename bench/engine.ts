// Engine benchmark: Hearth's engine vs @huggingface/transformers generate() on the same generated
// Qwen2.5-0.5B-shaped models (int4 GroupQueryAttention, int4 and fp32 standard attention), same threads,
// greedy. Each side runs in its own child process so peak RSS is its own.
//   npm run bench:engine [-- --quick] [-- --threads 2] [-- --tokens 64] [-- --rounds 3] [-- --repeat 2]
//   npm run bench:engine -- --side hearth --model q4    # quick iteration: one side, one model (q4, q4-standard, fp32)
//   npm run bench:engine -- --hearth-int4 int8          # Hearth with hearth.local.int4Compute = int8 (opt-in)
//   npm run bench:engine -- --busy-cores 1              # one core kept busy by another process throughout
//   npm run bench:engine -- --device webgpu [--model tiny] [--software-gpu swiftshader|llvmpipe]   # host/device bytes per token (bench/engine/deviceBench.ts)
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Dtype } from '../models/qwen2Graph';
import { ENGINE_MALLOC_ENV, engineHostEnv } from '../src/providers/local/engineHostEnv';
import { resolveInt4Compute } from '../src/engine/int4Compute';
import { isSoftwareAdapter } from '../scripts/lib/softwareGpu';
import { runDeviceBench } from './engine/deviceBench';
import { type BenchModel, bundleChild, EXTRA, FULL, parseModelKey, prepareModel, QUICK, runChild, startBusyCores } from './engine/harness';
import { bestOf, roundByRound } from './engine/rounds';
import type { SideResult } from './engine/types';

interface RunSettings {
  threads: number;
  tokens: number;
  /** Each measurement this many times within one process, keeping the best. */
  repeat: number;
  /** Fresh processes per side, alternating Hearth and transformers.js, keeping each side's best. */
  rounds: number;
  /** Give transformers.js the engine host's allocator settings too (a fairness check). */
  peerMalloc: boolean;
  /** Let Hearth's onnxruntime threads spin as transformers.js's do (Hearth ships with it off). */
  hearthSpinning: boolean;
  /** Hearth's hearth.local.int4Compute for this run ('model': as exported, like for like). */
  hearthInt4: 'model' | 'int8' | 'fp32' | 'auto';
  /** Processes kept spinning beside both sides while they run (0: a quiet machine). */
  busyCores: number;
}

async function runSide(childScript: string, side: 'hearth' | 'transformersjs', dir: string, dtype: Dtype, promptsFile: string, run: RunSettings): Promise<SideResult> {
  // Hearth runs with the environment its engine host gets when the extension forks it.
  const env = side === 'hearth' || run.peerMalloc ? engineHostEnv(process.env) : process.env;
  const args = [
    ...['--side', side, '--model', dir, '--dtype', dtype, '--prompts', promptsFile],
    ...['--threads', String(run.threads), '--tokens', String(run.tokens), '--repeat', String(run.repeat)],
    ...(side === 'hearth' && run.hearthSpinning ? ['--spinning'] : []),
    ...(side === 'hearth' ? ['--int4', run.hearthInt4] : []),
  ];
  const busy = await startBusyCores(run.busyCores);
  try {
    return JSON.parse(await runChild(childScript, args, env, 'RESULT')) as SideResult;
  } finally {
    await busy.stop();
  }
}

/** Every round's result per side, in round order. */
async function measureSides(sides: Side[], childScript: string, dir: string, dtype: Dtype, promptsFile: string, run: RunSettings): Promise<Map<Side, SideResult[]>> {
  const results = new Map<Side, SideResult[]>(sides.map((side) => [side, []]));
  for (let round = 1; round <= run.rounds; round++) {
    if (run.rounds > 1) console.error(`  round ${round} of ${run.rounds}`);
    for (const side of sides) results.get(side)?.push(await runSide(childScript, side, dir, dtype, promptsFile, run));
  }
  return results;
}

const fmt = (v: number, digits = 0): string => (Number.isFinite(v) ? v.toFixed(digits) : '-');

function printTable(model: BenchModel, sizeMB: number, h: SideResult, t: SideResult): void {
  const rows: [string, string, string, string][] = [
    ['load (s)', fmt(h.loadMs / 1000, 1), fmt(t.loadMs / 1000, 1), ''],
    ['first token, 200-token prompt (ms)', fmt(h.ttft200Ms), fmt(t.ttft200Ms), fmt(t.ttft200Ms / h.ttft200Ms, 2)],
    ['decode after 200 (tok/s)', fmt(h.decode200, 1), fmt(t.decode200, 1), fmt(h.decode200 / t.decode200, 2)],
    ['first token, 1000-token prompt (ms)', fmt(h.ttft1000Ms), fmt(t.ttft1000Ms), fmt(t.ttft1000Ms / h.ttft1000Ms, 2)],
    ['decode after 1000 (tok/s)', fmt(h.decode1000, 1), fmt(t.decode1000, 1), fmt(h.decode1000 / t.decode1000, 2)],
    [`follow-up first token, ${h.conversationTokens}-token chat (ms)`, fmt(h.followupTtftMs), fmt(t.followupTtftMs), fmt(t.followupTtftMs / h.followupTtftMs, 2)],
    ['  prompt tokens from cache', String(h.followupCachedTokens), String(t.followupCachedTokens), ''],
    ['peak RSS (MB)', fmt(h.peakRssMB), fmt(t.peakRssMB), fmt(t.peakRssMB / h.peakRssMB, 2)],
  ];
  const widths = [46, 10, 16, 22];
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' ');
  console.log(`\n${model.name} (${model.label}, ${fmt(sizeMB)} MB of weights; same greedy answer on both sides: ${h.text200 === t.text200 ? 'yes' : 'no'})`);
  console.log(line(['', 'Hearth', 'transformers.js', 'ratio (tjs time / ours)']));
  for (const r of rows) console.log(line(r));
}

type Side = SideResult['side'];

/** The decode speeds round by round: the spread behind each side's best, and the ratio within each round. */
function printRounds(hearth: SideResult[], tjs: SideResult[]): void {
  if (hearth.length < 2) return;
  const list = (values: number[], digits: number): string => values.map((v) => fmt(v, digits)).join(' ');
  for (const [metric, label] of [['decode200', 'decode after 200'], ['decode1000', 'decode after 1000']] as const) {
    const r = roundByRound(hearth, tjs, metric);
    console.log(`${label} by round (tok/s): Hearth ${list(r.hearth, 1)} | transformers.js ${list(r.peer, 1)}`);
    console.log(`  ratio within each round (the two sides ran back to back): ${list(r.ratios, 2)}; median ${fmt(r.medianRatio, 2)}`);
  }
}

/** One side's numbers, for runs that measure only one side (--side). */
function printSide(model: BenchModel, sizeMB: number, r: SideResult): void {
  console.log(`\n${model.name} (${model.label}, ${fmt(sizeMB)} MB of weights), ${r.side} only`);
  console.log(
    JSON.stringify({
      side: r.side,
      ttft200Ms: Math.round(r.ttft200Ms),
      decode200: Math.round(r.decode200 * 10) / 10,
      ttft1000Ms: Math.round(r.ttft1000Ms),
      decode1000: Math.round(r.decode1000 * 10) / 10,
      followupTtftMs: Math.round(r.followupTtftMs),
      peakRssMB: Math.round(r.peakRssMB),
      peakRssOverModelMB: Math.round(r.peakRssMB - sizeMB),
    }),
  );
}

function parseInt4(value: string | undefined): RunSettings['hearthInt4'] {
  if (value === undefined || value === 'model' || value === 'int8' || value === 'fp32' || value === 'auto') return value ?? 'model';
  throw new Error(`--hearth-int4 is 'model', 'int8', 'fp32' or 'auto', not '${value}'.`);
}

function parseCount(flag: string, value: string | undefined): number {
  const n = Number(value ?? 0);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${flag} is a whole number of cores, not '${value}'.`);
  return n;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean' },
      threads: { type: 'string' },
      tokens: { type: 'string' },
      repeat: { type: 'string' },
      rounds: { type: 'string' },
      side: { type: 'string' },
      model: { type: 'string' },
      'peer-malloc': { type: 'boolean' },
      'hearth-spinning': { type: 'boolean' },
      'hearth-int4': { type: 'string' },
      'busy-cores': { type: 'string' },
      device: { type: 'string' },
      'software-gpu': { type: 'string' },
    },
  });
  if (values.device !== undefined && values.device !== 'cpu') {
    const softwareGpu = values['software-gpu'];
    if (softwareGpu !== undefined && !isSoftwareAdapter(softwareGpu)) throw new Error(`--software-gpu is swiftshader or llvmpipe, not '${softwareGpu}'.`);
    await runDeviceBench({ device: values.device, model: values.model ?? 'q4', softwareGpu, steps: Number(values.tokens ?? 8) });
    return;
  }
  const threads = Number(values.threads ?? 2);
  const tokens = Number(values.tokens ?? (values.quick ? 16 : 64));
  const run: RunSettings = {
    threads,
    tokens,
    repeat: Math.max(1, Number(values.repeat ?? 1)),
    rounds: Math.max(1, Number(values.rounds ?? 1)),
    peerMalloc: values['peer-malloc'] ?? false,
    hearthSpinning: values['hearth-spinning'] ?? false,
    hearthInt4: parseInt4(values['hearth-int4']),
    busyCores: parseCount('--busy-cores', values['busy-cores']),
  };
  if (values.side !== undefined && values.side !== 'hearth' && values.side !== 'transformersjs') {
    throw new Error(`--side is 'hearth' or 'transformersjs', not '${values.side}'.`);
  }
  const only = parseModelKey(values.model);
  const onlySide: Side | undefined = values.side;
  const models = values.quick ? QUICK.filter((m) => only === undefined || m.key === only) : only === undefined ? FULL : [...FULL, ...EXTRA].filter((m) => m.key === only);
  const cacheDir = join(__dirname, '.cache');
  mkdirSync(cacheDir, { recursive: true });

  const childScript = await bundleChild(cacheDir);
  // Every round of both sides, per model: the tables and the JSON line take each side's best.
  const results: { model: BenchModel; sizeMB: number; hearth: SideResult[]; tjs: SideResult[]; shipped: SideResult[] }[] = [];
  for (const model of models) {
    // The tiny models' context (2048) cannot hold a 2000-token chat plus its follow-up.
    const { dir, promptsFile, sizeMB } = await prepareModel(model, cacheDir, values.quick ? 1200 : 2000);
    console.error(`Measuring ${model.name} (${threads} threads, ${tokens} new tokens per answer, best of ${run.rounds} round(s) x ${run.repeat}) ...`);
    const malloc = Object.entries(ENGINE_MALLOC_ENV).map(([k, v]) => `${k}=${v}`).join(' ');
    console.error(`  Hearth runs with its engine host's allocator settings (${malloc}); transformers.js ${run.peerMalloc ? 'too (--peer-malloc)' : 'with the defaults (--peer-malloc gives it the same)'}.`);
    console.error(`  onnxruntime thread spinning: transformers.js on (its default), Hearth ${run.hearthSpinning ? 'on for a whole forward pass (--hearth-spinning)' : '10 µs before sleeping (as shipped; --hearth-spinning: a whole forward pass)'}.`);
    if (run.busyCores > 0) {
      console.error(`  ${run.busyCores} other process(es) keep a core busy each while both sides run (--busy-cores): a machine that is doing something else too.`);
    }
    if (run.hearthInt4 !== 'model') {
      console.error(`  Hearth multiplies int4 weights in ${run.hearthInt4} (--hearth-int4, the setting hearth.local.int4Compute); transformers.js as the model says. Not the same numbers: not a like-for-like ratio.`);
    }
    const measured = await measureSides(onlySide ? [onlySide] : ['hearth', 'transformersjs'], childScript, dir, model.dtype, promptsFile, run);
    const hearth = measured.get('hearth');
    const tjs = measured.get('transformersjs');
    // Hearth as shipped too (hearth.local.int4Compute 'auto'), for the first model's JSON line.
    let shipped: SideResult[] = [];
    if (hearth && tjs && results.length === 0 && run.hearthInt4 === 'model' && model.dtype === 'q4') {
      console.error(`  Hearth as shipped: int4 compute 'auto' (${resolveInt4Compute('auto')} on this CPU) ...`);
      shipped = (await measureSides(['hearth'], childScript, dir, model.dtype, promptsFile, { ...run, hearthInt4: 'auto' })).get('hearth') ?? [];
    }
    if (hearth && tjs) results.push({ model, sizeMB, hearth, tjs, shipped });
    else for (const r of measured.values()) printSide(model, sizeMB, bestOf(r));
  }
  if (results.length === 0) return;
  for (const r of results) {
    printTable(r.model, r.sizeMB, bestOf(r.hearth), bestOf(r.tjs));
    printRounds(r.hearth, r.tjs);
  }

  // The headline numbers come from the first model (int4, the CPU default, unless --model says).
  const { sizeMB, shipped } = results[0];
  const h = bestOf(results[0].hearth);
  const t = bestOf(results[0].tjs);
  const round = (v: number): number => Math.round(v * 100) / 100;
  console.log(
    JSON.stringify({
      decodeRatio200: round(h.decode200 / t.decode200),
      decodeRatio1000: round(h.decode1000 / t.decode1000),
      followupTtftRatio: round(t.followupTtftMs / h.followupTtftMs),
      peakRssOverModelMB: Math.round(h.peakRssMB - sizeMB),
      // Hearth as shipped (int4 compute 'auto', which picks per CPU) against transformers.js as shipped.
      ...(shipped.length > 0 ? { int4Default: resolveInt4Compute('auto'), decodeRatio200Default: round(bestOf(shipped).decode200 / t.decode200) } : {}),
      // Marks a line that is not like for like, so it is never quoted as one.
      ...(run.hearthInt4 !== 'model' ? { hearthInt4: run.hearthInt4 } : {}),
      // A different scenario from the quiet machine the targets are set for.
      ...(run.busyCores > 0 ? { busyCores: run.busyCores } : {}),
    }),
  );
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
