// A SentencePiece-style BPE in tokenizer.json form, as Llama 2 / Phi-3 ("legacy": a ▁ prepended,
// spaces as ▁, no pre-tokenizer, decoder strips the first space) and Gemma (spaces as ▁, split
// after spaces, nothing stripped) publish theirs: <0x00>..<0xFF> byte-fallback tokens, the
// printable ASCII characters, then the merges learned by the byte-level trainer on the same corpus,
// rewritten with ▁ for spaces.
import { trainByteLevelBpe } from './bpeTrainer';
import { byteLevelAlphabet } from './byteLevel';
import { TRAINING_CORPUS } from './corpus';

export type SentencePieceStyle = 'llama' | 'gemma';

const SPACE = '▁';
const byteOfChar = new Map(byteLevelAlphabet().map(([b, c]) => [c, b]));

/** A byte-level token as SentencePiece text (▁ for spaces); undefined when it is not whole printable UTF-8. */
function fromByteLevel(token: string): string | undefined {
  const bytes = Uint8Array.from([...token].map((c) => byteOfChar.get(c) ?? -1));
  if (bytes.some((b) => b < 0)) return undefined;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(text)) return undefined;
  return text.replaceAll(' ', SPACE);
}

/**
 * Vocabulary (regular tokens, ids 0..regular-1) and merges; Gemma-style `<unusedN>` tokens fill it
 * to exactly `regular`.
 */
function vocabulary(regular: number): { tokens: string[]; merges: [string, string][] } {
  const tokens: string[] = [];
  const known = new Set<string>();
  const add = (t: string): void => {
    if (known.has(t) || tokens.length >= regular) return;
    known.add(t);
    tokens.push(t);
  };
  for (let b = 0; b < 256; b++) add(`<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`);
  add(SPACE);
  for (let c = 0x21; c <= 0x7e; c++) add(String.fromCharCode(c));
  const base = tokens.length;
  if (regular <= base) throw new Error(`A SentencePiece-style vocabulary needs more than ${base} regular tokens, not ${regular}.`);
  const bpe = trainByteLevelBpe(TRAINING_CORPUS, 256 + (regular - base));
  for (const t of bpe.tokens.slice(256)) {
    const text = fromByteLevel(t);
    if (text) add(text);
  }
  const merges: [string, string][] = [];
  for (const [a, b] of bpe.merges) {
    const [ta, tb] = [fromByteLevel(a), fromByteLevel(b)];
    if (ta && tb && known.has(ta) && known.has(tb) && known.has(ta + tb)) merges.push([ta, tb]);
  }
  for (let i = 0; tokens.length < regular; i++) add(`<unused${i}>`);
  return { tokens, merges };
}

/** tokenizer.json's normalizer, pre_tokenizer, decoder and model for `regular` regular tokens plus the added ones after them. */
export function sentencePieceTokenizerJson(style: SentencePieceStyle, regular: number, added: string[]): Record<string, unknown> {
  const { tokens, merges } = vocabulary(regular);
  const vocab: Record<string, number> = {};
  tokens.forEach((t, id) => (vocab[t] = id));
  // Real tokenizer.json files list the special tokens in the model's vocabulary too.
  added.forEach((t, i) => (vocab[t] = regular + i));
  const spaces = { type: 'Replace', pattern: { String: ' ' }, content: SPACE };
  const decoders: object[] = [{ type: 'Replace', pattern: { String: SPACE }, content: ' ' }, { type: 'ByteFallback' }, { type: 'Fuse' }];
  return {
    normalizer: style === 'llama' ? { type: 'Sequence', normalizers: [{ type: 'Prepend', prepend: SPACE }, spaces] } : spaces,
    pre_tokenizer: style === 'llama' ? null : { type: 'Split', pattern: { String: ' ' }, behavior: 'MergedWithPrevious', invert: false },
    post_processor: null,
    decoder: { type: 'Sequence', decoders: style === 'llama' ? [...decoders, { type: 'Strip', content: ' ', start: 1, stop: 0 }] : decoders },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: '<unk>',
      continuing_subword_prefix: null,
      end_of_word_suffix: null,
      fuse_unk: true,
      byte_fallback: true,
      ignore_merges: false,
      vocab,
      merges,
    },
  };
}
