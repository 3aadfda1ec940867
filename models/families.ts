// The model families Hearth's engine is tested against: for each, tiny dimensions with the
// family's architecture, its special tokens, config fields and chat template, and the layouts it
// ships in. Facts marked "published" come from the files on the Hugging Face hub; the sources are
// listed in each family's `evidence` (checked 2026-12 against stored copies of hub pages and of
// repositories quoting them; an entry marked "not re-checked" is recalled, not seen).
import type { Architecture } from './architecture';
import {
  DEEPSEEK_R1_TEMPLATE,
  GEMMA3_TEMPLATE,
  LLAMA32_TEMPLATE,
  PHI35_TEMPLATE,
  PHI4_MINI_TEMPLATE,
  QWEN25_TEMPLATE,
  QWEN3_TEMPLATE,
  SMOLLM2_TEMPLATE,
} from './familyTemplates';
import type { ModelShape } from './shapes';
import type { FamilyTokenizerFiles, TokenizerSpec } from './tokenizer/tokenizerFiles';

export type FamilyId = 'qwen2.5' | 'qwen2.5-coder' | 'qwen3' | 'llama3.2' | 'gemma3' | 'phi3.5' | 'phi4-mini' | 'smollm2' | 'deepseek-r1-distill-qwen';
export const FAMILY_IDS: readonly FamilyId[] = ['qwen2.5', 'qwen2.5-coder', 'qwen3', 'llama3.2', 'gemma3', 'phi3.5', 'phi4-mini', 'smollm2', 'deepseek-r1-distill-qwen'];

type Json = Record<string, unknown>;

export interface FamilySpec {
  id: FamilyId;
  label: string;
  /** Layouts the family is published in (onnx-community's transformers.js, Microsoft's onnxruntime-genai). */
  layouts: ('transformersjs' | 'genai')[];
  shape: ModelShape;
  arch: Architecture;
  tokenizer: TokenizerSpec;
  /** config.json's family fields (dimensions are added from the shape). */
  config: (t: FamilyTokenizerFiles) => Json;
  generationConfig: (t: FamilyTokenizerFiles) => Json;
  /** genai_config.json's model.type, ids and search section, for the genai layout. */
  genai?: { type: string; bos: string; eos: string[]; pad: string; search: Json };
  /** Tokens that end an answer (the engine must stop at each). */
  endOfTurn: string[];
  evidence: string[];
}

const TINY = { hiddenSize: 64, numLayers: 2, intermediateSize: 128, vocabSize: 512, maxPositions: 2048 };

const tokens = (special: string[], plain: string[] = []): { content: string; special: boolean }[] => [
  ...special.map((content) => ({ content, special: true })),
  ...plain.map((content) => ({ content, special: false })),
];

// Qwen2.5's added tokens (published tokenizer_config.json added_tokens_decoder, ids 151643-151664):
// <tool_call> and the FIM tokens are added but not special.
const QWEN_SPECIAL = ['<|endoftext|>', '<|im_start|>', '<|im_end|>', '<|object_ref_start|>', '<|object_ref_end|>', '<|box_start|>', '<|box_end|>', '<|quad_start|>', '<|quad_end|>', '<|vision_start|>', '<|vision_end|>', '<|vision_pad|>', '<|image_pad|>', '<|video_pad|>'];
const QWEN_PLAIN = ['<tool_call>', '</tool_call>', '<|fim_prefix|>', '<|fim_middle|>', '<|fim_suffix|>', '<|fim_pad|>', '<|repo_name|>', '<|file_sep|>'];

const qwen25Tokenizer: TokenizerSpec = {
  addedTokens: tokens(QWEN_SPECIAL, QWEN_PLAIN),
  bosToken: null,
  eosToken: '<|im_end|>',
  padToken: '<|endoftext|>',
  additionalSpecialTokens: QWEN_SPECIAL.slice(1),
  chatTemplate: QWEN25_TEMPLATE,
  tokenizerClass: 'Qwen2Tokenizer',
  addBosToken: false,
};

