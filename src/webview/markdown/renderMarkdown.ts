// Markdown source or token runs -> sanitized, decorated DOM fragments ready to insert.
import type MarkdownIt from 'markdown-it';
import { hasBidiControls, revealBidiControls } from './bidi';
import { addCodeToolbars } from './codeToolbar';
import { createMarkdownIt } from './markdownIt';
import { sanitizeToFragment } from './sanitize';

type Token = MarkdownIt.Token;

const md = createMarkdownIt();

/** Holds the reference definitions (`[label]: url`) markdown-it collects while parsing. */
export type ParseEnv = MarkdownIt.Env;

/** One top-level block: its tokens and the source line it starts on. */
export interface TopLevelBlock {
  tokens: Token[];
  startLine: number;
}

export function parseTopLevelBlocks(source: string, env: ParseEnv): TopLevelBlock[] {
  const blocks: TopLevelBlock[] = [];
  for (const token of md.parse(source, env)) {
    const startsBlock = token.block && token.level === 0 && token.nesting !== -1 && token.map;
    if (startsBlock && token.map) blocks.push({ tokens: [token], startLine: token.map[0] });
    else blocks.at(-1)?.tokens.push(token);
  }
  return blocks;
}

export function renderTokens(tokens: Token[]): DocumentFragment {
  const html = md.renderer.render(tokens, md.options, {});
  const fragment = sanitizeToFragment(html);
  if (hasBidiControls(html)) revealBidiControls(fragment);
  addCodeToolbars(fragment);
  return fragment;
}

/** Whole-document render: used for finished messages (and by the bench's naive baseline). */
export function renderMarkdown(source: string): DocumentFragment {
  return renderTokens(md.parse(source, {}));
}
