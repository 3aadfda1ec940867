// The markdown-it instance and its renderer rules. Model output is untrusted: raw HTML is off,
// links are checked here (first line) and again by the sanitizer (second line), images are
// never fetched, and table alignment uses classes because the CSP forbids inline styles.
import MarkdownIt from 'markdown-it';
import { highlightCode, languageOfFence } from './highlight';
import { linkDestinationLabel, safeLinkTarget } from './linkPolicy';

type Token = MarkdownIt.Token;
type Rule = MarkdownIt.RendererRule;

interface OpenLink {
  href: string;
  showDestination: boolean;
}

/** link_open and link_close pair up through a stack kept per render (per env object). */
const linkStacks = new WeakMap<object, Array<OpenLink | null>>();
function linkStack(env: MarkdownIt.Env | undefined): Array<OpenLink | null> {
  if (!env) return [];
  let stack = linkStacks.get(env);
  if (!stack) linkStacks.set(env, (stack = []));
  return stack;
}

const IMAGE_URL_SHOWN_CHARS = 200;

function attr(token: Token, name: string): string {
  const value = token.attrGet(name);
  return value === null ? '' : String(value);
}

/**
 * Deepest nesting of blocks (a quote or list level each): deeper than this leaves no room for text
 * in a sidebar anyway. markdown-it stops parsing there and drops the rest; `keepUnparsedText`
 * shows that rest as plain text instead.
 */
const MAX_NESTING = 24;

export function createMarkdownIt(): MarkdownIt.MarkdownIt {
  const md = new MarkdownIt({ html: false, linkify: true, typographer: false, breaks: false, maxNesting: MAX_NESTING });
  const escape = md.utils.escapeHtml;
  keepUnparsedText(md);

  // Only absolute http/https/mailto survive parsing; anything else renders as text.
  md.validateLink = (url: string) => safeLinkTarget(url) !== undefined;

  const linkOpen: Rule = (tokens, idx, _options, env) => {
    const token = tokens[idx];
    const href = safeLinkTarget(attr(token, 'href'));
    if (!href) {
      linkStack(env).push(null);
      return '<span class="link-blocked" title="Link removed: only http, https and mailto links open">';
    }
    // A link whose text is its own URL already shows its target.
    const showDestination = token.markup !== 'linkify' && token.markup !== 'autolink';
    linkStack(env).push({ href, showDestination });
    return `<a class="md-link" href="${escape(href)}" title="${escape(href)}">`;
  };

  const linkClose: Rule = (_tokens, _idx, _options, env) => {
    const link = linkStack(env).pop();
    if (!link) return '</span>';
    const destination = link.showDestination
      ? `<span class="link-destination"> (${escape(linkDestinationLabel(link.href))})</span>`
      : '';
    return `</a>${destination}`;
  };

  // Images are never loaded (they would leak data through their URL): show alt text and URL.
  const image: Rule = (tokens, idx, options, env, self) => {
    const token = tokens[idx];
    const alt = self.renderInlineAsText(token.children ?? [], options, env);
    const src = attr(token, 'src');
    const shown = src.length > IMAGE_URL_SHOWN_CHARS ? `${src.slice(0, IMAGE_URL_SHOWN_CHARS)}…` : src;
    return `<span class="image-placeholder">[image: ${escape(alt)}] ${escape(shown)}</span>`;
  };

  const codeBlock = (code: string, language: string | undefined): string => {
    const body = highlightCode(code, language) ?? escape(code);
    const languageClass = language ? ` language-${escape(language)}` : '';
    return `<pre class="code-block"><code class="hljs${languageClass}">${body}</code></pre>\n`;
  };

  const alignedCell: Rule = (tokens, idx, options, _env, self) => {
    const token = tokens[idx];
    const align = /text-align:(left|right|center)/.exec(attr(token, 'style'))?.[1];
    token.attrs = align ? [['class', `align-${align}`]] : null;
    return self.renderToken(tokens, idx, options);
  };

  Object.assign(md.renderer.rules, {
    link_open: linkOpen,
    link_close: linkClose,
    image,
    fence: ((tokens, idx) => codeBlock(tokens[idx].content, languageOfFence(tokens[idx].info))) satisfies Rule,
    code_block: ((tokens, idx) => codeBlock(tokens[idx].content, undefined)) satisfies Rule,
    th_open: alignedCell,
    td_open: alignedCell,
    unparsed_text: ((tokens, idx) => `<p class="md-unparsed">${escape(tokens[idx].content)}</p>\n`) satisfies Rule,
  });
  return md;
}

/**
 * markdown-it's block parser gives up at `maxNesting` and skips the lines left in that block:
 * 2,000 nested quotes rendered as an empty message. Those lines become one `unparsed_text`
 * token instead, shown verbatim (markers and all).
 */
function keepUnparsedText(md: MarkdownIt.MarkdownIt): void {
  const tokenize = md.block.tokenize.bind(md.block);
  md.block.tokenize = (state, startLine, endLine) => {
    if (state.level < md.options.maxNesting) return tokenize(state, startLine, endLine);
    const text = state.getLines(startLine, endLine, state.blkIndent, false);
    if (text.trim()) {
      const token = state.push('unparsed_text', 'p', 0);
      token.content = text.replace(/\n+$/, '');
      token.map = [startLine, endLine];
      token.block = true;
    }
    state.line = endLine;
  };
}