const qwen2Config = (t: FamilyTokenizerFiles, tied: boolean): Json => ({
  architectures: ['Qwen2ForCausalLM'],
  model_type: 'qwen2',
  hidden_act: 'silu',
  bos_token_id: t.idOf('<|endoftext|>'),
  eos_token_id: t.idOf('<|im_end|>'),
  sliding_window: 32768,
  use_sliding_window: false,
  max_window_layers: 21,
  tie_word_embeddings: tied,
});

// Qwen2.5-Instruct generation_config.json (published): eos [<|im_end|>, <|endoftext|>].
const qwenGeneration = (t: FamilyTokenizerFiles, sampling: Json): Json => ({
  bos_token_id: t.idOf('<|endoftext|>'),
  eos_token_id: [t.idOf('<|im_end|>'), t.idOf('<|endoftext|>')],
  pad_token_id: t.idOf('<|endoftext|>'),
  do_sample: true,
  ...sampling,
});
const QWEN25_SAMPLING = { temperature: 0.7, top_k: 20, top_p: 0.8, repetition_penalty: 1.05 };

const shape = (heads: number, kvHeads: number, headDim: number, ropeTheta: number, rmsNormEps: number): ModelShape => ({
  ...TINY,
  numHeads: heads,
  numKvHeads: kvHeads,
  headDim,
  ropeTheta,
  rmsNormEps,
});
const plainArch = (s: ModelShape, o: Partial<Architecture>): Architecture => ({
  qkvBias: false,
  qkNorm: false,
  gemma: false,
  tiedEmbeddings: true,
  rotaryDim: s.headDim,
  rope: { type: 'default' },
  ...o,
});

const qwen25Shape = shape(4, 2, 16, 1000000, 1e-6);
const qwen25: FamilySpec = {
  id: 'qwen2.5',
  label: 'Qwen2.5',
  layouts: ['transformersjs'],
  shape: qwen25Shape,
  arch: plainArch(qwen25Shape, { qkvBias: true }),
  tokenizer: qwen25Tokenizer,
  config: (t) => qwen2Config(t, true),
  generationConfig: (t) => qwenGeneration(t, QWEN25_SAMPLING),
  endOfTurn: ['<|im_end|>', '<|endoftext|>'],
  evidence: [
    'https://huggingface.co/onnx-community/Qwen2.5-0.5B-Instruct/tree/main (config.json, generation_config.json, tokenizer files; models/catalog.json evidence)',
    'config.json (qwen2, q/k/v bias, tie_word_embeddings true, eos 151645) and generation_config.json (eos [151645, 151643], temperature 0.7, top_p 0.8, top_k 20, repetition_penalty 1.05): not re-checked',
  ],
};

const qwen25Coder: FamilySpec = {
  ...qwen25,
  id: 'qwen2.5-coder',
  label: 'Qwen2.5-Coder',
  evidence: [
    'https://huggingface.co/onnx-community/Qwen2.5-Coder-0.5B-Instruct (same qwen2 config and ChatML template as Qwen2.5; FIM tokens <|fim_prefix|>/<|fim_middle|>/<|fim_suffix|> in the tokenizer)',
  ],
};

