// Which lines an editor action works on when nothing is selected: the function, method or class
// around the cursor (from the language's document symbols), else the paragraph around it. Plain
// data in and out so it is tested without VS Code; positions are 0-based like VS Code's.

export interface Position {
  readonly line: number;
  readonly character: number;
}

/** The shape of a VS Code DocumentSymbol (a SymbolInformation is turned into one without children). */
export interface SymbolNode {
  readonly name: string;
  /** VS Code's SymbolKind number. */
  readonly kind: number;
  readonly range: { readonly start: Position; readonly end: Position };
  readonly children?: readonly SymbolNode[];
}

/** Whole lines, both ends included. */
export interface LineRange {
  readonly startLine: number;
  readonly endLine: number;
}

export interface PickedRange extends LineRange {
  /** `symbol`: an enclosing declaration; `paragraph`: the non-blank lines around the cursor; `lines`: a margin around a problem. */
  readonly source: 'symbol' | 'paragraph' | 'lines';
  /** The symbol's name, for `symbol`. */
  readonly name?: string;
  /** For `lines`: the enclosing declaration that was too long to send, so the user can be told why. */
  readonly tooLong?: string;
}

// VS Code's SymbolKind values.
const kind = { Class: 4, Method: 5, Property: 6, Field: 7, Constructor: 8, Enum: 9, Interface: 10, Function: 11, Variable: 12, Constant: 13, Struct: 22 } as const;

/** Declarations whose whole body is what a user means by "this code". */
const codeKinds: ReadonlySet<number> = new Set([kind.Class, kind.Method, kind.Constructor, kind.Enum, kind.Interface, kind.Function, kind.Struct]);
/** `const handler = () => { ... }` and the like: only when no declaration above encloses the cursor. */
const valueKinds: ReadonlySet<number> = new Set([kind.Property, kind.Field, kind.Variable, kind.Constant]);

function contains(symbol: SymbolNode, range: LineRange): boolean {
  return symbol.range.start.line <= range.startLine && symbol.range.end.line >= range.endLine;
}

function span(symbol: SymbolNode): number {
  return symbol.range.end.line - symbol.range.start.line;
}

function* walk(symbols: readonly SymbolNode[]): Generator<SymbolNode> {
  for (const symbol of symbols) {
    yield symbol;
    if (symbol.children) yield* walk(symbol.children);
  }
}

/** The smallest declaration that covers `range`: a function, method or class first, else a multi-line value. */
export function innermostSymbol(symbols: readonly SymbolNode[], range: LineRange): SymbolNode | undefined {
  const enclosing = [...walk(symbols)].filter((s) => contains(s, range));
  const smallest = (candidates: SymbolNode[]) => candidates.reduce<SymbolNode | undefined>((best, s) => (!best || span(s) < span(best) ? s : best), undefined);
  return smallest(enclosing.filter((s) => codeKinds.has(s.kind))) ?? smallest(enclosing.filter((s) => valueKinds.has(s.kind) && span(s) > 0));
}

/** The run of non-blank lines around `line`; undefined when that line is blank. */
export function paragraphAround(lines: readonly string[], line: number): LineRange | undefined {
  const blank = (i: number) => !(lines[i] ?? '').trim();
  if (line < 0 || line >= lines.length || blank(line)) return undefined;
  let startLine = line;
  let endLine = line;
  while (startLine > 0 && !blank(startLine - 1)) startLine--;
  while (endLine < lines.length - 1 && !blank(endLine + 1)) endLine++;
  return { startLine, endLine };
}

/**
 * The code around the cursor: the enclosing declaration when the symbol provider gave one, else the
 * paragraph. `symbols` is undefined when no symbol provider answered for the language.
 */
export function pickEnclosingRange(symbols: readonly SymbolNode[] | undefined, cursor: Position, lines: readonly string[]): PickedRange | undefined {
  const symbol = symbols && innermostSymbol(symbols, { startLine: cursor.line, endLine: cursor.line });
  if (symbol) return { startLine: symbol.range.start.line, endLine: symbol.range.end.line, source: 'symbol', name: symbol.name };
  const paragraph = paragraphAround(lines, cursor.line);
  return paragraph && { ...paragraph, source: 'paragraph' };
}

/** The longest declaration sent whole with a problem. */
export const maxProblemSymbolLines = 150;

export interface AroundOptions {
  /** A declaration longer than this is too much to send for one problem; a margin of lines is used instead. */
  readonly maxLines?: number;
  /** Lines before and after the problem when no declaration (or only a too long one) encloses it. */
  readonly margin?: number;
}

/** The code to send with a problem: its enclosing declaration if short enough, else the problem's lines plus a margin. */
export function codeAroundProblem(symbols: readonly SymbolNode[] | undefined, problem: LineRange, lineCount: number, options: AroundOptions = {}): PickedRange {
  const { maxLines = maxProblemSymbolLines, margin = 10 } = options;
  const symbol = symbols && innermostSymbol(symbols, problem);
  if (symbol && span(symbol) + 1 <= maxLines) return { startLine: symbol.range.start.line, endLine: symbol.range.end.line, source: 'symbol', name: symbol.name };
  return {
    startLine: Math.max(0, problem.startLine - margin),
    endLine: Math.min(Math.max(0, lineCount - 1), problem.endLine + margin),
    source: 'lines',
    ...(symbol ? { tooLong: symbol.name } : {}),
  };
}
