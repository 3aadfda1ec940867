import * as assert from 'node:assert/strict';
import { StreamDecoder } from '../../../src/engine/streamDecoder';

/** A byte-level vocabulary: token i is the byte sequence bytes[i], decoded like byte-level BPE (bad bytes -> U+FFFD). */
function byteVocab(pieces: number[][]): (ids: number[]) => string {
  const decoder = new TextDecoder('utf-8', { fatal: false });
  return (ids) => decoder.decode(Uint8Array.from(ids.flatMap((id) => pieces[id] ?? [])));
}

function streamAll(decode: (ids: number[]) => string, ids: number[]): string[] {
  const d = new StreamDecoder(decode);
  const out = ids.map((id) => d.push(id));
  out.push(d.flush());
  return out;
}

describe('StreamDecoder', () => {
  it('holds back a character split over several tokens until it is complete', () => {
    // "€" is E2 82 AC; "😀" is F0 9F 98 80: each byte is its own token here.
    const text = 'a€b😀';
    const bytes = [...new TextEncoder().encode(text)];
    const decode = byteVocab(bytes.map((b) => [b]));
    const deltas = streamAll(decode, bytes.map((_, i) => i));
    assert.equal(deltas.join(''), text);
    for (const delta of deltas) assert.ok(!delta.includes('\uFFFD'), `a delta split a character: ${JSON.stringify(deltas)}`);
    // The euro sign arrives whole, with its last byte.
    assert.deepEqual(deltas.slice(0, 5), ['a', '', '', '€', 'b']);
  });

  it('handles tokens that carry the end of one character and the start of the next', () => {
    const bytes = [...new TextEncoder().encode('€😀')]; // 7 bytes
    const decode = byteVocab([bytes.slice(0, 2), bytes.slice(2, 4), bytes.slice(4, 7)]);
    const deltas = streamAll(decode, [0, 1, 2]);
    assert.deepEqual(deltas, ['', '€', '😀', '']);
  });

  it('emits a truly invalid byte as U+FFFD at the end', () => {
    const decode = byteVocab([[0x68, 0x69], [0xff]]);
    assert.equal(streamAll(decode, [0, 1]).join(''), 'hi\uFFFD');
  });

  it('keeps word spacing that depends on the previous token', () => {
    // A decoder that strips a leading space of the whole text (as some tokenizers do).
    const pieces = ['Hello', ' world', ' again'];
    const decode = (ids: number[]): string => ids.map((i) => pieces[i]).join('').replace(/^ /, '');
    assert.equal(streamAll(decode, [0, 1, 2]).join(''), 'Hello world again');
  });
});