// Qwen3-0.6B: 16 heads x head_dim 128 over hidden 1024 (head_dim != hidden / heads), q/k norms, no
// q/k/v bias, tied embeddings; <think> and </think> are added, not special (kept in decoded text).
const qwen3Shape = shape(4, 2, 32, 1000000, 1e-6);
const qwen3: FamilySpec = {
  id: 'qwen3',
  label: 'Qwen3',
  layouts: ['transformersjs'],
  shape: qwen3Shape,
  arch: plainArch(qwen3Shape, { qkNorm: true }),
  tokenizer: {
    ...qwen25Tokenizer,
    addedTokens: tokens(QWEN_SPECIAL, [...QWEN_PLAIN, '<tool_response>', '</tool_response>', '<think>', '</think>']),
    chatTemplate: QWEN3_TEMPLATE,
  },
  config: (t) => ({
    architectures: ['Qwen3ForCausalLM'],
    model_type: 'qwen3',
    hidden_act: 'silu',
    attention_bias: false,
    bos_token_id: t.idOf('<|endoftext|>'),
    eos_token_id: t.idOf('<|im_end|>'),
    rope_scaling: null,
    sliding_window: null,
    use_sliding_window: false,
    tie_word_embeddings: true,
  }),
  generationConfig: (t) => qwenGeneration(t, { temperature: 0.6, top_k: 20, top_p: 0.95 }),
  endOfTurn: ['<|im_end|>', '<|endoftext|>'],
  evidence: [
    'Qwen/Qwen3-4B config.json and tokenizer_config.json as quoted by akougkas/warpio-cli model_cards/qwen3:4b.md (qwen3, head_dim 128 with hidden 2560 / 32 heads, no attention bias, tie_word_embeddings true, bos 151643, eos 151645; <|endoftext|> 151643, <|im_start|> 151644, <|im_end|> 151645)',
    'https://huggingface.co/Qwen/Qwen3-0.6B model card (16 Q / 8 KV heads, 28 layers; thinking switched by enable_thinking); fitmyllm.com/model/qwen3-0.6b (head dim 128)',
    'generation_config.json eos [151645, 151643], temperature 0.6, top_k 20, top_p 0.95: not re-checked',
  ],
};

const deepseekShape = shape(4, 2, 16, 10000, 1e-6);
const deepseek: FamilySpec = {
  id: 'deepseek-r1-distill-qwen',
  label: 'DeepSeek-R1-Distill-Qwen',
  layouts: ['transformersjs'],
  shape: deepseekShape,
  arch: plainArch(deepseekShape, { qkvBias: true, tiedEmbeddings: false }),
  tokenizer: {
    addedTokens: tokens(['<｜end▁of▁sentence｜>', '<｜User｜>', '<｜Assistant｜>', '<｜begin▁of▁sentence｜>', '<|EOT|>'], ['<think>', '</think>']),
    bosToken: '<｜begin▁of▁sentence｜>',
    eosToken: '<｜end▁of▁sentence｜>',
    padToken: '<｜end▁of▁sentence｜>',
    additionalSpecialTokens: [],
    chatTemplate: DEEPSEEK_R1_TEMPLATE,
    tokenizerClass: 'LlamaTokenizerFast',
    addBosToken: true,
  },
  // Published: config.json bos 151643 (= <｜end▁of▁sentence｜>), eos 151643; generation_config bos 151646.
  config: (t) => ({
    architectures: ['Qwen2ForCausalLM'],
    model_type: 'qwen2',
    hidden_act: 'silu',
    bos_token_id: t.idOf('<｜end▁of▁sentence｜>'),
    eos_token_id: t.idOf('<｜end▁of▁sentence｜>'),
    sliding_window: 4096,
    use_sliding_window: false,
    tie_word_embeddings: false,
  }),
  generationConfig: (t) => ({
    bos_token_id: t.idOf('<｜begin▁of▁sentence｜>'),
    eos_token_id: t.idOf('<｜end▁of▁sentence｜>'),
    do_sample: true,
    temperature: 0.6,
    top_p: 0.95,
  }),
  endOfTurn: ['<｜end▁of▁sentence｜>'],
  evidence: [
    'radxa-docs ax-m1 ds-r1-qwen-1.5b.md (tokenizer output: 151646 <｜begin▁of▁sentence｜>); instill-ai/models README (based on Qwen2.5-Math-1.5B)',
    'prompt format <｜begin▁of▁sentence｜>{system}<｜User｜>...<｜Assistant｜><think>\\n, earlier answers cut at </think>: several stored repositories that reproduce the template',
    'config.json (qwen2, tie_word_embeddings false, rope_theta 10000, bos/eos 151643): not re-checked',
  ],
};

