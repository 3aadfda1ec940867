// Renders a growing markdown text into one element at a cost per character that does not grow
// with the text, whatever its shape.
// - The text is split into top-level blocks. Every block but the last is finished: rendered once,
//   grouped into chunks styled `content-visibility: auto` (the browser skips offscreen ones),
//   never touched again. Each flush re-renders only the last (open) block.
// - Re-rendering the open block costs its length, so one block that keeps growing (a runaway
//   table, list, quote or paragraph from a looping model) would cost O(n^2). So a block is
//   formatted only up to OPEN_BLOCK_LIMIT characters (4 KB): past that its first part stays formatted as
//   it was and the rest is shown as source text (RawBlock), appended in fixed-size segments, until
//   a line shows that the block has ended. Then markdown rendering resumes. The same rule applies
//   to a finished text rendered whole, so a reloaded answer looks like it did while streaming.
//   Fenced code switches early (FENCE_LIMIT): its segments are highlighted too, so it looks the same.
// - Below that size, an open block over THROTTLE_FROM characters is re-rendered at most once per
//   OPEN_RENDER_SPACING times its last render's cost, so that takes at most a fifth of the main
//   thread; new text without a line break (which cannot finish a block) is not even parsed then.
// - Parsing never looks at more than PARSE_WINDOW characters at once, and `flush` stops at a
//   deadline (the caller resumes it next frame), so no main-thread task grows with the answer.
import { h } from '../dom';
import { hasBidiControls, revealBidiControls } from './bidi';
import { languageOfCodeElement } from './codeToolbar';
import { highlightCode } from './highlight';
import { RawBlock } from './rawBlock';
import { parseTopLevelBlocks, renderTokens, type ParseEnv, type TopLevelBlock } from './renderMarkdown';
import { sanitizeToFragment } from './sanitize';

const REFERENCE_DEFINITION = /^ {0,3}\[[^\]]+\]:/m;
/** Finished blocks per chunk: small enough to skip work offscreen, large enough to add few nodes. */
const BLOCKS_PER_CHUNK = 12;
/** Longest block source re-rendered as markdown (a 4 KB table: ~20 ms of script and layout). */
export const OPEN_BLOCK_LIMIT = 4 * 1024;
const FENCE_LIMIT = 2 * 1024;
const OPEN_RENDER_SPACING = 5;
const THROTTLE_FROM = 1024;
const PARSE_WINDOW = 4 * OPEN_BLOCK_LIMIT;
/** Longest text re-rendered whole when a reference definition came after its use. */
const WHOLE_RERENDER_LIMIT = 64 * 1024;
/** Text fed to a raw block between deadline checks. */
const RAW_FEED_CHARS = 64 * 1024;

export class StreamingMarkdown {
  /** The whole text so far, in the pieces it arrived in (joined on demand). */
  private readonly parts: string[] = [];
  /** Text after the last finished block (or after what the raw block was fed). */
  private pending = '';
  private pendingCarriageReturn = false;
  private ended = false;
  /** Something was rendered already: a reference definition now may be used above it. */
  private renderedSome = false;
  /** Reference definitions found in the finished part, visible to later blocks. */
  private references: NonNullable<ParseEnv['references']> = {};
  private chunk: HTMLElement | undefined;
  private blocksInChunk = 0;
  private openNodes: ChildNode[] = [];
  /** When the open block in `openNodes` was rendered from `pending` this long, and when it may be again. */
  private openRendered: { pendingLength: number; notBefore: number } | undefined;
  private raw: RawBlock | undefined;
  private dirty = false;
  /** A reference definition came after blocks already rendered, which may use it. */
  private lateDefinition = false;

  constructor(private readonly target: HTMLElement) {}

  get source(): string {
    if (this.parts.length > 1) this.parts.splice(0, this.parts.length, this.parts.join(''));
    return this.parts[0] ?? '';
  }

  /** There is text or work the DOM does not show yet. */
  get needsFlush(): boolean {
    return this.dirty;
  }

  /** The text is complete and all of it is rendered. */
  get finished(): boolean {
    return this.ended && !this.dirty;
  }

  append(delta: string): void {
    // Normalize line ends as markdown-it does, so our line offsets match its token maps.
    let piece = (this.pendingCarriageReturn ? '\r' : '') + delta;
    this.pendingCarriageReturn = piece.endsWith('\r');
    if (this.pendingCarriageReturn) piece = piece.slice(0, -1);
    piece = piece.replace(/\r\n?/g, '\n');
    this.parts.push(piece);
    this.pending += piece;
    this.dirty = true;
  }

