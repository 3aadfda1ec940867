// Renders a growing markdown text into one element at a cost that does not grow with the text:
// the source is split into top-level blocks; every block but the last is finished, rendered
// once and never touched again; each flush re-renders only the last (open) block.
// Finished blocks are grouped into chunks styled `content-visibility: auto`, so the browser
// skips style, layout and paint for the chunks that are off screen.
import { parseTopLevelBlocks, renderTokens, type ParseEnv, type TopLevelBlock } from './renderMarkdown';

const REFERENCE_DEFINITION = /^ {0,3}\[[^\]]+\]:/m;
/** Finished blocks per chunk: small enough to skip work offscreen, large enough to add few nodes. */
const BLOCKS_PER_CHUNK = 12;

export class StreamingMarkdown {
  private text = '';
  private pendingCarriageReturn = false;
  /** Characters of `text` whose blocks are final in the DOM. */
  private committedChars = 0;
  /** Reference definitions found in the finished part, visible to later blocks. */
  private references: NonNullable<ParseEnv['references']> = {};
  private chunk: HTMLElement | undefined;
  private blocksInChunk = 0;
  private openNodes: ChildNode[] = [];
  private dirty = false;
  /** A reference definition came after blocks already rendered, which may use it. */
  private lateDefinition = false;

  constructor(private readonly target: HTMLElement) {}

  get source(): string {
    return this.text;
  }

  get needsFlush(): boolean {
    return this.dirty;
  }

  append(delta: string): void {
    // Normalize line ends as markdown-it does, so our line offsets match its token maps.
    let piece = (this.pendingCarriageReturn ? '\r' : '') + delta;
    this.pendingCarriageReturn = piece.endsWith('\r');
    if (this.pendingCarriageReturn) piece = piece.slice(0, -1);
    this.text += piece.replace(/\r\n?/g, '\n');
    this.dirty = true;
  }

  /** Brings the DOM up to date. `final`: the text is complete, so the last block is finished too. */
  flush(final = false): void {
    if (final && this.pendingCarriageReturn) {
      this.text += '\n';
      this.pendingCarriageReturn = false;
    }
    this.dirty = false;
    const tail = this.text.slice(this.committedChars);
    const env: ParseEnv = { references: { ...this.references } };
    const blocks = parseTopLevelBlocks(tail, env);
    const finished = final ? blocks.length : Math.max(0, blocks.length - 1);

    this.removeOpenNodes();
    const committedLength = final ? tail.length : finished > 0 ? offsetOfLine(tail, blocks[finished].startLine) : 0;
    const committed = tail.slice(0, committedLength);
    if (this.committedChars > 0 && REFERENCE_DEFINITION.test(committed)) this.lateDefinition = true;
    if (final && this.lateDefinition) {
      // A link used before its definition streamed in: render the finished text once, whole,
      // as markdown resolves references anywhere in a document.
      this.renderWhole();
      return;
    }
    if (finished > 0) {
      this.commit(blocks.slice(0, finished));
      this.rememberReferences(committed);
      this.committedChars += committedLength;
    }
    if (final) return;
    const open = blocks[finished];
    if (!open) return;
    const fragment = renderTokens(open.tokens);
    this.openNodes = Array.from(fragment.childNodes);
    this.target.append(fragment);
  }

  /** Appends finished blocks to chunks, one sanitizer pass per chunk-sized group. */
  private commit(blocks: TopLevelBlock[]): void {
    let next = 0;
    while (next < blocks.length) {
      if (!this.chunk || this.blocksInChunk >= BLOCKS_PER_CHUNK) {
        this.chunk = document.createElement('div');
        this.chunk.className = 'md-chunk';
        this.blocksInChunk = 0;
        this.target.append(this.chunk);
      }
      const group = blocks.slice(next, next + BLOCKS_PER_CHUNK - this.blocksInChunk);
      this.chunk.append(renderTokens(group.flatMap((b) => b.tokens)));
      this.blocksInChunk += group.length;
      next += group.length;
    }
  }

  private renderWhole(): void {
    this.target.replaceChildren();
    this.chunk = undefined;
    this.blocksInChunk = 0;
    this.references = {};
    this.commit(parseTopLevelBlocks(this.text, { references: this.references }));
    this.committedChars = this.text.length;
    this.lateDefinition = false;
  }

  private removeOpenNodes(): void {
    for (const node of this.openNodes) node.remove();
    this.openNodes = [];
  }

  private rememberReferences(finishedSource: string): void {
    if (!REFERENCE_DEFINITION.test(finishedSource)) return;
    const env: ParseEnv = { references: this.references };
    parseTopLevelBlocks(finishedSource, env);
    this.references = env.references ?? this.references;
  }
}

function offsetOfLine(text: string, line: number): number {
  let offset = 0;
  for (let i = 0; i < line; i++) {
    const next = text.indexOf('\n', offset);
    if (next === -1) return text.length;
    offset = next + 1;
  }
  return offset;
}