// Llama 3.2 1B/3B: llama3 rope scaling (factor 32, low 1, high 4, original 8192), rope_theta 500000;
// config.json's eos is <|end_of_text|> alone, generation_config.json's [<|end_of_text|>, <|eom_id|>,
// <|eot_id|>], tokenizer_config.json's <|eot_id|>: the end of a turn comes from generation_config.json.
const LLAMA_SPECIAL = ['<|begin_of_text|>', '<|end_of_text|>', '<|reserved_special_token_0|>', '<|reserved_special_token_1|>', '<|finetune_right_pad_id|>', '<|reserved_special_token_2|>', '<|start_header_id|>', '<|end_header_id|>', '<|eom_id|>', '<|eot_id|>', '<|python_tag|>'];
const LLAMA_EOS = ['<|end_of_text|>', '<|eom_id|>', '<|eot_id|>'];
const llamaShape = shape(4, 2, 16, 500000, 1e-5);
const llamaRope = { factor: 32, lowFreqFactor: 1, highFreqFactor: 4, originalMaxPositions: 8192 };
const llama32: FamilySpec = {
  id: 'llama3.2',
  label: 'Llama 3.2',
  layouts: ['transformersjs'],
  shape: llamaShape,
  arch: plainArch(llamaShape, { rope: { type: 'llama3', ...llamaRope } }),
  tokenizer: {
    addedTokens: tokens(LLAMA_SPECIAL),
    bosToken: '<|begin_of_text|>',
    eosToken: '<|eot_id|>',
    padToken: null,
    additionalSpecialTokens: [],
    chatTemplate: LLAMA32_TEMPLATE,
    tokenizerClass: 'PreTrainedTokenizerFast',
    addBosToken: true,
  },
  config: (t) => ({
    architectures: ['LlamaForCausalLM'],
    model_type: 'llama',
    hidden_act: 'silu',
    attention_bias: false,
    mlp_bias: false,
    pretraining_tp: 1,
    bos_token_id: t.idOf('<|begin_of_text|>'),
    eos_token_id: t.idOf('<|end_of_text|>'),
    rope_scaling: {
      factor: llamaRope.factor,
      high_freq_factor: llamaRope.highFreqFactor,
      low_freq_factor: llamaRope.lowFreqFactor,
      original_max_position_embeddings: llamaRope.originalMaxPositions,
      rope_type: 'llama3',
    },
    tie_word_embeddings: true,
  }),
  generationConfig: (t) => ({
    bos_token_id: t.idOf('<|begin_of_text|>'),
    eos_token_id: LLAMA_EOS.map(t.idOf),
    do_sample: true,
    temperature: 0.6,
    top_p: 0.9,
  }),
  endOfTurn: LLAMA_EOS,
  evidence: [
    'meta-llama/Llama-3.2-1B-Instruct config.json as quoted by kevinstephano/thunder_model_blocks hf_llama/llama_config.py (commit 4e20de3: llama, head_dim 64, rope_scaling llama3 factor 32 / low 1 / high 4 / original 8192, rope_theta 500000, tie_word_embeddings true, bos 128000, eos 128001); Llama-3.2-3B the same in citsjtu2020/LLM-Prof sglang/Model_Config.md',
    'vLLM tests/tokenization/test_get_eos.py: meta-llama/Llama-3.2-1B-Instruct tokenizer eos 128009, generation_config eos [128001, 128008, 128009]',
  ],
};

