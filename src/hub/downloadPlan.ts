// Which files of a repository a model needs: its config and tokenizer files, one .onnx weight file
// and that file's external data, never the other weight variants an onnx-community repo also holds.
import { posix } from 'node:path';
import { HubError } from './hubError';
import type { RepoFile } from './repoListing';

/** The variant to fetch: a weight file, relative to subfolder (the genai layout keeps one variant per folder). */
export interface VariantSpec {
  subfolder?: string;
  weights: string;
}

export interface PlannedFile extends RepoFile {
  /** Where it goes inside the model folder: the subfolder's files land at its root. */
  localPath: string;
}

/** Files the engine reads besides the weights (see src/engine/modelFolder.ts). */
const MODEL_FILES = [
  'config.json',
  'generation_config.json',
  'genai_config.json',
  'tokenizer.json',
  'tokenizer_config.json',
  'special_tokens_map.json',
  'added_tokens.json',
  'chat_template.jinja',
  'chat_template.json',
];

/** onnxruntime's external data names: transformers.js uses X.onnx_data (then _1, _2...), onnxruntime-genai X.onnx.data. */
function isExternalDataOf(path: string, weights: string): boolean {
  return path === `${weights}.data` || path === `${weights}_data` || new RegExp(`^${escape(weights)}_data_\\d+$`).test(path);
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function planFiles(listing: readonly RepoFile[], spec: VariantSpec, repo: string): PlannedFile[] {
  const prefix = spec.subfolder ? `${spec.subfolder}/` : '';
  const inBase = listing
    .filter((f) => f.path.startsWith(prefix))
    .map((f) => ({ ...f, localPath: f.path.slice(prefix.length) }));
  const weights = inBase.find((f) => f.localPath === spec.weights);
  if (!weights) throw new HubError('badRepo', `${repo} has no ${prefix}${spec.weights} at this revision.`);
  const wanted = inBase.filter(
    (f) => MODEL_FILES.includes(f.localPath) || f.localPath === spec.weights || isExternalDataOf(f.localPath, spec.weights),
  );
  const names = new Set(wanted.map((f) => f.localPath));
  if (!names.has('tokenizer.json')) throw new HubError('badRepo', `${repo} has no ${prefix}tokenizer.json, which Hearth needs.`);
  if (!names.has('config.json') && !names.has('genai_config.json')) {
    throw new HubError('badRepo', `${repo} has neither ${prefix}config.json nor ${prefix}genai_config.json.`);
  }
  return wanted;
}

const TJS_PREFERENCE: Record<'cpu' | 'gpu', string[]> = {
  cpu: ['model_q4.onnx', 'model_quantized.onnx', 'model_int8.onnx', 'model_uint8.onnx', 'model.onnx', 'model_q4f16.onnx', 'model_fp16.onnx'],
  gpu: ['model_fp16.onnx', 'model_q4f16.onnx', 'model.onnx', 'model_q4.onnx', 'model_quantized.onnx'],
};

/** A variant for a repository that is not in the catalog (found by search): what the engine's auto dtype would pick. */
export function guessVariant(listing: readonly RepoFile[], device: 'cpu' | 'gpu', repo: string): VariantSpec {
  const paths = new Set(listing.map((f) => f.path));
  if (paths.has('config.json')) {
    for (const name of TJS_PREFERENCE[device]) {
      if (paths.has(`onnx/${name}`)) return { weights: `onnx/${name}` };
    }
  }
  // onnxruntime-genai: a folder (or the root) with genai_config.json and one .onnx; CPU folders first on a CPU.
  const genaiDirs = listing.filter((f) => posix.basename(f.path) === 'genai_config.json').map((f) => posix.dirname(f.path));
  const rank = (dir: string) => (/cpu/i.test(dir) === (device === 'cpu') ? 0 : 1);
  for (const dir of genaiDirs.sort((a, b) => rank(a) - rank(b))) {
    const prefix = dir === '.' ? '' : `${dir}/`;
    const onnx = listing.find((f) => f.path.startsWith(prefix) && !f.path.slice(prefix.length).includes('/') && f.path.endsWith('.onnx'));
    if (onnx) return { ...(prefix ? { subfolder: dir } : {}), weights: onnx.path.slice(prefix.length) };
  }
  throw new HubError('badRepo', `${repo} has no ONNX chat model Hearth can load (onnx/model*.onnx with config.json, or a genai_config.json folder).`);
}
