// tokenizer.json / tokenizer_config.json / special_tokens_map.json for the test models: a Qwen2-style
// byte-level BPE whose size equals the model's vocab_size (regular tokens + 3 special tokens).
import { QWEN2_SPLIT_PATTERN, trainByteLevelBpe } from './bpeTrainer';
import { TRAINING_CORPUS } from './corpus';

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

export function buildTokenizerFiles(vocabSize: number, modelMaxLength: number): TokenizerFiles {
  const key = `${vocabSize}:${modelMaxLength}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const regular = vocabSize - SPECIAL_TOKENS.length;
  const bpe = trainByteLevelBpe(TRAINING_CORPUS, regular);
  const vocab: Record<string, number> = {};
  bpe.tokens.forEach((t, id) => (vocab[t] = id));
  const special = SPECIAL_TOKENS.map((content, i) => ({ id: regular + i, content }));
  const byteLevel = { type: 'ByteLevel', add_prefix_space: false, trim_offsets: false, use_regex: false };
  const tokenizerJson = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: special.map(({ id, content }) => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true })),
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
      merges: bpe.merges,
    },
  };
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
