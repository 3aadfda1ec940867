// Where in a file a code block from an answer belongs, when the block is a fragment (one function,
// a few lines) rather than the whole file: the symbol it redefines, else the lines it best matches.
// No vscode import: the caller passes the document's symbols as plain data (unit-tested in Node).

export interface SymbolSpan {
  name: string;
  /** 0-based, inclusive. */
  startLine: number;
  endLine: number;
  children?: SymbolSpan[];
}

export interface FragmentRegion {
  /** 0-based lines the block replaces, `endLine` inclusive. */
  startLine: number;
  endLine: number;
  how: 'symbol' | 'match';
  /** The symbol's name, when found by symbol. */
  name?: string;
  /** How alike the block and the region are, 0-1 (1 for a symbol). */
  score: number;
}

/** Below this a textual match is a guess, not a place. */
export const minMatchScore = 0.6;
/** A second place this close to the best one makes the match ambiguous (duplicated code). */
const ambiguityMargin = 0.03;

const normalize = (line: string): string => line.trim().replace(/\s+/g, ' ');
const isBlank = (line: string): boolean => line.trim() === '';
const indentOf = (line: string): number => /^[ \t]*/.exec(line)?.[0].length ?? 0;
const isComment = (line: string): boolean => /^\s*(\/\/|\/\*|\*|#(?!\[)|--|"""|''')/.test(line);
const isDecorator = (line: string): boolean => /^\s*(@[\w.]+|#\[)/.test(line);

const notNames = new Set(['if', 'for', 'while', 'switch', 'catch', 'return', 'function', 'await', 'else', 'do', 'try', 'with', 'yield', 'typeof', 'sizeof']);
const declarationPatterns: RegExp[] = [
  /^(?:export\s+)?(?:default\s+)?(?:async\s+)?function\s*\*?\s*([A-Za-z_$][\w$]*)/,
  /^(?:export\s+)?(?:default\s+)?(?:abstract\s+)?(?:class|interface|enum|struct|trait|protocol|record)\s+([A-Za-z_$][\w$]*)/,
  /^(?:export\s+)?(?:declare\s+)?type\s+([A-Za-z_$][\w$]*)/,
  /^(?:export\s+)?(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*(?::[^=]*)?=/,
  /^(?:async\s+)?def\s+([A-Za-z_]\w*)/,
  /^(?:pub(?:\([\w\s]+\))?\s+)?(?:async\s+)?(?:unsafe\s+)?fn\s+([A-Za-z_]\w*)/,
  /^func\s+(?:\([^)]*\)\s*)?([A-Za-z_]\w*)/,
  /^(?:impl(?:<[^>]*>)?\s+(?:[\w:<>]+\s+for\s+)?)([A-Za-z_]\w*)/,
];
// A method or a C-family function: the identifier right before the parameter list (nothing assigned
// or called before it), on a line that opens a body or continues a signature rather than ending a statement.
const methodPattern = /^[\w$<>[\],.?*& ]*?\b([A-Za-z_$][\w$]*)\s*(?:<[^>]*>)?\s*\(/;

/** The name a declaration line declares, if it is one. */
export function declaredName(line: string): string | undefined {
  const text = line.trim().replace(/^(?:(?:public|private|protected|internal|static|readonly|override|abstract|async|final|virtual|export|inline)\s+)+/, '');
  for (const pattern of declarationPatterns) {
    const name = pattern.exec(text)?.[1];
    if (name && !notNames.has(name)) return name;
  }
  if (/;\s*$/.test(text) || !/[{(,:]\s*$|\)\s*(?:->\s*[^{]+|:\s*[^{]+)?\{?\s*$/.test(text)) return undefined;
  const name = methodPattern.exec(text)?.[1];
  return name && !notNames.has(name) ? name : undefined;
}

/** The names the block declares at its own top level (its least indented lines). */
export function topLevelNames(blockLines: readonly string[]): string[] {
  const code = blockLines.filter((l) => !isBlank(l) && !isComment(l) && !isDecorator(l));
  if (code.length === 0) return [];
  const base = Math.min(...code.map(indentOf));
  return code
    .filter((l) => indentOf(l) === base && !/^\s*[)}\]]/.test(l))
    .map(declaredName)
    .filter((n): n is string => n !== undefined);
}

function flatten(symbols: readonly SymbolSpan[]): SymbolSpan[] {
  return symbols.flatMap((s) => [s, ...flatten(s.children ?? [])]);
}

/** A symbol's bare name: `(*T).Close` and `close()` are `Close` and `close`. */
function bareName(name: string): string {
  return name.replace(/\(.*$/s, '').split(/[.:]/).pop()?.trim() ?? name;
}

/** How alike two lines are, 0-1: equal after whitespace is 1, else the Dice coefficient of their character pairs. */
export function lineSimilarity(a: string, b: string): number {
  const x = normalize(a);
  const y = normalize(b);
  if (x === y) return 1;
  if (x.length < 2 || y.length < 2) return 0;
  const pairs = new Map<string, number>();
  for (let i = 0; i < x.length - 1; i++) pairs.set(x.slice(i, i + 2), (pairs.get(x.slice(i, i + 2)) ?? 0) + 1);
  let common = 0;
  for (let i = 0; i < y.length - 1; i++) {
    const pair = y.slice(i, i + 2);
    const left = pairs.get(pair) ?? 0;
    if (left > 0) {
      common++;
      pairs.set(pair, left - 1);
    }
  }
  return (2 * common) / (x.length + y.length - 2);
}

/**
 * How alike two runs of lines are, 0-1: an in-order alignment of lines (weighted by their
 * similarity, pairs under 0.5 count nothing), as a share of both lengths. `sim(i, j)` may be given
 * to reuse line similarities across many windows.
 */
export function blockSimilarity(
  a: readonly string[],
  b: readonly string[],
  sim: (i: number, j: number) => number = (i, j) => lineSimilarity(a[i] ?? '', b[j] ?? ''),
): number {
  if (a.length === 0 || b.length === 0) return 0;
  let previous = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    const row = new Array<number>(b.length + 1).fill(0);
    for (let j = 1; j <= b.length; j++) {
      const s = sim(i - 1, j - 1);
      row[j] = Math.max(previous[j] ?? 0, row[j - 1] ?? 0, (previous[j - 1] ?? 0) + (s >= 0.5 ? s : 0));
    }
    previous = row;
  }
  return (2 * (previous[b.length] ?? 0)) / (a.length + b.length);
}

/** The region of the one symbol the block redefines, with the comments above it when the block brings its own. */
export function regionBySymbol(docLines: readonly string[], blockLines: readonly string[], symbols: readonly SymbolSpan[]): FragmentRegion | undefined {
  const names = topLevelNames(blockLines);
  if (names.length !== 1) return undefined;
  const [name] = names;
  const candidates = flatten(symbols).filter((s) => bareName(s.name) === name && s.startLine <= s.endLine && s.endLine < docLines.length);
  if (candidates.length === 0) return undefined;
  // Two of the same name (overloads, methods of two classes): the one whose text is closest.
  const scored = candidates.map((s) => ({ s, score: blockSimilarity(blockLines.filter((l) => !isBlank(l)), docLines.slice(s.startLine, s.endLine + 1).filter((l) => !isBlank(l))) }));
  scored.sort((a, b) => b.score - a.score);
  const [best, second] = scored;
  if (!best || (second && second.score >= best.score - ambiguityMargin)) return undefined;
  let startLine = best.s.startLine;
  // The symbol's range may leave out its decorators and doc comment; when the block has its own, they are replaced too.
  const blockLeads = blockLines.findIndex((l) => !isBlank(l));
  if (blockLeads >= 0 && (isComment(blockLines[blockLeads] ?? '') || isDecorator(blockLines[blockLeads] ?? ''))) {
    while (startLine > 0 && (isComment(docLines[startLine - 1] ?? '') || isDecorator(docLines[startLine - 1] ?? ''))) startLine--;
  }
  return { startLine, endLine: best.s.endLine, how: 'symbol', name, score: 1 };
}

/** The run of lines the block most resembles, when it resembles one clearly more than any other. */
export function regionByText(docLines: readonly string[], blockLines: readonly string[]): FragmentRegion | undefined {
  const block = blockLines.filter((l) => !isBlank(l));
  const doc = docLines.map((text, line) => ({ text, line })).filter((l) => !isBlank(l.text));
  const n = block.length;
  if (n === 0 || doc.length === 0) return undefined;
  const slack = Math.max(2, Math.ceil(n * 0.25));
  // A block that declares one name starts where the file declares it, when the file does so once:
  // a changed body must not lose to a look-alike neighbour (add vs divide).
  const declared = declarationStart(doc.map((l) => l.text), block);
  const starts = declared ?? candidateStarts(doc.map((l) => normalize(l.text)), block.map(normalize), slack);
  // Each (block line, document line) pair is compared once, however many windows share it.
  const lo = Math.min(...starts);
  const hi = Math.min(doc.length, Math.max(...starts) + n + slack);
  const sims = new Float32Array(n * (hi - lo)).fill(-1);
  const pair = (i: number, j: number): number => {
    const at = i * (hi - lo) + (j - lo);
    let value = sims[at] ?? -1;
    if (value < 0) {
      value = lineSimilarity(block[i] ?? '', doc[j]?.text ?? '');
      sims[at] = value;
    }
    return value >= 0.5 ? value : 0;
  };
  const previous = new Float64Array(n + slack + 1);
  const row = new Float64Array(n + slack + 1);
  const windows: Array<{ start: number; length: number; score: number }> = [];
  for (const start of starts) {
    const longest = Math.min(n + slack, doc.length - start);
    const shortest = Math.max(1, n - slack);
    if (longest < shortest) continue;
    // One alignment of the block against the longest window gives every shorter window's score: its last row.
    previous.fill(0);
    for (let i = 0; i < n; i++) {
      row[0] = 0;
      for (let j = 1; j <= longest; j++) {
        row[j] = Math.max(previous[j] ?? 0, row[j - 1] ?? 0, (previous[j - 1] ?? 0) + pair(i, start + j - 1));
      }
      previous.set(row);
    }
    for (let length = shortest; length <= longest; length++) {
      windows.push({ start, length, score: (2 * (previous[length] ?? 0)) / (n + length) });
    }
  }
  windows.sort((a, b) => b.score - a.score || Math.abs(a.length - n) - Math.abs(b.length - n));
  const best = windows[0];
  if (!best || best.score < minMatchScore) return undefined;
  const rival = windows.find((w) => w.start >= best.start + best.length || w.start + w.length <= best.start);
  if (rival && rival.score >= best.score - ambiguityMargin) return undefined;
  const first = doc[best.start];
  const last = doc[best.start + best.length - 1];
  if (!first || !last) return undefined;
  return { startLine: first.line, endLine: last.line, how: 'match', score: best.score };
}

/** The start the block's one declared name gives in the file (allowing for the comments the block has above it). */
function declarationStart(doc: readonly string[], block: readonly string[]): number[] | undefined {
  const names = topLevelNames(block);
  if (names.length !== 1) return undefined;
  const at = doc.flatMap((line, i) => (declaredName(line) === names[0] ? [i] : []));
  if (at.length !== 1 || at[0] === undefined) return undefined;
  const lead = block.findIndex((l) => declaredName(l) === names[0]);
  return Array.from({ length: lead + 1 }, (_, k) => (at[0] ?? 0) - k).filter((s) => s >= 0);
}

/**
 * Where to try windows: every start for a short block; else the starts whose following lines share
 * the most exact lines with the block (a changed fragment keeps most of its lines), and their neighbours.
 */
function candidateStarts(doc: readonly string[], block: readonly string[], slack: number): number[] {
  if (doc.length <= 200) return doc.map((_, i) => i);
  const span = block.length + slack;
  // A short block is compared line by line with the whole file (few pairs); a long one by exact lines (a changed fragment keeps most).
  const wanted = new Set(block);
  const hit = doc.map((line) =>
    block.length <= 3 ? Math.max(...block.map((b) => lineSimilarity(b, line))) : wanted.has(line) ? 1 : 0,
  );
  const scores: Array<{ start: number; hits: number }> = [];
  let hits = hit.slice(0, span).reduce((a, b) => a + b, 0);
  for (let start = 0; start < doc.length; start++) {
    scores.push({ start, hits });
    hits += (hit[start + span] ?? 0) - (hit[start] ?? 0);
  }
  scores.sort((a, b) => b.hits - a.hits);
  const picked = new Set<number>();
  for (const { start, hits: h } of scores.slice(0, 8)) {
    if (h === 0) break;
    for (let s = Math.max(0, start - slack); s <= Math.min(doc.length - 1, start + slack); s++) picked.add(s);
  }
  return [...picked];
}

/** The line where the declaration starting at `start` ends: its closing brace, or the end of its indented body. */
export function declarationEnd(docLines: readonly string[], start: number): number | undefined {
  const line = docLines[start] ?? '';
  if (/:\s*(#.*)?$/.test(line) && !line.includes('{')) {
    // An indented body (Python): it ends before the next line indented no deeper than the declaration.
    const indent = indentOf(line);
    let end = start;
    for (let i = start + 1; i < docLines.length; i++) {
      const next = docLines[i] ?? '';
      if (isBlank(next)) continue;
      if (indentOf(next) <= indent) break;
      end = i;
    }
    return end > start ? end : undefined;
  }
  if (/;\s*$/.test(line)) return start; // A one-line statement (`const x = 1;`).
  let depth = 0;
  let opened = false;
  for (let i = start; i < docLines.length; i++) {
    // Braces in strings and line comments do not count.
    const code = (docLines[i] ?? '').replace(/(["'`])(?:\\.|(?!\1).)*\1/g, '').replace(/\/\/.*$/, '');
    for (const ch of code) {
      if (ch === '{') {
        depth++;
        opened = true;
      } else if (ch === '}' && --depth < 0) return undefined; // Closes a scope that began before the declaration.
    }
    if (opened && depth <= 0) return i;
    if (!opened && i > start + 5) return undefined; // No body opened near the declaration.
  }
  return undefined;
}

/**
 * Without a symbol provider: the one place the file declares the block's one name, to the end of
 * that declaration (its closing brace or indented body).
 */
export function regionByDeclaration(docLines: readonly string[], blockLines: readonly string[]): FragmentRegion | undefined {
  const names = topLevelNames(blockLines);
  if (names.length !== 1) return undefined;
  const [name] = names;
  // The block must be that one declaration and nothing after it (not `const q = …;` plus more lines).
  const lead = blockLines.findIndex((l) => declaredName(l) === name);
  const lastCode = blockLines.reduce((last, l, i) => (isBlank(l) ? last : i), -1);
  if (declarationEnd(blockLines, lead) !== lastCode) return undefined;
  const at = docLines.flatMap((line, i) => (declaredName(line) === name ? [i] : []));
  if (at.length !== 1 || at[0] === undefined) return undefined;
  const endLine = declarationEnd(docLines, at[0]);
  if (endLine === undefined) return undefined;
  return regionBySymbol(docLines, blockLines, [{ name: name ?? '', startLine: at[0], endLine }]);
}

/** The region a fragment replaces: by symbol first, then by a declaration of the same name, then by text; undefined when none is confident. */
export function locateFragment(docText: string, blockText: string, symbols: readonly SymbolSpan[]): FragmentRegion | undefined {
  const docLines = docText.split(/\r?\n/);
  const blockLines = blockText.replace(/\s+$/, '').split(/\r?\n/);
  return regionBySymbol(docLines, blockLines, symbols) ?? regionByDeclaration(docLines, blockLines) ?? regionByText(docLines, blockLines);
}

/** Whether a block is more likely the whole new file than a part of it. */
export function looksLikeWholeFile(docText: string, blockText: string): boolean {
  const count = (text: string): number => text.split(/\r?\n/).filter((l) => !isBlank(l)).length;
  const doc = count(docText);
  return doc === 0 || count(blockText) >= doc * 0.8;
}

/**
 * The block re-indented to the region's first line, when the model dropped the indentation a
 * method has in its class (a block indented on its own is left alone).
 */
export function reindent(blockText: string, regionFirstLine: string): string {
  const lines = blockText.split('\n');
  const code = lines.filter((l) => !isBlank(l));
  if (code.length === 0 || Math.min(...code.map(indentOf)) > 0) return blockText;
  const indent = /^[ \t]*/.exec(regionFirstLine)?.[0] ?? '';
  return indent ? lines.map((l) => (isBlank(l) ? l : indent + l)).join('\n') : blockText;
}