// gemma-3-1b-it: 4 heads / 1 KV head of head_dim 256 over hidden 1152, query_pre_attn_scalar 256,
// sliding_window 512 (every 6th layer global), rope_local_base_freq 10000 on the sliding layers.
// The tiny model's two layers are both sliding layers of that pattern, so its tables use 10000;
// prompts in the tests stay under the 512-token window, inside which sliding attention is full.
// A SentencePiece-style vocabulary spends 352 ids on bytes and characters: 1024 leaves room for merges.
const gemmaShape: ModelShape = { ...shape(4, 1, 256, 10000, 1e-6), vocabSize: 1024 };
const gemma3: FamilySpec = {
  id: 'gemma3',
  label: 'Gemma 3',
  layouts: ['transformersjs'],
  shape: gemmaShape,
  arch: plainArch(gemmaShape, { qkNorm: true, gemma: true }),
  tokenizer: {
    addedTokens: tokens(['<pad>', '<eos>', '<bos>', '<unk>', '<mask>', '<start_of_turn>', '<end_of_turn>', '<start_of_image>', '<end_of_image>', '<image_soft_token>']),
    bosToken: '<bos>',
    eosToken: '<eos>',
    padToken: '<pad>',
    unkToken: '<unk>',
    additionalSpecialTokens: ['<start_of_turn>', '<end_of_turn>'],
    chatTemplate: GEMMA3_TEMPLATE,
    tokenizerClass: 'GemmaTokenizer',
    addBosToken: true,
    style: 'gemma',
  },
  config: (t) => ({
    architectures: ['Gemma3ForCausalLM'],
    model_type: 'gemma3_text',
    hidden_activation: 'gelu_pytorch_tanh',
    attention_bias: false,
    attn_logit_softcapping: null,
    final_logit_softcapping: null,
    query_pre_attn_scalar: 256,
    rope_theta: 1000000,
    rope_local_base_freq: 10000,
    rope_scaling: null,
    sliding_window: 512,
    sliding_window_pattern: 6,
    bos_token_id: t.idOf('<bos>'),
    eos_token_id: [t.idOf('<eos>'), t.idOf('<end_of_turn>')],
    pad_token_id: t.idOf('<pad>'),
    tie_word_embeddings: true,
  }),
  generationConfig: (t) => ({
    bos_token_id: t.idOf('<bos>'),
    eos_token_id: [t.idOf('<eos>'), t.idOf('<end_of_turn>')],
    pad_token_id: t.idOf('<pad>'),
    cache_implementation: 'hybrid',
    do_sample: true,
    top_k: 64,
    top_p: 0.95,
  }),
  endOfTurn: ['<end_of_turn>', '<eos>'],
  evidence: [
    'https://ollama.com/sam860/gemma3:270m/blobs/29005e200100 (GGUF metadata: 4 heads / 1 KV head, key_length 256, sliding_window 512, attn_q_norm / attn_k_norm, post_attention_norm, post_ffw_norm; <pad> 0, <eos> 1, <bos> 2, add_bos_token true)',
    'simaai/gemma-3-4b-it-a16w4 devkit/vlm_config.json (gemma3_text: head_dim 256, query_pre_attn_scalar 256, rope_theta 1000000, rope_local_base_freq 10000, gelu_tanh, norms pre_attn / post_attn / pre_ffn / post_ffn / qk_norm, (1 + w) RMSNorm, no softcapping)',
    'gemma3-1b-it config.json as quoted in a Flax port README (find_string "rope_local_base_freq": 10000): Gemma3ForCausalLM, gemma3_text, eos [1, 106], bos 2, pad 0, head_dim 256, hidden 1152, 4/1 heads, 26 layers, sliding_window 512, sliding_window_pattern 6, cache_implementation hybrid',
    'tokenizer.json pipeline (normalizer Replace " " -> ▁, pre_tokenizer Split " " MergedWithPrevious, BPE, TemplateProcessing adding <bos>; <pad> 0, <eos> 1, <bos> 2, <unk> 3): a stored Swift test fixture of a Gemma tokenizer; byte_fallback and the decoder (Replace, ByteFallback, Fuse): not re-checked',
    'generation_config.json eos [1, 106], top_k 64, top_p 0.95: not re-checked (a stored script sets <end_of_turn> as EOS by hand, the tokenizer saying <eos>)',
  ],
};

