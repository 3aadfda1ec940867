// tokenizer.json / tokenizer_config.json / special_tokens_map.json for the test models: a Qwen2-style
// byte-level BPE whose size equals the model's vocab_size (regular tokens + 3 special tokens).
import { QWEN2_SPLIT_PATTERN, trainByteLevelBpe } from './bpeTrainer';
import { TRAINING_CORPUS } from './corpus';
import { type SentencePieceStyle, sentencePieceTokenizerJson } from './sentencePiece';

export const SPECIAL_TOKENS = ['<|endoftext|>', '<|im_start|>', '<|im_end|>'] as const;

/** ChatML, as Qwen2.5 writes it (without tool calls). */
export const CHATML_TEMPLATE =
  "{%- if messages[0]['role'] == 'system' %}{{- '<|im_start|>system\\n' + messages[0]['content'] + '<|im_end|>\\n' }}" +
  "{%- else %}{{- '<|im_start|>system\\nYou are a helpful assistant.<|im_end|>\\n' }}{%- endif %}" +
  "{%- for message in messages %}{%- if not (loop.first and message['role'] == 'system') %}" +
  "{{- '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>\\n' }}{%- endif %}{%- endfor %}" +
  "{%- if add_generation_prompt %}{{- '<|im_start|>assistant\\n' }}{%- endif %}";

export interface TokenizerFiles {
  tokenizerJson: object;
  tokenizerConfig: object;
  specialTokensMap: object;
  /** Ids of <|endoftext|>, <|im_start|>, <|im_end|>. */
  ids: { endOfText: number; imStart: number; imEnd: number };
}

const cache = new Map<string, TokenizerFiles>();

/** A family's tokenizer: its special tokens (appended after the regular ones, in this order) and config. */
export interface TokenizerSpec {
  /** Every added token, in id order; `special: false` ones (e.g. Qwen's <think>) are kept by decode. */
  addedTokens: { content: string; special: boolean }[];
  bosToken: string | null;
  eosToken: string;
  padToken: string | null;
  unkToken?: string | null;
  additionalSpecialTokens: string[];
  chatTemplate: string;
  tokenizerClass: string;
  addBosToken: boolean;
  /** Default byte-level BPE (Qwen, Llama 3, GPT-2 style); SentencePiece-style BPE for Llama 2 / Phi-3 and Gemma. */
  style?: 'byteLevel' | SentencePieceStyle;
}

export interface FamilyTokenizerFiles {
  tokenizerJson: object;
  tokenizerConfig: object;
  specialTokensMap: object;
  /** Id of each added token, by content. */
  idOf: (content: string) => number;
}

const familyCache = new Map<string, FamilyTokenizerFiles>();

/**
 * A family's tokenizer files: the same small byte-level BPE as the Qwen2 test models, with the
 * family's special tokens and tokenizer_config.json fields, vocab_size ids in all.
 */
export function buildFamilyTokenizerFiles(spec: TokenizerSpec, vocabSize: number, modelMaxLength: number): FamilyTokenizerFiles {
  const key = JSON.stringify([spec, vocabSize, modelMaxLength]);
  const hit = familyCache.get(key);
  if (hit) return hit;
  const regular = vocabSize - spec.addedTokens.length;
  const added = spec.addedTokens.map((t, i) => ({ id: regular + i, ...t }));
  const ids = new Map(added.map((t) => [t.content, t.id]));
  const style = spec.style ?? 'byteLevel';
  let pipeline: object;
  if (style === 'byteLevel') {
    const bpe = trainByteLevelBpe(TRAINING_CORPUS, regular);
    const vocab: Record<string, number> = {};
    bpe.tokens.forEach((t, id) => (vocab[t] = id));
    pipeline = tokenizerJsonOf(vocab, bpe.merges);
  } else {
    pipeline = { version: '1.0', truncation: null, padding: null, ...sentencePieceTokenizerJson(style, regular, spec.addedTokens.map((t) => t.content)) };
  }
  const tokenizerJson = {
    ...pipeline,
    // Llama 3 and Gemma add BOS when special tokens are added; their templates write it too, so a
    // prompt must be encoded without special tokens or it starts with two.
    ...(spec.addBosToken && spec.bosToken ? { post_processor: bosTemplate(spec.bosToken, ids.get(spec.bosToken)) } : {}),
    added_tokens: added.map(({ id, content, special }) => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special })),
  };
  const tokenizerConfig = {
    add_bos_token: spec.addBosToken,
    add_eos_token: false,
    added_tokens_decoder: Object.fromEntries(
      added.map(({ id, content, special }) => [String(id), { content, lstrip: false, normalized: false, rstrip: false, single_word: false, special }]),
    ),
    additional_special_tokens: spec.additionalSpecialTokens,
    bos_token: spec.bosToken,
    chat_template: spec.chatTemplate,
    clean_up_tokenization_spaces: false,
    eos_token: spec.eosToken,
    model_max_length: modelMaxLength,
    pad_token: spec.padToken,
    tokenizer_class: spec.tokenizerClass,
    unk_token: spec.unkToken ?? null,
  };
  const specialTokensMap = {
    additional_special_tokens: spec.additionalSpecialTokens,
    ...(spec.bosToken ? { bos_token: spec.bosToken } : {}),
    eos_token: spec.eosToken,
    ...(spec.padToken ? { pad_token: spec.padToken } : {}),
  };
  const files: FamilyTokenizerFiles = {
    tokenizerJson,
    tokenizerConfig,
    specialTokensMap,
    idOf: (content) => {
      const id = ids.get(content);
      if (id === undefined) throw new Error(`The tokenizer has no added token ${content}.`);
      return id;
    },
  };
  familyCache.set(key, files);
  return files;
}

