// Reads a model folder in either layout (transformers.js/onnx-community or onnxruntime-genai),
// validates its JSON files and picks the .onnx weight variant for a dtype and device.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Dtype } from '../protocol/engine';
import {
  type GenaiConfig,
  GenaiConfigSchema,
  GenerationConfigSchema,
  type ModelConfig,
  ModelConfigSchema,
  type TokenizerConfig,
  TokenizerConfigSchema,
  type TokenizerJson,
  TokenizerJsonSchema,
  tokenIdList,
} from './configSchemas';
import { EngineError } from './errors';
import { FIX_FOLDER, readJsonFile, readOptionalJsonFile } from './jsonFile';
import type { SamplingDefaults } from './sampler';

export type ModelLayout = 'transformers.js' | 'genai';

/** Graph names and shapes that config files know (the session's metadata fills the rest). */
export interface GraphHints {
  numLayers?: number;
  kvHeads?: number;
  headDim?: number;
  /** genai_config.json input/output name map, e.g. past_key_names: 'past_key_values.%d.key'. */
  inputNames?: Record<string, string>;
  outputNames?: Record<string, string>;
}

export interface ModelVariant {
  /** Absolute path of the .onnx file. */
  path: string;
  /** Path relative to the model folder, for messages. */
  file: string;
  dtype: string;
}

export interface ModelFolder {
  dir: string;
  modelId: string;
  layout: ModelLayout;
  contextWindow: number;
  eosTokenIds: number[];
  generationDefaults: SamplingDefaults;
  tokenizerJson: TokenizerJson;
  tokenizerConfig: TokenizerConfig;
  /** The model's own chat template, when it has one. */
  chatTemplate?: string;
  graph: GraphHints;
  /** The weight file to load for this dtype on this kind of device. */
  selectVariant(dtype: Dtype, deviceKind: 'cpu' | 'gpu'): ModelVariant;
}

const DEFAULT_CONTEXT = 2048;

/** transformers.js file suffixes by dtype, in order of preference. */
const SUFFIXES: Record<Exclude<Dtype, 'auto'>, string[]> = {
  fp32: [''],
  fp16: ['_fp16'],
  q8: ['_quantized', '_int8', '_uint8'],
  q4: ['_q4', '_bnb4'],
  q4f16: ['_q4f16'],
};
const AUTO_ORDER: Record<'cpu' | 'gpu', Exclude<Dtype, 'auto'>[]> = {
  cpu: ['q4', 'q8', 'fp32', 'q4f16', 'fp16'],
  gpu: ['fp16', 'q4f16', 'fp32', 'q4', 'q8'],
};
const BASE_NAMES = ['model', 'decoder_model_merged'];

export function readModelFolder(dir: string): ModelFolder {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new EngineError(
      'badModel',
      `The model folder ${dir} does not exist.`,
      'Set hearth.local.modelPath to the folder of a downloaded ONNX chat model.',
    );
  }
  const genaiPath = join(dir, 'genai_config.json');
  if (existsSync(genaiPath)) return readGenaiFolder(dir, readJsonFile(genaiPath, GenaiConfigSchema));
  if (existsSync(join(dir, 'config.json'))) return readTransformersFolder(dir);
  throw new EngineError(
    'badModel',
    `${dir} has neither config.json (transformers.js layout) nor genai_config.json (onnxruntime-genai layout).`,
    FIX_FOLDER,
    'config.json',
  );
}

function readTokenizerFiles(dir: string): { tokenizerJson: TokenizerJson; tokenizerConfig: TokenizerConfig } {
  const tokenizerJson = readJsonFile(join(dir, 'tokenizer.json'), TokenizerJsonSchema);
  const tokenizerConfig = readOptionalJsonFile(join(dir, 'tokenizer_config.json'), TokenizerConfigSchema) ?? {};
  return { tokenizerJson, tokenizerConfig };
}

function chatTemplateOf(config: TokenizerConfig, dir: string): string | undefined {
  const t = config.chat_template;
  if (typeof t === 'string') return t;
  if (Array.isArray(t)) return (t.find((x) => x.name === 'default') ?? t[0])?.template;
  const jinjaFile = join(dir, 'chat_template.jinja');
  return existsSync(jinjaFile) ? readFileSync(jinjaFile, 'utf8') : undefined;
}

