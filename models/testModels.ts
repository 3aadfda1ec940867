// Named test models, generated once into models/.generated/<name>/ and reused while the generator's
// version and the model's options stay the same. Safe when several processes ask at once: each
// generates into its own temporary folder and renames it into place.
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Dtype } from './qwen2Graph';
import { generateModel, GENERATOR_VERSION, MANIFEST_FILE, resolveOptions, type GenerateOptions, type Manifest } from './generator';

export const TEST_MODELS = {
  'tiny-standard-tjs': { shape: 'tiny', layout: 'transformersjs', attention: 'standard', dtypes: ['fp32'] },
  'tiny-standard-tjs-external': { shape: 'tiny', layout: 'transformersjs', attention: 'standard', dtypes: ['fp32'], externalData: true },
  'tiny-gqa-tjs': { shape: 'tiny', layout: 'transformersjs', attention: 'gqa', dtypes: ['fp32', 'q4'] },
  'tiny-standard-genai': { shape: 'tiny', layout: 'genai', attention: 'standard', dtypes: ['fp32'] },
  'tiny-gqa-genai': { shape: 'tiny', layout: 'genai', attention: 'gqa', dtypes: ['q4'] },
  // fp16: float16 KV cache and logits (qwen2Graph.ts); the GPU tier's models and auto dtype's choices.
  'tiny-gqa-tjs-fp16': { shape: 'tiny', layout: 'transformersjs', attention: 'gqa', dtypes: ['q4', 'fp16'] },
  'tiny-standard-tjs-fp16': { shape: 'tiny', layout: 'transformersjs', attention: 'standard', dtypes: ['fp16'] },
  'tiny-gqa-genai-fp16': { shape: 'tiny', layout: 'genai', attention: 'gqa', dtypes: ['fp16'] },
  // Only the GPU file, as the downloader fetches it for a GPU: what the CPU must run when the GPU fails.
  'tiny-gqa-tjs-q4f16': { shape: 'tiny', layout: 'transformersjs', attention: 'gqa', dtypes: ['q4f16'] },
  'demo-tjs': { shape: 'demo', layout: 'transformersjs', attention: 'standard', dtypes: ['fp32'] },
  'demo-genai': { shape: 'demo', layout: 'genai', attention: 'gqa', dtypes: ['fp32'] },
  // One per model family (families.ts), in each layout the family is published in.
  'family-qwen2.5-tjs': { shape: 'tiny', layout: 'transformersjs', attention: 'standard', dtypes: ['fp32'], family: 'qwen2.5' },
  'family-qwen2.5-coder-tjs': { shape: 'tiny', layout: 'transformersjs', attention: 'standard', dtypes: ['fp32'], family: 'qwen2.5-coder' },
  'family-qwen3-tjs': { shape: 'tiny', layout: 'transformersjs', attention: 'standard', dtypes: ['fp32'], family: 'qwen3' },
  'family-llama3.2-tjs': { shape: 'tiny', layout: 'transformersjs', attention: 'standard', dtypes: ['fp32'], family: 'llama3.2' },
  // fp16 as well: the catalog's GPU variant of gemma-3-1b-it is onnx/model_fp16.onnx (float16 KV cache and logits).
  'family-gemma3-tjs': { shape: 'tiny', layout: 'transformersjs', attention: 'standard', dtypes: ['fp32', 'fp16'], family: 'gemma3' },
  'family-smollm2-tjs': { shape: 'tiny', layout: 'transformersjs', attention: 'standard', dtypes: ['fp32'], family: 'smollm2' },
  'family-deepseek-r1-distill-qwen-tjs': { shape: 'tiny', layout: 'transformersjs', attention: 'standard', dtypes: ['fp32'], family: 'deepseek-r1-distill-qwen' },
  'family-phi3.5-genai': { shape: 'tiny', layout: 'genai', attention: 'gqa', dtypes: ['q4'], family: 'phi3.5' },
  'family-phi4-mini-genai': { shape: 'tiny', layout: 'genai', attention: 'gqa', dtypes: ['q4'], family: 'phi4-mini' },
  // As onnx-community/Phi-4-mini-instruct-ONNX-GQA (whose file is model_q4f16.onnx; q4 keeps float32 I/O).
  'family-phi4-mini-tjs': { shape: 'tiny', layout: 'transformersjs', attention: 'gqa', dtypes: ['q4'], family: 'phi4-mini' },
  // Wired like the demo: the sentence, then one of the family's end-of-turn tokens (where answers must end).
  'family-qwen2.5-wired': { shape: 'tiny', layout: 'transformersjs', attention: 'standard', dtypes: ['fp32'], family: 'qwen2.5', wiredEnd: '<|im_end|>' },
  'family-qwen3-wired': { shape: 'tiny', layout: 'transformersjs', attention: 'standard', dtypes: ['fp32'], family: 'qwen3', wiredEnd: '<|im_end|>' },
  'family-llama3.2-wired': { shape: 'tiny', layout: 'transformersjs', attention: 'standard', dtypes: ['fp32'], family: 'llama3.2', wiredEnd: '<|eom_id|>' },
  'family-gemma3-wired': { shape: 'tiny', layout: 'transformersjs', attention: 'standard', dtypes: ['fp32'], family: 'gemma3', wiredEnd: '<end_of_turn>' },
  'family-smollm2-wired': { shape: 'tiny', layout: 'transformersjs', attention: 'standard', dtypes: ['fp32'], family: 'smollm2', wiredEnd: '<|im_end|>' },
  'family-deepseek-r1-distill-qwen-wired': { shape: 'tiny', layout: 'transformersjs', attention: 'standard', dtypes: ['fp32'], family: 'deepseek-r1-distill-qwen', wiredEnd: '<｜end▁of▁sentence｜>' },
  'family-phi3.5-wired': { shape: 'tiny', layout: 'genai', attention: 'gqa', dtypes: ['q4'], family: 'phi3.5', wiredEnd: '<|end|>' },
  'family-phi4-mini-wired': { shape: 'tiny', layout: 'genai', attention: 'gqa', dtypes: ['q4'], family: 'phi4-mini', wiredEnd: '<|end|>' },
  'bench-q4-gqa': { shape: 'qwen2.5-0.5b', layout: 'transformersjs', attention: 'gqa', dtypes: ['q4'] },
  'bench-fp32-standard': { shape: 'qwen2.5-0.5b', layout: 'transformersjs', attention: 'standard', dtypes: ['fp32'] },
  'bench-q4-standard': { shape: 'qwen2.5-0.5b', layout: 'transformersjs', attention: 'standard', dtypes: ['q4'] },
  'bench-q4-standard-inline': { shape: 'qwen2.5-0.5b', layout: 'transformersjs', attention: 'standard', dtypes: ['q4'], inlineWeights: true },
} as const satisfies Record<string, GenerateOptions>;