function bosTemplate(bos: string, id: number | undefined): object {
  if (id === undefined) throw new Error(`The BOS token ${bos} is not among the added tokens.`);
  return {
    type: 'TemplateProcessing',
    single: [{ SpecialToken: { id: bos, type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }],
    pair: [{ SpecialToken: { id: bos, type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: bos, type_id: 1 } }, { Sequence: { id: 'B', type_id: 1 } }],
    special_tokens: { [bos]: { id: bos, ids: [id], tokens: [bos] } },
  };
}

/** Qwen2's byte-level BPE pipeline; `addedTokens`, where given, sit where Qwen's own tokenizer.json has them. */
function tokenizerJsonOf(vocab: Record<string, number>, merges: [string, string][], addedTokens?: object[]): object {
  const byteLevel = { type: 'ByteLevel', add_prefix_space: false, trim_offsets: false, use_regex: false };
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    ...(addedTokens ? { added_tokens: addedTokens } : {}),
    normalizer: { type: 'NFC' },
    pre_tokenizer: {
      type: 'Sequence',
      pretokenizers: [{ type: 'Split', pattern: { Regex: QWEN2_SPLIT_PATTERN }, behavior: 'Isolated', invert: false }, byteLevel],
    },
    post_processor: byteLevel,
    decoder: byteLevel,
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: '',
      end_of_word_suffix: '',
      fuse_unk: false,
      byte_fallback: false,
      ignore_merges: false,
      vocab,
      merges,
    },
  };
}

export function buildTokenizerFiles(vocabSize: number, modelMaxLength: number): TokenizerFiles {
  const key = `${vocabSize}:${modelMaxLength}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const regular = vocabSize - SPECIAL_TOKENS.length;
  const bpe = trainByteLevelBpe(TRAINING_CORPUS, regular);
  const vocab: Record<string, number> = {};
  bpe.tokens.forEach((t, id) => (vocab[t] = id));
  const special = SPECIAL_TOKENS.map((content, i) => ({ id: regular + i, content }));
  const tokenizerJson = tokenizerJsonOf(
    vocab,
    bpe.merges,
    special.map(({ id, content }) => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true })),
  );
  const addedTokensDecoder = Object.fromEntries(
    special.map(({ id, content }) => [String(id), { content, lstrip: false, normalized: false, rstrip: false, single_word: false, special: true }]),
  );
  const tokenizerConfig = {
    add_bos_token: false,
    add_prefix_space: false,
    added_tokens_decoder: addedTokensDecoder,
    additional_special_tokens: ['<|im_start|>', '<|im_end|>'],
    bos_token: null,
    chat_template: CHATML_TEMPLATE,
    clean_up_tokenization_spaces: false,
    eos_token: '<|im_end|>',
    errors: 'replace',
    model_max_length: modelMaxLength,
    pad_token: '<|endoftext|>',
    split_special_tokens: false,
    tokenizer_class: 'Qwen2Tokenizer',
    unk_token: null,
  };
  const specialTokensMap = {
    additional_special_tokens: ['<|im_start|>', '<|im_end|>'],
    eos_token: '<|im_end|>',
    pad_token: '<|endoftext|>',
  };
  const files = {
    tokenizerJson,
    tokenizerConfig,
    specialTokensMap,
    ids: { endOfText: regular, imStart: regular + 1, imEnd: regular + 2 },
  };
  cache.set(key, files);
  return files;
}