// SmolLM2-360M/1.7B-Instruct: llama architecture, ChatML with <|im_start|> as BOS (id 1) and
// <|im_end|> as EOS (id 2), tied embeddings, rope_theta 100000.
const smolShape = shape(4, 2, 16, 100000, 1e-5);
const SMOL_SPECIAL = ['<|endoftext|>', '<|im_start|>', '<|im_end|>', '<repo_name>', '<reponame>', '<file_sep>', '<filename>', '<gh_stars>', '<issue_start>', '<issue_comment>', '<issue_closed>', '<jupyter_start>', '<jupyter_text>', '<jupyter_code>', '<jupyter_output>', '<jupyter_script>', '<empty_output>'];
const smollm2: FamilySpec = {
  id: 'smollm2',
  label: 'SmolLM2',
  layouts: ['transformersjs'],
  shape: smolShape,
  arch: plainArch(smolShape, {}),
  tokenizer: {
    addedTokens: tokens(SMOL_SPECIAL),
    bosToken: '<|im_start|>',
    eosToken: '<|im_end|>',
    padToken: '<|im_end|>',
    unkToken: '<|endoftext|>',
    additionalSpecialTokens: ['<|im_start|>', '<|im_end|>'],
    chatTemplate: SMOLLM2_TEMPLATE,
    tokenizerClass: 'GPT2Tokenizer',
    addBosToken: false,
  },
  config: (t) => ({
    architectures: ['LlamaForCausalLM'],
    model_type: 'llama',
    hidden_act: 'silu',
    attention_bias: false,
    mlp_bias: false,
    pretraining_tp: 1,
    rope_scaling: null,
    bos_token_id: t.idOf('<|im_start|>'),
    eos_token_id: t.idOf('<|im_end|>'),
    pad_token_id: t.idOf('<|im_end|>'),
    tie_word_embeddings: true,
  }),
  generationConfig: (t) => ({ bos_token_id: t.idOf('<|im_start|>'), eos_token_id: t.idOf('<|im_end|>'), pad_token_id: t.idOf('<|im_end|>') }),
  endOfTurn: ['<|im_end|>'],
  evidence: [
    'https://huggingface.co/HuggingFaceTB/SmolLM2-360M-Instruct (onnx/ in the transformers.js layout; models/catalog.json)',
    'SmolLM2 chat template quoted verbatim in a stored Kotlin test (default system prompt "You are a helpful AI assistant named SmolLM, trained by Hugging Face"); special tokens <|endoftext|> 0, <|im_start|> 1, <|im_end|> 2 in a stored F# port',
    'config.json (llama, bos 1, eos 2, pad 2, rope_theta 100000, tie_word_embeddings true) and the other added tokens: not re-checked',
  ],
};