export type TestModelName = keyof typeof TEST_MODELS;

/** models/.generated, or HEARTH_TEST_MODELS_DIR when set (e.g. a CI cache folder). */
export const DEFAULT_MODELS_ROOT = process.env.HEARTH_TEST_MODELS_DIR || join(__dirname, '.generated');

export function isTestModelName(name: string): name is TestModelName {
  return Object.hasOwn(TEST_MODELS, name);
}

function optionsOf(name: TestModelName): GenerateOptions {
  const o: Omit<GenerateOptions, 'dtypes'> & { readonly dtypes: readonly Dtype[] } = TEST_MODELS[name];
  return { ...o, dtypes: [...o.dtypes] };
}

/** True when dir holds a complete folder made by this generator version with these options. */
export function isCurrentModel(dir: string, options: GenerateOptions): boolean {
  try {
    const manifest = JSON.parse(readFileSync(join(dir, MANIFEST_FILE), 'utf8')) as Manifest;
    return manifest.version === GENERATOR_VERSION && JSON.stringify(manifest.options) === JSON.stringify(resolveOptions(options));
  } catch {
    return false;
  }
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes temporary folders left by generator processes that died mid-way. */
async function removeAbandoned(root: string, name: string): Promise<void> {
  if (!existsSync(root)) return;
  for (const entry of readdirSync(root)) {
    const m = /^\.(?:tmp|stale)-(.+)-(\d+)-[0-9a-f]{8}$/.exec(entry);
    if (m && m[1] === name && !processIsAlive(Number(m[2]))) await rm(join(root, entry), { recursive: true, force: true });
  }
}

function errCode(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException).code;
}

async function generateInto(root: string, name: TestModelName, signal?: AbortSignal): Promise<string> {
  const options = optionsOf(name);
  const dir = join(root, name);
  if (isCurrentModel(dir, options)) return dir;
  await mkdir(root, { recursive: true });
  await removeAbandoned(root, name);
  const tag = `${name}-${process.pid}-${randomUUID().slice(0, 8)}`;
  const tmp = join(root, `.tmp-${tag}`);
  try {
    await generateModel(tmp, options, signal);
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        await rename(tmp, dir);
        return dir;
      } catch (e) {
        if (errCode(e) !== 'ENOTEMPTY' && errCode(e) !== 'EEXIST') throw e;
      }
      if (isCurrentModel(dir, options)) return dir; // another process finished first
      // An outdated or broken folder is in the way: move it aside, then delete it.
      const stale = join(root, `.stale-${tag}`);
      await rename(dir, stale).catch((e: unknown) => {
        if (errCode(e) !== 'ENOENT') throw e;
      });
      await rm(stale, { recursive: true, force: true });
    }
    throw new Error(`Could not move the generated model into ${dir}; remove that folder and try again.`);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

const inFlight = new Map<string, Promise<string>>();

/** Like ensureModel, under another root folder (tests use a temporary one). */
export function ensureModelIn(root: string, name: TestModelName, signal?: AbortSignal): Promise<string> {
  if (!isTestModelName(name)) {
    return Promise.reject(new Error(`Unknown test model "${String(name)}"; known: ${Object.keys(TEST_MODELS).join(', ')}.`));
  }
  const key = join(root, name);
  let p = inFlight.get(key);
  if (!p) {
    p = generateInto(root, name, signal).finally(() => inFlight.delete(key));
    inFlight.set(key, p);
  }
  return p;
}

/** Generates models/.generated/<name>/ if missing or outdated and returns the folder. */
export function ensureModel(name: TestModelName, signal?: AbortSignal): Promise<string> {
  return ensureModelIn(DEFAULT_MODELS_ROOT, name, signal);
}