  /** The text is complete: the last block is finished too (rendered by the next flushes). */
  end(): void {
    if (this.pendingCarriageReturn) {
      this.parts.push('\n');
      this.pending += '\n';
      this.pendingCarriageReturn = false;
    }
    this.ended = true;
    this.dirty = true;
  }

  /** Brings the DOM up to date, or as far as it gets by `deadline` (performance.now() time). */
  flush(deadline = Infinity): void {
    this.dirty = false;
    if (!this.drain(deadline)) {
      this.dirty = true;
      return;
    }
    if (this.ended && this.lateDefinition && this.source.length <= WHOLE_RERENDER_LIMIT) {
      // A link used before its definition streamed in: render the finished text once, whole,
      // as markdown resolves references anywhere in a document.
      this.renderWhole();
    }
  }

  /** Renders `pending`. Returns false when it stopped at the deadline with work left. */
  private drain(deadline: number): boolean {
    for (;;) {
      if (this.raw) {
        const piece = this.pending.slice(0, RAW_FEED_CHARS);
        this.pending = this.pending.slice(piece.length);
        const rest = this.raw.feed(piece, this.ended && !this.pending);
        if (rest !== undefined) {
          this.raw = undefined;
          this.pending = rest + this.pending;
        }
      } else if (!this.pending || this.openRenderWaits(false) || !this.renderWindow()) {
        return true;
      }
      if (this.raw && !this.pending) return true;
      if (performance.now() > deadline) return false;
    }
  }

  /**
   * Renders what it can of the first PARSE_WINDOW characters of `pending`. Returns true when
   * there is more to do now (a window's worth was finished, or a raw block started).
   */
  private renderWindow(): boolean {
    const atEnd = this.pending.length <= PARSE_WINDOW;
    const window = atEnd ? this.pending : this.pending.slice(0, PARSE_WINDOW);
    const blocks = parseTopLevelBlocks(window, { references: { ...this.references } });
    const starts = lineOffsets(window, blocks.map((b) => b.startLine));
    const lastIsOpen = !(atEnd && this.ended);
    for (let i = 0; i < blocks.length; i++) {
      const end = i + 1 < blocks.length ? starts[i + 1] : window.length;
      const limit = blocks[i].tokens[0]?.type === 'fence' ? FENCE_LIMIT : OPEN_BLOCK_LIMIT;
      if (end - starts[i] > limit) {
        this.commit(blocks.slice(0, i), window.slice(0, starts[i]));
        this.startRaw(window.slice(starts[i], end), blocks[i]);
        return true;
      }
    }
    // With no block yet, an open text may be a reference definition still being written.
    const openIndex = lastIsOpen ? Math.max(0, blocks.length - 1) : blocks.length;
    const finishedLength = openIndex < blocks.length ? starts[openIndex] : atEnd && lastIsOpen ? 0 : window.length;
    this.commit(blocks.slice(0, openIndex), window.slice(0, finishedLength));
    if (!atEnd) return true;
    const open = blocks[openIndex];
    if (!open) return false;
    const now = performance.now();
    if (finishedLength === 0 && this.openRenderWaits(true)) return false;
    this.removeOpenNodes();
    const fragment = renderTokens(open.tokens);
    this.openNodes = Array.from(fragment.childNodes);
    this.target.append(fragment);
    const cost = performance.now() - now;
    this.openRendered = { pendingLength: this.pending.length, notBefore: now + cost * OPEN_RENDER_SPACING };
    return false;
  }

  /**
   * The open block shown was re-rendered a moment ago: let it grow a little first (and flush
   * again later). `parsed`: the new text was parsed and finished no block.
   */
  private openRenderWaits(parsed: boolean): boolean {
    const shown = this.openRendered;
    if (!shown || this.ended || shown.pendingLength < THROTTLE_FROM || performance.now() >= shown.notBefore) return false;
    if (!parsed && (this.pending.length > PARSE_WINDOW || this.pending.indexOf('\n', shown.pendingLength) !== -1)) return false;
    this.dirty = true;
    return true;
  }

