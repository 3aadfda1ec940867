// Turns a growing list of token ids into text deltas without ever splitting a character.
// Byte-level BPE tokens can end in the middle of a multi-byte UTF-8 sequence; decoding such a
// prefix yields U+FFFD. We re-decode a short window of recent tokens and hold the text back
// until it no longer ends in U+FFFD (the approach of Hugging Face's TextStreamer / TGI).

export type DecodeIds = (ids: number[]) => string;

export class StreamDecoder {
  private readonly ids: number[] = [];
  /** Start of the window that is re-decoded each step. */
  private prefixOffset = 0;
  /** End of the tokens whose text is fully emitted. */
  private readOffset = 0;
  /** Characters emitted beyond readOffset: the complete part of a token that ends mid-character. */
  private extra = 0;

  constructor(private readonly decode: DecodeIds) {}

  /** Adds one token; returns the text that is now complete (often '', sometimes several chars). */
  push(id: number): string {
    this.ids.push(id);
    const base = this.decode(this.ids.slice(this.prefixOffset, this.readOffset));
    const current = this.decode(this.ids.slice(this.prefixOffset));
    const already = base.length + this.extra;
    if (current.endsWith('\uFFFD')) {
      // Emit the complete characters before the unfinished one; keep the token boundary.
      const stable = current.replace(/\uFFFD+$/, '');
      if (stable.length <= already) return '';
      this.extra += stable.length - already;
      return stable.slice(already);
    }
    if (current.length <= base.length) return '';
    this.prefixOffset = this.readOffset;
    this.readOffset = this.ids.length;
    this.extra = 0;
    return current.length > already ? current.slice(already) : '';
  }

  /** Whatever is held back, at the end of the answer (a truly invalid byte stays U+FFFD). */
  flush(): string {
    const base = this.decode(this.ids.slice(this.prefixOffset, this.readOffset));
    const current = this.decode(this.ids.slice(this.prefixOffset));
    const already = base.length + this.extra;
    this.prefixOffset = this.readOffset = this.ids.length;
    this.extra = 0;
    return current.length > already ? current.slice(already) : '';
  }
}