function readTransformersFolder(dir: string): ModelFolder {
  const config = readJsonFile(join(dir, 'config.json'), ModelConfigSchema);
  const generation = readOptionalJsonFile(join(dir, 'generation_config.json'), GenerationConfigSchema) ?? {};
  const tokenizer = readTokenizerFiles(dir);
  const onnxDir = join(dir, 'onnx');
  if (!existsSync(onnxDir)) {
    throw new EngineError('badModel', `The model folder has no onnx/ subfolder with the model weights (${onnxDir}).`, FIX_FOLDER, 'onnx/');
  }
  const onnxFiles = new Set(readdirSync(onnxDir));
  const headDim =
    config.head_dim ??
    (config.hidden_size && config.num_attention_heads ? config.hidden_size / config.num_attention_heads : undefined);

  const findFile = (dtype: Exclude<Dtype, 'auto'>): string | undefined => {
    for (const base of BASE_NAMES) {
      for (const suffix of SUFFIXES[dtype]) {
        const name = `${base}${suffix}.onnx`;
        if (onnxFiles.has(name)) return name;
      }
    }
    return undefined;
  };
  const available = (Object.keys(SUFFIXES) as Exclude<Dtype, 'auto'>[]).filter((d) => findFile(d));

  return {
    dir,
    modelId: basename(dir),
    layout: 'transformers.js',
    contextWindow: config.max_position_embeddings ?? DEFAULT_CONTEXT,
    eosTokenIds: unique([...tokenIdList(generation.eos_token_id), ...tokenIdList(config.eos_token_id)]),
    generationDefaults: {
      doSample: generation.do_sample ?? false,
      temperature: generation.temperature,
      topK: generation.top_k,
      topP: generation.top_p,
      minP: generation.min_p ?? undefined,
      repetitionPenalty: generation.repetition_penalty,
    },
    ...tokenizer,
    chatTemplate: chatTemplateOf(tokenizer.tokenizerConfig, dir),
    graph: { numLayers: config.num_hidden_layers, kvHeads: config.num_key_value_heads ?? config.num_attention_heads, headDim },
    selectVariant(dtype, deviceKind) {
      const order = dtype === 'auto' ? AUTO_ORDER[deviceKind] : [dtype];
      const chosen = order.find((d) => findFile(d));
      const name = chosen && findFile(chosen);
      if (!chosen || !name) {
        const want = dtype === 'auto' ? 'onnx/model.onnx (or a _q4/_fp16/... variant)' : `onnx/model${SUFFIXES[dtype][0]}.onnx`;
        throw new EngineError(
          'badModel',
          `${want} is missing from ${dir}.` + (available.length ? ` This folder has: ${available.join(', ')}.` : ' onnx/ holds no model file.'),
          available.length ? `Set hearth.local.dtype to auto or one of: ${available.join(', ')}.` : FIX_FOLDER,
          want,
        );
      }
      checkExternalData(onnxDir, name, config);
      return { path: join(onnxDir, name), file: `onnx/${name}`, dtype: chosen };
    },
  };
}

/** Declared external weight files must exist; onnxruntime loads them from beside the .onnx file. */
function checkExternalData(onnxDir: string, fileName: string, config: ModelConfig): void {
  const declared = config['transformers.js_config']?.use_external_data_format;
  let chunks = 0;
  if (typeof declared === 'boolean') chunks = declared ? 1 : 0;
  else if (typeof declared === 'number') chunks = declared;
  else if (declared) {
    const v = declared[fileName];
    chunks = v === true ? 1 : typeof v === 'number' ? v : 0;
  }
  for (let i = 0; i < chunks; i++) {
    const name = `${fileName}_data${i === 0 ? '' : `_${i}`}`;
    if (!existsSync(join(onnxDir, name))) {
      throw new EngineError(
        'badModel',
        `onnx/${name} is missing: config.json declares ${chunks} external weight file(s) for onnx/${fileName}.`,
        'Download the missing file into the onnx/ folder, or pick another dtype.',
        `onnx/${name}`,
      );
    }
  }
}

function readGenaiFolder(dir: string, genai: GenaiConfig): ModelFolder {
  const tokenizer = readTokenizerFiles(dir);
  const decoder = genai.model.decoder;
  const search = genai.search ?? {};
  return {
    dir,
    modelId: basename(dir),
    layout: 'genai',
    contextWindow: genai.model.context_length,
    eosTokenIds: unique(tokenIdList(genai.model.eos_token_id)),
    generationDefaults: {
      doSample: search.do_sample ?? false,
      temperature: search.temperature,
      topK: search.top_k,
      topP: search.top_p,
      repetitionPenalty: search.repetition_penalty,
    },
    ...tokenizer,
    chatTemplate: genai.model.chat_template ?? chatTemplateOf(tokenizer.tokenizerConfig, dir),
    graph: {
      numLayers: decoder.num_hidden_layers,
      kvHeads: decoder.num_key_value_heads,
      headDim: decoder.head_size,
      inputNames: decoder.inputs,
      outputNames: decoder.outputs,
    },
    selectVariant() {
      // A genai folder holds one exported variant; the dtype option does not apply.
      const path = join(dir, decoder.filename);
      if (!existsSync(path)) {
        throw new EngineError(
          'badModel',
          `${decoder.filename} (named by genai_config.json model.decoder.filename) is missing from ${dir}.`,
          FIX_FOLDER,
          decoder.filename,
        );
      }
      return { path, file: decoder.filename, dtype: 'as exported' };
    },
  };
}

function unique(ids: number[]): number[] {
  return [...new Set(ids)];
}
