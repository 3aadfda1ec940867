// A small byte-level BPE trainer: learns merges from the built-in corpus, then pads the merge list
// with synthesized word-like tokens until the vocabulary reaches the size asked for.
import { byteLevelAlphabet, toByteLevel } from './byteLevel';

/** Qwen2's pre-tokenizer pattern, in the Oniguruma syntax tokenizer.json stores. */
export const QWEN2_SPLIT_PATTERN =
  "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

/** The same pattern for JavaScript (the trainer only needs the same word boundaries). */
const SPLIT_JS = /'(?:[sStTmMdD]|[rR][eE]|[vV][eE]|[lL][lL])|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+/gu;

export interface BpeVocabulary {
  /** Token strings in id order (byte-level characters). */
  tokens: string[];
  merges: [string, string][];
}

interface Word {
  symbols: string[];
  count: number;
}

function corpusWords(corpus: string): Word[] {
  const counts = new Map<string, number>();
  for (const m of corpus.normalize('NFC').matchAll(SPLIT_JS)) {
    const w = toByteLevel(m[0]);
    counts.set(w, (counts.get(w) ?? 0) + 1);
  }
  // Sorted so the result cannot depend on Map insertion details.
  return [...counts.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([w, count]) => ({ symbols: [...w], count }));
}

function mostFrequentPair(words: Word[]): { a: string; b: string; count: number } | undefined {
  const counts = new Map<string, number>();
  for (const w of words) {
    for (let i = 0; i + 1 < w.symbols.length; i++) {
      const key = w.symbols[i] + '\u0000' + w.symbols[i + 1];
      counts.set(key, (counts.get(key) ?? 0) + w.count);
    }
  }
  let bestKey = '';
  let best = 0;
  for (const [key, count] of counts) {
    if (count > best || (count === best && key < bestKey)) {
      best = count;
      bestKey = key;
    }
  }
  if (best === 0) return undefined;
  const [a, b] = bestKey.split('\u0000');
  return { a, b, count: best };
}

function applyMerge(words: Word[], a: string, b: string): void {
  for (const w of words) {
    const s = w.symbols;
    for (let i = 0; i + 1 < s.length; i++) {
      if (s[i] === a && s[i + 1] === b) s.splice(i, 2, a + b);
    }
  }
}

/** Learns merges until `size` regular tokens exist (256 bytes + merges). */
export function trainByteLevelBpe(corpus: string, size: number): BpeVocabulary {
  if (size < 256) throw new Error(`A byte-level vocabulary needs at least 256 regular tokens, not ${size}.`);
  const tokens = byteLevelAlphabet().map(([, c]) => c);
  const known = new Set(tokens);
  const merges: [string, string][] = [];
  const add = (a: string, b: string): void => {
    merges.push([a, b]);
    tokens.push(a + b);
    known.add(a + b);
  };

  const words = corpusWords(corpus);
  while (tokens.length < size) {
    const pair = mostFrequentPair(words);
    if (!pair || pair.count < 2) break;
    applyMerge(words, pair.a, pair.b);
    // Two merge paths may spell the same token: keep the rule, add the token once.
    if (known.has(pair.a + pair.b)) merges.push([pair.a, pair.b]);
    else add(pair.a, pair.b);
  }

  // Synthesized filler: learned tokens extended by a letter, breadth first.
  const letters = [...'abcdefghijklmnopqrstuvwxyz'];
  for (let i = 256; tokens.length < size; i++) {
    const base = tokens[i];
    if (base === undefined) throw new Error('The tokenizer corpus is too small to grow the vocabulary.');
    for (const c of letters) {
      if (tokens.length >= size) break;
      if (!known.has(base + c)) add(base, c);
    }
  }
  return { tokens, merges };
}
