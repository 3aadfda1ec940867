// A remote answer's inline thinking. A server running a reasoning model without a reasoning parser
// (Ollama, vLLM, llama-server, LM Studio, OpenRouter routes) leaves the model's <think>…</think> in
// the text; the local engine's ThinkSplitter takes a block that opens the answer out of it. When the
// server's own template opened <think> in the prompt (DeepSeek-R1-Distill, QwQ), the text is the
// thought with only a `</think>` after it, and that is known only once the `</think>` arrives: what
// was passed on as answer until then was thinking (`rewind`).
import { partialTagLength, THINK_CLOSE, THINK_OPEN, ThinkSplitter, type SplitPiece } from '../../engine/thinkSplitter';

/** `rewind`: the answer text passed on so far was thinking after all. */
export type InlinePiece = SplitPiece | { kind: 'rewind' };

export class InlineThinking {
  private readonly splitter = new ThinkSplitter();
  /** Looking for a lone `</think>`: until one came, a `<think>` came first, or the answer had its own block. */
  private watching = true;
  /** Answer text held back while it could be the start of `</think>`. */
  private held = '';
  /** Whitespace right after a lone `</think>` is dropped until the answer's first real text. */
  private trimming = false;

  /** Reasoning came in its own field: the text is the answer alone (what was held back goes on as such). */
  reasoningApart(): InlinePiece[] {
    return this.trim(this.stopWatching());
  }

  push(text: string): InlinePiece[] {
    return this.trim(this.watch(this.splitter.push(text)));
  }

  flush(): InlinePiece[] {
    return this.trim([...this.watch(this.splitter.flush()), ...this.stopWatching()]);
  }

  private watch(pieces: SplitPiece[]): InlinePiece[] {
    if (!this.watching) return pieces;
    if (this.splitter.phase === 'reasoning' || pieces.some((p) => p.kind === 'reasoning')) {
      // A block at the start: the splitter's rules hold (after its </think> everything is answer).
      this.watching = false;
      return pieces;
    }
    const out: InlinePiece[] = [];
    for (const piece of pieces) {
      if (!this.watching) {
        out.push(piece);
        continue;
      }
      const text = this.held + piece.text;
      this.held = '';
      const close = text.indexOf(THINK_CLOSE);
      const open = text.indexOf(THINK_OPEN);
      if (open >= 0 && (close < 0 || open < close)) {
        // The answer writes about the tags: they stay in it.
        this.watching = false;
        out.push({ kind: 'answer', text });
      } else if (close >= 0) {
        this.watching = false;
        this.trimming = true;
        out.push({ kind: 'rewind' }, { kind: 'reasoning', text: text.slice(0, close) }, { kind: 'answer', text: text.slice(close + THINK_CLOSE.length) });
      } else {
        const keep = partialTagLength(text, THINK_CLOSE);
        out.push({ kind: 'answer', text: text.slice(0, text.length - keep) });
        this.held = text.slice(text.length - keep);
      }
    }
    return out;
  }

  private trim(pieces: InlinePiece[]): InlinePiece[] {
    const out: InlinePiece[] = [];
    for (const piece of pieces) {
      if (piece.kind === 'answer' && this.trimming) {
        const text = piece.text.replace(/^\s+/, '');
        if (!text) continue;
        this.trimming = false;
        out.push({ kind: 'answer', text });
      } else if (piece.kind === 'rewind' || piece.text) out.push(piece);
    }
    return out;
  }

  private stopWatching(): InlinePiece[] {
    this.watching = false;
    const held = this.held;
    this.held = '';
    return held ? [{ kind: 'answer', text: held }] : [];
  }
}
