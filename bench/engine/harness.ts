// What the engine benchmarks share: the models they run, the bundled side process, its prompts.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import type { Dtype } from '../../models/qwen2Graph';
import { readManifest } from '../../models/referenceForward';
import { ensureModel, type TestModelName } from '../../models/testModels';
import { buildPrompts } from './prompts';

/** What `--model` picks. */
export const BENCH_MODEL_KEYS = ['q4', 'q4-standard', 'fp32', 'q4-inline'] as const;
export type BenchModelKey = (typeof BENCH_MODEL_KEYS)[number];

export interface BenchModel {
  key: BenchModelKey;
  label: string;
  name: TestModelName;
  dtype: Dtype;
}

export const FULL: BenchModel[] = [
  { key: 'q4', label: 'int4, GroupQueryAttention', name: 'bench-q4-gqa', dtype: 'q4' },
  // The layout of onnx-community's model_q4.onnx: int4 MatMulNBits with standard attention.
  { key: 'q4-standard', label: 'int4, standard attention', name: 'bench-q4-standard', dtype: 'q4' },
  { key: 'fp32', label: 'fp32, standard attention', name: 'bench-fp32-standard', dtype: 'fp32' },
];
/** Run only when `--model` names them. */
export const EXTRA: BenchModel[] = [
  // bench-q4-standard's weights inside its .onnx file, as onnx-community ships models under 2 GB.
  { key: 'q4-inline', label: 'int4, standard attention, weights inline', name: 'bench-q4-standard-inline', dtype: 'q4' },
];
/** Harness check on tiny models (seconds, numbers meaningless). */
export const QUICK: BenchModel[] = [
  { key: 'q4', label: 'tiny int4 GQA', name: 'tiny-gqa-tjs', dtype: 'q4' },
  { key: 'fp32', label: 'tiny fp32 standard', name: 'tiny-standard-tjs', dtype: 'fp32' },
];

/** The `--model` value as a key, or undefined for all models. */
export function parseModelKey(value: string | undefined): BenchModelKey | undefined {
  if (value === undefined) return undefined;
  const key = BENCH_MODEL_KEYS.find((k) => k === value);
  if (!key) throw new Error(`--model is one of ${BENCH_MODEL_KEYS.join(', ')}, not '${value}'.`);
  return key;
}

export function modelBytes(dir: string, dtype: Dtype): number {
  const file = readManifest(dir).onnxFiles[dtype];
  if (!file) throw new Error(`${dir} has no ${dtype} model.`);
  const size = (p: string): number => {
    try {
      return statSync(p).size;
    } catch {
      return 0;
    }
  };
  return size(join(dir, file)) + size(join(dir, `${file}_data`));
}

/**
 * Bundles the side process to plain JS, as Hearth's engine host ships, so neither side's RSS
 * carries the TypeScript loader (tsx adds ~50 MB to a process). Both sides run the same bundle.
 */
export async function bundleChild(cacheDir: string): Promise<string> {
  const outfile = join(cacheDir, 'engine-child.cjs');
  await build({
    entryPoints: [join(__dirname, 'child.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['onnxruntime-node', '@huggingface/transformers'],
    logLevel: 'warning',
  });
  return outfile;
}

/** Runs the side process and returns the JSON after its `<tag> ` line; a failure names the side. */
export async function runChild(childScript: string, args: string[], env: NodeJS.ProcessEnv, tag: string): Promise<string> {
  const child = spawn(process.execPath, [childScript, ...args], { stdio: ['ignore', 'pipe', 'inherit'], env });
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  const [code] = (await once(child, 'close')) as [number | null];
  const line = stdout.split('\n').find((l) => l.startsWith(`${tag} `));
  if (code !== 0 || !line) throw new Error(`The benchmark process (${args.join(' ')}) failed (exit code ${code}); see its output above.`);
  return line.slice(tag.length + 1);
}

export interface PreparedModel {
  dir: string;
  promptsFile: string;
  sizeMB: number;
}

/** Generates the model if needed and writes its prompts; `conversationTokens` sizes the follow-up chat. */
export async function prepareModel(model: BenchModel, cacheDir: string, conversationTokens: number): Promise<PreparedModel> {
  console.error(`Preparing ${model.name} ...`);
  const dir = await ensureModel(model.name);
  const promptsFile = join(cacheDir, `prompts-${model.name}.json`);
  writeFileSync(promptsFile, JSON.stringify(buildPrompts(dir, conversationTokens)));
  return { dir, promptsFile, sizeMB: modelBytes(dir, model.dtype) / 2 ** 20 };
}

export interface BusyCores {
  pids: number[];
  stop(): Promise<void>;
}

/**
 * Keeps a core busy until the process whose pid it is given (`node -e BUSY_LOOP <pid>`) is gone: a
 * benchmark that is killed (Ctrl+C, a timeout) must not leave a core spinning. It checks every 2^20
 * iterations, about a millisecond. (The pid is passed because process.ppid is read once, at startup,
 * which may already be after a quick parent's death.)
 */
export const BUSY_LOOP = 'const parent = Number(process.argv[1]); for (let i = 0; ; i++) if ((i & 0xfffff) === 0) try { process.kill(parent, 0); } catch { process.exit(0); }';

export async function startBusyCores(count: number): Promise<BusyCores> {
  const children = await Promise.all(
    Array.from({ length: count }, async () => {
      const child = spawn(process.execPath, ['-e', BUSY_LOOP, String(process.pid)], { stdio: 'ignore' });
      await once(child, 'spawn');
      return child;
    }),
  );
  return {
    pids: children.map((c) => c.pid ?? -1),
    stop: async () => {
      await Promise.all(
        children.map(async (child) => {
          if (child.exitCode !== null || child.signalCode !== null) return;
          const exited = once(child, 'exit');
          child.kill('SIGKILL');
          await exited;
        }),
      );
    },
  };
}