// Phi-3.5-mini-instruct (onnxruntime-genai): 32/32 heads of 96, longrope (original 4096, max 131072),
// eos [<|end|>, <|assistant|>, <|endoftext|>] = [32007, 32001, 32000] in genai_config.json while
// tokenizer_config.json's eos_token is <|endoftext|>.
const PHI35_SPECIAL = ['<unk>', '<s>', '</s>', '<|endoftext|>', '<|assistant|>', '<|placeholder1|>', '<|placeholder2|>', '<|placeholder3|>', '<|placeholder4|>', '<|system|>', '<|end|>', '<|placeholder5|>', '<|placeholder6|>', '<|user|>'];
const phiShape = (kvHeads: number): ModelShape => shape(4, kvHeads, 16, 10000, 1e-5);
/** Deterministic longrope factors (the real ones are fitted per frequency; only their use matters here). */
const longropeFactors = (n: number, from: number, to: number): number[] => Array.from({ length: n }, (_, i) => Number((from + ((to - from) * i) / Math.max(1, n - 1)).toFixed(4)));
// Phi's original 4096 of 131072 positions, scaled to the tiny model's 512 of 2048: the same
// attention-factor formula, and short factors for every prompt the tests feed (< 512 tokens).
const phiRope = (rotaryDim: number) => ({
  type: 'longrope' as const,
  shortFactor: longropeFactors(rotaryDim / 2, 1, 1.5),
  longFactor: longropeFactors(rotaryDim / 2, 1, 40),
  originalMaxPositions: 512,
  maxPositions: TINY.maxPositions,
});
/** Phi-3 config.json fields (microsoft's ONNX folders ship config.json beside genai_config.json). */
const phiConfig = (t: FamilyTokenizerFiles, o: { rotaryDim: number; partial?: number; bos: string; tied: boolean }): Json => {
  const rope = phiRope(o.rotaryDim);
  return {
    architectures: ['Phi3ForCausalLM'],
    model_type: 'phi3',
    hidden_act: 'silu',
    attention_bias: false,
    ...(o.partial ? { partial_rotary_factor: o.partial } : {}),
    original_max_position_embeddings: rope.originalMaxPositions,
    rope_scaling: { type: 'longrope', short_factor: rope.shortFactor, long_factor: rope.longFactor },
    bos_token_id: t.idOf(o.bos),
    eos_token_id: t.idOf('<|endoftext|>'),
    pad_token_id: t.idOf('<|endoftext|>'),
    tie_word_embeddings: o.tied,
  };
};
const phiGenaiSearch = { do_sample: false, temperature: 1, top_k: 1, top_p: 1, repetition_penalty: 1 };
const phi35Shape: ModelShape = { ...phiShape(4), vocabSize: 1024 };
const phi35: FamilySpec = {
  id: 'phi3.5',
  label: 'Phi-3.5-mini',
  layouts: ['genai'],
  shape: phi35Shape,
  arch: plainArch(phi35Shape, { tiedEmbeddings: false, rope: phiRope(16) }),
  tokenizer: {
    addedTokens: tokens(PHI35_SPECIAL),
    bosToken: '<s>',
    eosToken: '<|endoftext|>',
    padToken: '<|endoftext|>',
    unkToken: '<unk>',
    additionalSpecialTokens: [],
    chatTemplate: PHI35_TEMPLATE,
    tokenizerClass: 'LlamaTokenizer',
    addBosToken: false,
    style: 'llama',
  },
  config: (t) => phiConfig(t, { rotaryDim: 16, bos: '<s>', tied: false }),
  generationConfig: (t) => ({ bos_token_id: t.idOf('<s>'), eos_token_id: ['<|end|>', '<|assistant|>', '<|endoftext|>'].map(t.idOf), pad_token_id: t.idOf('<|endoftext|>') }),
  genai: { type: 'phi3', bos: '<s>', eos: ['<|end|>', '<|assistant|>', '<|endoftext|>'], pad: '<|endoftext|>', search: phiGenaiSearch },
  endOfTurn: ['<|end|>', '<|assistant|>', '<|endoftext|>'],
  evidence: [
    'https://huggingface.co/microsoft/Phi-3.5-mini-instruct-onnx README (onnxruntime-genai; cpu_and_mobile/cpu-int4-awq-block-128-acc-level-4; prompt <|user|>...<|end|><|assistant|>)',
    'https://onnxruntime.ai/docs/genai/reference/config.html (genai_config.json input/output names input_ids, attention_mask, past_key_values.%d.key|value, logits, present.%d.key|value; no position_ids for phi3)',
    'EOS ids [32007, 32001, 32000] (<|end|>, <|assistant|>, <|endoftext|>), pad 32000, bos 1, n-vocab 32064: several stored repositories, e.g. a Genie config written from Phi-3.5 genai_config.json',
    'tokenizer.json pipeline of the Llama 2 family (normalizer Prepend ▁ + Replace " " -> ▁, no pre_tokenizer, decoder Replace / ByteFallback / Fuse / Strip 1, BPE byte_fallback, <unk> <s> </s> at 0-2): several stored converters and fixtures; Phi-3.5 uses it (LlamaTokenizer): not re-checked',
    'head_size 96, 32/32 heads; config.json longrope with original_max_position_embeddings 4096: not re-checked',
  ],
};