  /** Appends finished blocks (whose source is `source`) to chunks, one sanitizer pass per chunk-sized group. */
  private commit(blocks: TopLevelBlock[], source: string): void {
    if (source) this.removeOpenNodes();
    this.pending = this.pending.slice(source.length);
    if (REFERENCE_DEFINITION.test(source)) {
      if (this.renderedSome) this.lateDefinition = true;
      this.rememberReferences(source);
    }
    let next = 0;
    while (next < blocks.length) {
      if (!this.chunk || this.blocksInChunk >= BLOCKS_PER_CHUNK) {
        this.chunk = h('div', { class: 'md-chunk' });
        this.blocksInChunk = 0;
        this.target.append(this.chunk);
      }
      const group = blocks.slice(next, next + BLOCKS_PER_CHUNK - this.blocksInChunk);
      this.chunk.append(renderTokens(group.flatMap((b) => b.tokens)));
      this.blocksInChunk += group.length;
      next += group.length;
      this.renderedSome = true;
    }
  }

  /**
   * An oversized block: its first OPEN_BLOCK_LIMIT characters (cut at a line end, else a space)
   * rendered as markdown once, the rest fed to a RawBlock. `source` is the block as far as known.
   */
  private startRaw(source: string, block: TopLevelBlock): void {
    this.removeOpenNodes();
    const head = source.slice(0, block.tokens[0]?.type === 'fence' ? FENCE_LIMIT : OPEN_BLOCK_LIMIT);
    let cut = head.lastIndexOf('\n') + 1;
    const midLine = cut === 0;
    if (midLine) cut = head.lastIndexOf(' ') + 1 || head.length;
    const prefix = source.slice(0, cut);
    const first = block.tokens[0];
    const fence = !midLine && first?.type === 'fence' ? first.markup : undefined;

    const element = h('div', { class: 'md-long-block' });
    element.append(renderTokens(parseTopLevelBlocks(prefix, { references: { ...this.references } }).flatMap((b) => b.tokens)));
    const code = fence ? element.querySelector<HTMLElement>('pre.code-block code') : null;
    let container: HTMLElement;
    if (code) {
      container = code;
    } else {
      container = h('div', { class: 'md-raw' });
      element.append(h('div', { class: 'md-raw-note', text: 'This block is too long to format: the rest is shown as plain text.' }), container);
    }
    const language = code ? languageOfCodeElement(code) : undefined;
    this.raw = new RawBlock(container, {
      fence: code ? fence : undefined,
      seal: code ? (text) => highlightedFragment(text, language) : undefined,
      midLine,
      afterBlankLine: /(?:^|\n)[ \t]*\n$/.test(prefix),
    });
    this.target.append(element);
    this.chunk = undefined;
    this.renderedSome = true;
    this.pending = this.pending.slice(cut);
  }

  private renderWhole(): void {
    this.removeOpenNodes();
    this.target.replaceChildren();
    this.chunk = undefined;
    this.blocksInChunk = 0;
    this.raw = undefined;
    this.renderedSome = false;
    this.pending = this.source;
    // Definitions first, so every block sees them.
    this.references = {};
    this.rememberReferences(this.pending);
    this.drain(Infinity);
    this.lateDefinition = false;
  }

  private removeOpenNodes(): void {
    for (const node of this.openNodes) node.remove();
    this.openNodes = [];
    this.openRendered = undefined;
  }

  private rememberReferences(finishedSource: string): void {
    const env: ParseEnv = { references: this.references };
    parseTopLevelBlocks(finishedSource, env);
    this.references = env.references ?? this.references;
  }
}

/** A sealed segment of a long code block: highlighted on its own (a string spanning segments may colour wrongly). */
function highlightedFragment(text: string, language: string | undefined): DocumentFragment | undefined {
  const html = highlightCode(text, language);
  if (html === undefined) return undefined;
  const fragment = sanitizeToFragment(html);
  if (hasBidiControls(text)) revealBidiControls(fragment);
  return fragment;
}

/** Character offsets of the given (ascending) line numbers in `text`, in one pass. */
function lineOffsets(text: string, lines: number[]): number[] {
  const offsets: number[] = [];
  let line = 0;
  let offset = 0;
  for (const wanted of lines) {
    while (line < wanted) {
      const next = text.indexOf('\n', offset);
      if (next === -1) {
        offset = text.length;
        line = wanted;
        break;
      }
      offset = next + 1;
      line++;
    }
    offsets.push(offset);
  }
  return offsets;
}
