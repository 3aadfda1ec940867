// Splits a reasoning model's streamed output into its thinking (<think>…</think>) and its answer.
// Text arrives in arbitrary pieces, so a tag may be cut anywhere: a tail that could still become a
// tag is held back until the next piece decides it. The rules follow what the families do:
// - a thinking block is recognised only at the very start of the output (after whitespace), so a
//   `<think>` written later (an answer about the tags, code) stays answer text;
// - a template whose generation prompt already opened `<think>` (DeepSeek-R1-Distill, Qwen3's
//   thinking variants) starts the output inside it: everything up to the first `</think>` is thought;
// - one block at most: after `</think>` the rest is the answer, whatever tags it holds;
// - output that stops inside the block (end of answer, token limit, Stop) is all thought.

export const THINK_OPEN = '<think>';
export const THINK_CLOSE = '</think>';

export interface SplitPiece {
  kind: 'reasoning' | 'answer';
  text: string;
}

/** `start`: nothing but whitespace seen yet; `reasoning`: inside the block; `answer`: past it (or there was none). */
export type SplitPhase = 'start' | 'reasoning' | 'answer';

export class ThinkSplitter {
  private state: SplitPhase;
  /** Text held back: leading whitespace and a possible `<think>` at the start, or a possible `</think>` inside. */
  private held = '';
  /** Whitespace right after a tag is dropped (`<think>\n`, `</think>\n\n`) until real text comes. */
  private trimming: boolean;

  constructor(options: { startsInside?: boolean } = {}) {
    this.state = options.startsInside ? 'reasoning' : 'start';
    this.trimming = !!options.startsInside;
  }

  get phase(): SplitPhase {
    return this.state;
  }

  push(text: string): SplitPiece[] {
    const out: SplitPiece[] = [];
    let rest = this.held + text;
    this.held = '';
    while (rest) {
      if (this.state === 'start') {
        const lead = /^\s*/.exec(rest)?.[0] ?? '';
        const after = rest.slice(lead.length);
        if (after.startsWith(THINK_OPEN)) {
          this.state = 'reasoning';
          this.trimming = true;
          rest = after.slice(THINK_OPEN.length);
          continue;
        }
        if (THINK_OPEN.startsWith(after)) {
          // Only whitespace, or whitespace and the start of `<think>`: wait for more.
          this.held = rest;
          break;
        }
        this.state = 'answer';
        continue;
      }
      if (this.state === 'answer') {
        if (this.trimming) {
          rest = rest.replace(/^\s+/, '');
          if (!rest) break;
          this.trimming = false;
        }
        out.push({ kind: 'answer', text: rest });
        break;
      }
      // Inside the block.
      if (this.trimming) {
        rest = rest.replace(/^\s+/, '');
        if (!rest) break;
        this.trimming = false;
      }
      const close = rest.indexOf(THINK_CLOSE);
      if (close >= 0) {
        if (close > 0) out.push({ kind: 'reasoning', text: rest.slice(0, close) });
        this.state = 'answer';
        this.trimming = true;
        rest = rest.slice(close + THINK_CLOSE.length);
        continue;
      }
      const keep = partialTagLength(rest, THINK_CLOSE);
      if (rest.length > keep) out.push({ kind: 'reasoning', text: rest.slice(0, rest.length - keep) });
      this.held = rest.slice(rest.length - keep);
      break;
    }
    return merge(out);
  }

  /** The end of the output: what was held back is what it looked like (an unclosed block stays thought). */
  flush(): SplitPiece[] {
    const held = this.held;
    this.held = '';
    if (!held) return [];
    if (this.state === 'reasoning') return [{ kind: 'reasoning', text: held }];
    this.state = 'answer';
    return [{ kind: 'answer', text: held }];
  }
}

/** The length of the longest end of `text` that is a proper start of `tag`. */
export function partialTagLength(text: string, tag: string): number {
  for (let n = Math.min(tag.length - 1, text.length); n > 0; n--) {
    if (tag.startsWith(text.slice(text.length - n))) return n;
  }
  return 0;
}

function merge(pieces: SplitPiece[]): SplitPiece[] {
  const merged: SplitPiece[] = [];
  for (const piece of pieces) {
    const last = merged.at(-1);
    if (last && last.kind === piece.kind) last.text += piece.text;
    else merged.push({ ...piece });
  }
  return merged;
}

/**
 * Whether a rendered prompt leaves the model inside a thinking block: its generation prompt (what
 * `add_generation_prompt` added after the conversation) opens `<think>` without closing it.
 * `conversation` is the same prompt rendered without the generation prompt, where the template allows.
 */
export function promptOpensThinking(prompt: string, conversation: string | undefined): boolean {
  const generationPrompt = conversation !== undefined && prompt.startsWith(conversation) ? prompt.slice(conversation.length) : undefined;
  if (generationPrompt === undefined) return /<think>\s*$/.test(prompt);
  const open = generationPrompt.lastIndexOf(THINK_OPEN);
  return open >= 0 && !generationPrompt.includes(THINK_CLOSE, open);
}
