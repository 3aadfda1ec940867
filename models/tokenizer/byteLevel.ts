// GPT-2's byte-to-unicode table, which byte-level BPE vocabularies are written in.

/** Byte values in vocabulary order: printable bytes map to themselves, the rest to U+0100 onwards. */
function byteOrder(): number[] {
  const bytes: number[] = [];
  for (let b = 33; b <= 126; b++) bytes.push(b);
  for (let b = 161; b <= 172; b++) bytes.push(b);
  for (let b = 174; b <= 255; b++) bytes.push(b);
  return bytes;
}

/** [byte value, its character] in the order the base vocabulary lists them (ids 0..255). */
export function byteLevelAlphabet(): [number, string][] {
  const printable = byteOrder();
  const inTable = new Set(printable);
  const out: [number, string][] = printable.map((b) => [b, String.fromCharCode(b)]);
  let extra = 0;
  for (let b = 0; b < 256; b++) {
    if (!inTable.has(b)) out.push([b, String.fromCharCode(256 + extra++)]);
  }
  return out;
}

const charOfByte = new Map(byteLevelAlphabet());

export function toByteLevel(text: string): string {
  let out = '';
  for (const b of new TextEncoder().encode(text)) out += charOfByte.get(b);
  return out;
}
