// Where a decode step goes: onnxruntime's per-operator profile of Hearth's engine and of
// transformers.js generate() answering the same prompt on the same model, side by side.
// Profiling slows both sides down (it times every node); compare the columns, not absolute speed.
//   npm run bench:profile [-- --model q4|q4-standard|fp32] [-- --prompt 200|1000] [-- --tokens 64] [-- --threads 2] [-- --hearth-spinning] [-- --quick]
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { engineHostEnv } from '../src/providers/local/engineHostEnv';
import { bundleChild, EXTRA, FULL, parseModelKey, prepareModel, QUICK, runChild } from './engine/harness';
import { readRunProfile, type RunProfile } from './engine/opProfile';

type Side = 'hearth' | 'transformersjs';

async function profileSide(childScript: string, side: Side, args: string[], prefix: string, decodeSteps: number): Promise<RunProfile & { tokensPerSecond: number }> {
  const env = side === 'hearth' ? engineHostEnv(process.env) : process.env;
  const out = JSON.parse(await runChild(childScript, ['--side', side, ...args, '--profile', prefix], env, 'PROFILED')) as { decodeTokensPerSecond: number };
  return { ...readRunProfile(prefix, decodeSteps), tokensPerSecond: out.decodeTokensPerSecond };
}

function printComparison(h: RunProfile & { tokensPerSecond: number }, t: RunProfile & { tokensPerSecond: number }): void {
  const ops = [...new Set([...h.ops, ...t.ops].map((o) => o.op))];
  const ms = (p: RunProfile, op: string): string => {
    const o = p.ops.find((x) => x.op === op);
    return o ? `${o.msPerRun.toFixed(3)} (${o.nodesPerRun.toFixed(0)})` : '-';
  };
  const widths = [40, 20, 20];
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' ');
  console.log(line(['ms per decode step (nodes)', 'Hearth', 'transformers.js']));
  for (const op of ops) console.log(line([op, ms(h, op), ms(t, op)]));
  console.log(line(['kernels, total', h.kernelMsPerRun.toFixed(3), t.kernelMsPerRun.toFixed(3)]));
  console.log(line(['onnxruntime outside kernels', (h.msPerRun - h.kernelMsPerRun).toFixed(3), (t.msPerRun - t.kernelMsPerRun).toFixed(3)]));
  console.log(line(['run (model_run)', h.msPerRun.toFixed(3), t.msPerRun.toFixed(3)]));
  const stepMs = (tps: number): number => 1000 / tps;
  console.log(line(['whole step, measured by the caller', stepMs(h.tokensPerSecond).toFixed(3), stepMs(t.tokensPerSecond).toFixed(3)]));
  console.log(line(['  outside onnxruntime.run', (stepMs(h.tokensPerSecond) - h.msPerRun).toFixed(3), (stepMs(t.tokensPerSecond) - t.msPerRun).toFixed(3)]));
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean' },
      model: { type: 'string' },
      prompt: { type: 'string' },
      tokens: { type: 'string' },
      threads: { type: 'string' },
      'hearth-spinning': { type: 'boolean' },
    },
  });
  const key = parseModelKey(values.model) ?? 'q4';
  if (values.prompt !== undefined && values.prompt !== '200' && values.prompt !== '1000') throw new Error(`--prompt is 200 or 1000, not '${values.prompt}'.`);
  const tokens = Math.max(2, Number(values.tokens ?? (values.quick ? 8 : 64)));
  const threads = Number(values.threads ?? 2);
  const model = (values.quick ? QUICK : [...FULL, ...EXTRA]).find((m) => m.key === key);
  if (!model) throw new Error(`no ${values.quick ? 'quick ' : ''}benchmark model '${key}'`);

  const cacheDir = join(__dirname, '.cache');
  mkdirSync(cacheDir, { recursive: true });
  const childScript = await bundleChild(cacheDir);
  const { dir, promptsFile } = await prepareModel(model, cacheDir, values.quick ? 1200 : 2000);
  const args = ['--model', dir, '--dtype', model.dtype, '--prompts', promptsFile, '--threads', String(threads), '--tokens', String(tokens), '--profile-prompt', values.prompt ?? '200'];
  const profileDir = mkdtempSync(join(cacheDir, 'profile-'));
  try {
    console.error(`Profiling ${model.name}: ${values.prompt ?? '200'}-token prompt, ${tokens} new tokens, ${threads} threads (the last ${tokens - 1} runs are the decode steps) ...`);
    // The first token comes from the prompt's run(s); every later token is one decode run.
    const hearthArgs = values['hearth-spinning'] ? [...args, '--spinning'] : args;
    const hearth = await profileSide(childScript, 'hearth', hearthArgs, join(profileDir, 'hearth'), tokens - 1);
    const tjs = await profileSide(childScript, 'transformersjs', args, join(profileDir, 'transformersjs'), tokens - 1);
    console.log(`\n${model.name} (${model.label}), decode after a ${values.prompt ?? '200'}-token prompt, profiled`);
    printComparison(hearth, tjs);
  } finally {
    rmSync(profileDir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
