// Where a model's process memory goes: RSS after session create, after each prefill chunk and
// during decode, under chosen onnxruntime session options. For quick iteration on memory settings.
//   npx tsx bench/engine/memoryProbe.ts [--model bench-q4-gqa|<folder>] [--arena 0|1] [--pattern 0|1]
//     [--chunk 512] [--prompt 1000] [--decode 32] [--threads 2] [--gc minor|major] [--kv auto|shared|packed] [--engine]
// --engine runs Hearth's own loadModel()/generate() instead of the raw session loop.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { InferenceSession } from 'onnxruntime-node';
import { loadModel } from '../../src/engine';
import { DecoderSession } from '../../src/engine/decoderSession';
import { readModelFolder } from '../../src/engine/modelFolder';
import { ensureModel, isTestModelName } from '../../models/testModels';

const mb = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(0)} MB`;
/** Resident anonymous vs file-backed memory (Linux), e.g. "anon 420 MB, file 180 MB". */
function residentKinds(): string {
  try {
    const text = readFileSync('/proc/self/smaps_rollup', 'utf8');
    const kb = (key: string): number => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(text)?.[1] ?? 0);
    return `anon ${mb(kb('Anonymous') * 1024)}, file ${mb((kb('Rss') - kb('Anonymous')) * 1024)}`;
  } catch {
    return '';
  }
}

const report = (stage: string): void => {
  const m = process.memoryUsage();
  const peak = process.resourceUsage().maxRSS * 1024;
  console.log(`${stage.padEnd(34)} rss ${mb(m.rss).padStart(7)}  peak ${mb(peak).padStart(7)}  js buffers ${mb(m.arrayBuffers).padStart(7)}  ${residentKinds()}`);
};

type Options = Partial<Record<'arena' | 'pattern' | 'chunk' | 'prompt' | 'decode' | 'threads' | 'kv', string>>;
type Gc = (options?: { type: 'minor' | 'major'; execution: 'sync' }) => void;
let collect: (() => void) | undefined;
function useGc(kind: string | undefined): void {
  if (kind !== 'minor' && kind !== 'major') return;
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as Gc;
  collect = () => gc({ type: kind, execution: 'sync' });
}

async function rawLoop(dir: string, opts: Options): Promise<void> {
  const folder = readModelFolder(dir);
  const variant = folder.selectVariant('q4', 'cpu');
  const sessionOptions: InferenceSession.SessionOptions = {
    executionProviders: ['cpu'],
    intraOpNumThreads: Number(opts.threads ?? 2),
    graphOptimizationLevel: 'all',
    enableCpuMemArena: opts.arena !== '0',
    enableMemPattern: opts.pattern !== '0',
    extra: { session: { intra_op: { allow_spinning: '0' } } },
    logSeverityLevel: 3,
  };
  const session = await InferenceSession.create(variant.path, sessionOptions);
  report('session created');
  const decoder = new DecoderSession(session, DecoderSession.describe(session, folder.graph, variant.file), opts.kv === 'packed' ? 'packed' : 'shared');
  const chunk = Number(opts.chunk ?? 512);
  const promptLength = Number(opts.prompt ?? 1000);
  const ids = Array.from({ length: promptLength }, (_, i) => 300 + (i % 1000));
  let kv = decoder.reserve(decoder.emptyCache(), ids.length + 1);
  let started = performance.now();
  for (let at = 0; at < ids.length; at += chunk) {
    const out = await decoder.forward(ids.slice(at, at + chunk), kv);
    kv = out.cache;
    collect?.();
    report(`prefill to ${kv.length}`);
  }
  console.log(`prefill ${(performance.now() - started).toFixed(0)} ms`);
  started = performance.now();
  const steps = Number(opts.decode ?? 32);
  for (let i = 0; i < steps; i++) {
    const out = await decoder.forward([400 + i], kv);
    kv = out.cache;
    collect?.();
    if (i % 16 === 15 || i < 3) report(`decode step ${i + 1}`);
  }
  console.log(`decode ${((steps / (performance.now() - started)) * 1000).toFixed(1)} tok/s`);
  await session.release();
}

async function engineLoop(dir: string, opts: Options): Promise<void> {
  const model = await loadModel(dir, { device: 'cpu', dtype: 'q4', threads: Number(opts.threads ?? 2), kvCache: opts.kv === 'packed' || opts.kv === 'shared' ? opts.kv : 'auto' });
  console.log(`KV layout: ${model.decoder.kvLayout}`);
  report('engine loaded');
  const words = Array.from({ length: Number(opts.prompt ?? 1000) }, (_, i) => `w${i % 97}`).join(' ');
  for (const turn of [1, 2]) {
    for await (const ev of model.generate({ conversationId: 'c', messages: [{ role: 'user', content: words }], maxNewTokens: Number(opts.decode ?? 32), minNewTokens: Number(opts.decode ?? 32), sampling: { temperature: 0 } })) {
      if (ev.type === 'done') {
        report(`turn ${turn} done`);
        console.log(`  prompt ${ev.result.usage.promptTokens}, cached ${ev.result.usage.cachedTokens}, ttft ${ev.result.stats.timeToFirstTokenMs?.toFixed(0)} ms, ${ev.result.stats.tokensPerSecond?.toFixed(1)} tok/s`);
      }
    }
  }
  await model.dispose();
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      model: { type: 'string' },
      arena: { type: 'string' },
      pattern: { type: 'string' },
      chunk: { type: 'string' },
      prompt: { type: 'string' },
      decode: { type: 'string' },
      threads: { type: 'string' },
      kv: { type: 'string' },
      engine: { type: 'boolean' },
      gc: { type: 'string' },
    },
  });
  const name = values.model ?? 'bench-q4-gqa';
  useGc(values.gc);
  report('start');
  // A test model's name, or any model folder.
  const dir = isTestModelName(name) ? await ensureModel(name) : name;
  if (values.engine) await engineLoop(dir, values);
  else await rawLoop(dir, values);
  report('end');
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : e);
  process.exit(1);
});