// Phi-4-mini-instruct (onnxruntime-genai): 24 heads / 8 KV of 128, partial_rotary_factor 0.75,
// longrope, tied embeddings, eos [<|end|>, <|endoftext|>] = [200020, 199999].
const PHI4_SPECIAL = ['<|endoftext|>', '<|assistant|>', '<|end|>', '<|user|>', '<|system|>', '<|tool|>', '<|/tool|>', '<|tool_call|>', '<|/tool_call|>', '<|tool_response|>', '<|tag|>'];
// GroupQueryAttention wants the cos cache's width (rotary_dim / 2) a multiple of 8: head_dim 64
// keeps 0.75 of it (48 rotary dims, as the real 96 of 128 do). Hidden 256 keeps head_dim =
// hidden / heads, as in the real model, whose config.json states no head_dim.
const phi4Shape: ModelShape = { ...phiShape(2), hiddenSize: 256, headDim: 64 };
const phi4Mini: FamilySpec = {
  id: 'phi4-mini',
  label: 'Phi-4-mini',
  // Also onnx-community/Phi-4-mini-instruct-ONNX-GQA: transformers.js layout, GroupQueryAttention.
  layouts: ['genai', 'transformersjs'],
  shape: phi4Shape,
  arch: plainArch(phi4Shape, { rotaryDim: 48, rope: phiRope(48) }),
  tokenizer: {
    addedTokens: tokens(PHI4_SPECIAL),
    bosToken: '<|endoftext|>',
    eosToken: '<|endoftext|>',
    padToken: '<|endoftext|>',
    unkToken: '<|endoftext|>',
    additionalSpecialTokens: [],
    chatTemplate: PHI4_MINI_TEMPLATE,
    tokenizerClass: 'GPT2Tokenizer',
    addBosToken: false,
  },
  config: (t) => phiConfig(t, { rotaryDim: 48, partial: 0.75, bos: '<|endoftext|>', tied: true }),
  generationConfig: (t) => ({ bos_token_id: t.idOf('<|endoftext|>'), eos_token_id: [t.idOf('<|end|>'), t.idOf('<|endoftext|>')], pad_token_id: t.idOf('<|endoftext|>') }),
  genai: { type: 'phi3', bos: '<|endoftext|>', eos: ['<|end|>', '<|endoftext|>'], pad: '<|endoftext|>', search: phiGenaiSearch },
  endOfTurn: ['<|end|>', '<|endoftext|>'],
  evidence: [
    'https://onnxruntime.ai/docs/genai/reference/config.html (its example genai_config.json is Phi-4-mini-instruct\'s: bos 199999, context_length 131072, head_size 128, hidden 3072, 24/8 heads, 32 layers, eos [200020, 199999], pad 199999, type phi3, vocab 200064, no position_ids input, past_present_share_buffer true, top_k 1)',
    'https://huggingface.co/microsoft/Phi-4-mini-instruct/blob/main/config.json (partial_rotary_factor 0.75, rope_scaling longrope, tie_word_embeddings true)',
    'https://huggingface.co/microsoft/Phi-4-mini-instruct-onnx/tree/main/cpu_and_mobile/cpu-int4-rtn-block-32-acc-level-4 (config.json, genai_config.json, model.onnx + model.onnx.data, tokenizer.json, tokenizer_config.json, special_tokens_map.json, ...)',
    'https://huggingface.co/onnx-community/Phi-4-mini-instruct-ONNX-GQA/tree/main/onnx (transformers.js layout with GroupQueryAttention: onnx/model_q4f16.onnx + model_q4f16.onnx_data)',
    'Phi-4-mini-instruct model card: chat format <|system|>...<|end|><|user|>...<|end|><|assistant|>, tools between <|tool|> and <|/tool|>',
  ],
};

export const FAMILIES: Record<FamilyId, FamilySpec> = {
  'qwen2.5': qwen25,
  'qwen2.5-coder': qwen25Coder,
  qwen3,
  'llama3.2': llama32,
  gemma3,
  'phi3.5': phi35,
  'phi4-mini': phi4Mini,
  smollm2,
  'deepseek-r1-distill-qwen': deepseek,
};
