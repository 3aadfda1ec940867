// Renders a growing markdown text into one element at a cost that does not grow with the text:
// the source is split into top-level blocks; every block but the last is finished, rendered
// once and never touched again; each flush re-renders only the last (open) block.
import { parseTopLevelBlocks, renderTokens, type ParseEnv } from './renderMarkdown';

const REFERENCE_DEFINITION = /^ {0,3}\[[^\]]+\]:/m;

export class StreamingMarkdown {
  private text = '';
  private pendingCarriageReturn = false;
  /** Characters of `text` whose blocks are final in the DOM. */
  private committedChars = 0;
  /** Reference definitions found in the finished part, visible to later blocks. */
  private references: NonNullable<ParseEnv['references']> = {};
  private openNodes: ChildNode[] = [];
  private dirty = false;

  constructor(private readonly target: HTMLElement) {}

  get source(): string {
    return this.text;
  }

  get needsFlush(): boolean {
    return this.dirty;
  }

  append(delta: string): void {
    // Normalize line ends as markdown-it does, so our line offsets match its token maps.
    let chunk = (this.pendingCarriageReturn ? '\r' : '') + delta;
    this.pendingCarriageReturn = chunk.endsWith('\r');
    if (this.pendingCarriageReturn) chunk = chunk.slice(0, -1);
    this.text += chunk.replace(/\r\n?/g, '\n');
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
    if (finished > 0) {
      this.target.append(renderTokens(blocks.slice(0, finished).flatMap((b) => b.tokens)));
      const committedLength = final ? tail.length : offsetOfLine(tail, blocks[finished].startLine);
      this.rememberReferences(tail.slice(0, committedLength));
      this.committedChars += committedLength;
    }
    if (final) return;
    const open = blocks[finished];
    if (!open) return;
    const fragment = renderTokens(open.tokens);
    this.openNodes = Array.from(fragment.childNodes);
    this.target.append(fragment);
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
