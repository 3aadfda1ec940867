// The answers a looping model writes as one block that never closes, 200 KB each: the shapes
// that made the panel's cost per character grow with the block (issue 17).
export const SINGLE_BLOCK_CHARS = 200 * 1024;

function repeatTo(size: number, piece: (i: number) => string, head = ''): string {
  const parts = [head];
  let length = head.length;
  for (let i = 0; length < size; i++) {
    const next = piece(i);
    parts.push(next);
    length += next.length;
  }
  return parts.join('').slice(0, size);
}

const WORDS = ['the', 'model', 'keeps', 'writing', 'because', 'nothing', 'tells', 'it', 'to', 'stop', 'and', 'so', 'on'];
const word = (i: number): string => WORDS[(i * 7) % WORDS.length];

export const SINGLE_BLOCKS: Record<string, () => string> = {
  /** One paragraph, no line break at all. */
  paragraph: () => repeatTo(SINGLE_BLOCK_CHARS, (i) => `${word(i)} `),
  table: () =>
    repeatTo(SINGLE_BLOCK_CHARS, (i) => `| ${i} | ${word(i)} | \`v${i}\` | **${i % 97}** |\n`, '| row | word | code | value |\n|---|---|---|---:|\n'),
  /** One list whose items nest up to six levels deep and back, over and over. */
  'nested list': () => repeatTo(SINGLE_BLOCK_CHARS, (i) => `${'  '.repeat(i % 6)}- item ${i}: ${word(i)} *${word(i + 1)}*\n`),
  /** One quote whose lines go one to six levels deep. */
  'nested blockquote': () => repeatTo(SINGLE_BLOCK_CHARS, (i) => `${'> '.repeat(1 + (i % 6))}${word(i)} ${word(i + 3)} line ${i}\n`),
  'code block': () => repeatTo(SINGLE_BLOCK_CHARS, (i) => `  const value${i} = compute(${i}, "${word(i)}"); // step ${i}\n`, '```ts\n'),
  /** Unbalanced emphasis and brackets in one paragraph (line breaks, no blank line). */
  'emphasis/bracket runs': () =>
    repeatTo(SINGLE_BLOCK_CHARS, (i) => (i % 8 === 7 ? '\n' : `*${word(i)} **[${word(i + 1)} _(${word(i + 2)}* [`)),
};

/** Cuts `text` into deltas of `size` characters. */
export function deltas(text: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}
