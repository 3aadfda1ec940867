// The part of an oversized markdown block that is shown as its source text (streamingMarkdown.ts
// says why). Text goes into segments of about SEGMENT_CHARS, so appending costs the same however
// long the block has grown: only the last segment is ever touched, and a full one is sealed
// (highlighted, for code) once. Where the block ends is judged from the start of each line
// alone (a closing fence; a fence or an unindented line after a blank one), never by parsing the
// block again. Every decision depends on the text only, not on how it was cut into deltas, so a
// streamed answer ends up exactly as the same answer rendered whole.
import { hasBidiControls, revealBidiControls } from './bidi';

/** Characters at the start of a line that decide whether it ends the block. */
const LINE_START_CHARS = 64;

export interface RawBlockOptions {
  /** The opening fence (``` or ~~~, three or more) when the block is fenced code. */
  fence?: string;
  /**
   * Builds a segment's shown form (highlighted code; undefined: the text as is). Segments are
   * then short, and the last one is rebuilt after each feed.
   */
  seal?(text: string): DocumentFragment | undefined;
  /** The raw part starts in the middle of a line. */
  midLine: boolean;
  /** The line before the raw part is blank. */
  afterBlankLine: boolean;
}

type Verdict = 'ends-before' | 'ends-after' | 'continues' | 'undecided';

export class RawBlock {
  /** The start of a line whose verdict is not known yet (a few characters at most). */
  private held = '';
  private atLineStart: boolean;
  private previousBlank: boolean;
  private lineHasText: boolean;
  private segment: HTMLElement | undefined;
  private segmentText: Text | undefined;
  private liveChanged = false;
  /** A segment ends at its first break at or after this many characters... */
  private readonly segmentChars: number;
  /** ...or here, when it has none. */
  private readonly hardSegmentChars: number;
  private readonly closingFence: RegExp | undefined;
  private readonly fenceChar: string | undefined;

  constructor(
    private readonly container: HTMLElement,
    private readonly options: RawBlockOptions,
  ) {
    this.atLineStart = !options.midLine;
    this.lineHasText = options.midLine;
    this.previousBlank = options.afterBlankLine;
    this.segmentChars = options.seal ? 1024 : 4096;
    this.hardSegmentChars = 2 * this.segmentChars;
    if (options.fence) {
      this.fenceChar = options.fence[0] === '~' ? '~' : '`';
      this.closingFence = new RegExp(`^ {0,3}${this.fenceChar === '~' ? '~' : '`'}{${options.fence.length},}[ \\t]*$`);
    }
  }

  /**
   * Shows `text`, which follows what was fed before. Returns the text after the block's end once
   * the block has ended ('' at the end of a final text), else undefined.
   */
  feed(text: string, final: boolean): string | undefined {
    const buffer = this.held + text;
    this.held = '';
    let pos = 0;
    while (pos < buffer.length) {
      let newline = buffer.indexOf('\n', pos);
      if (this.atLineStart) {
        const lineEnd = newline === -1 ? buffer.length : newline;
        const start = buffer.slice(pos, Math.min(lineEnd, pos + LINE_START_CHARS));
        const whole = start.length === lineEnd - pos && (newline !== -1 || final);
        const verdict = this.judge(start, whole, start.length === LINE_START_CHARS);
        if (verdict === 'undecided') {
          this.held = buffer.slice(pos);
          this.showLiveSegment();
          return undefined;
        }
        if (verdict === 'ends-before') return this.close(buffer.slice(pos));
        if (verdict === 'ends-after') return this.close(newline === -1 ? '' : buffer.slice(newline + 1));
        this.atLineStart = false;
        this.lineHasText = false;
      }
      newline = buffer.indexOf('\n', pos);
      const end = newline === -1 ? buffer.length : newline + 1;
      const piece = buffer.slice(pos, end);
      if (!this.lineHasText && /\S/.test(piece)) this.lineHasText = true;
      this.show(piece);
      pos = end;
      if (newline !== -1) {
        this.atLineStart = true;
        this.previousBlank = !this.lineHasText;
      }
    }
    if (final) return this.close('');
    this.showLiveSegment();
    return undefined;
  }

  private judge(start: string, whole: boolean, longEnough: boolean): Verdict {
    if (this.closingFence) {
      if (whole) return this.closingFence.test(start) ? 'ends-after' : 'continues';
      const couldClose = new RegExp(`^ {0,3}(?:\\${this.fenceChar}+[ \\t]*)?$`).test(start);
      return couldClose && !longEnough ? 'undecided' : 'continues';
    }
    if (/^ {0,3}(?:`{3,}|~{3,})/.test(start)) return 'ends-before';
    if (!whole && /^ {0,3}(?:`{0,2}|~{0,2})$/.test(start)) return 'undecided';
    if (!this.previousBlank) return 'continues';
    const indent = start.search(/\S/);
    if (indent === -1) return whole || longEnough ? 'continues' : 'undecided';
    return indent < 2 ? 'ends-before' : 'continues';
  }

  /** Appends to the last segment; a segment ends at its first break at or after SEGMENT_CHARS. */
  private show(piece: string): void {
    let rest = piece;
    while (rest) {
      const text = this.segmentText ?? this.openSegment();
      const length = text.length;
      let take = rest.length;
      let full = false;
      if (length + rest.length >= this.segmentChars) {
        const breakAt = this.findBreak(rest, Math.max(0, this.segmentChars - 1 - length));
        if (breakAt !== -1 && length + breakAt + 1 <= this.hardSegmentChars) {
          take = breakAt + 1;
          full = true;
        } else if (length + rest.length >= this.hardSegmentChars) {
          take = this.hardSegmentChars - length;
          full = true;
        }
      }
      text.appendData(rest.slice(0, take));
      this.liveChanged = true;
      rest = rest.slice(take);
      if (full) this.sealSegment();
    }
  }

  private findBreak(text: string, from: number): number {
    if (this.options.fence) return text.indexOf('\n', from);
    const pattern = /[ \n]/g;
    pattern.lastIndex = from;
    return pattern.exec(text)?.index ?? -1;
  }

  /** With `seal`, the last segment is shown built too (its text node is kept aside). */
  private showLiveSegment(): void {
    if (!this.options.seal || !this.segment || !this.segmentText || !this.liveChanged) return;
    this.liveChanged = false;
    const text = this.segmentText.data;
    this.segment.replaceChildren(this.options.seal(text) ?? text);
  }

  private openSegment(): Text {
    const text = document.createTextNode('');
    this.segmentText = text;
    this.segment = document.createElement('span');
    this.segment.className = 'raw-segment';
    this.segment.append(text);
    this.container.append(this.segment);
    return text;
  }

  private sealSegment(): void {
    const segment = this.segment;
    const text = this.segmentText?.data ?? '';
    this.segment = undefined;
    this.segmentText = undefined;
    if (!segment) return;
    this.liveChanged = false;
    const sealed = this.options.seal?.(text);
    segment.replaceChildren(sealed ?? text);
    if (hasBidiControls(text)) revealBidiControls(segment);
  }

  private close(rest: string): string {
    this.sealSegment();
    return rest;
  }
}
