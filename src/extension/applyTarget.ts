// Where Apply puts a code block in the file: the symbol or lines the fragment replaces, the whole
// file when the block is one, else the selection or the cursor, saying why.
import * as vscode from 'vscode';
import { locateFragment, looksLikeWholeFile, reindent, type SymbolSpan } from './fragmentRegion';

export interface ApplyTarget {
  range: vscode.Range;
  /** The code to put there (re-indented to fit a method's place). */
  code: string;
  how: 'symbol' | 'match' | 'file' | 'selection' | 'cursor';
  /** What the diff's title says about the place. */
  title: string;
  /** Said to the user when no place was found and the selection or cursor is used instead. */
  note?: string;
}

/** A slow or absent symbol provider (a language server still starting) does not hold Apply up longer than this. */
const symbolWaitMs = 3_000;

function toSpans(symbols: ReadonlyArray<vscode.DocumentSymbol | vscode.SymbolInformation>): SymbolSpan[] {
  return symbols.map((s) => {
    const range = 'location' in s ? s.location.range : s.range;
    const children = 'children' in s ? toSpans(s.children) : [];
    return { name: s.name, startLine: range.start.line, endLine: range.end.line, children };
  });
}

async function documentSymbols(doc: vscode.TextDocument): Promise<SymbolSpan[]> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), symbolWaitMs)));
  try {
    const symbols = await Promise.race([
      Promise.resolve(vscode.commands.executeCommand<Array<vscode.DocumentSymbol | vscode.SymbolInformation> | undefined>('vscode.executeDocumentSymbolProvider', doc.uri)),
      timeout,
    ]);
    return toSpans(symbols ?? []);
  } catch {
    return []; // No symbols: the textual match still works.
  } finally {
    clearTimeout(timer);
  }
}

/** Whole lines `start..end` (inclusive), with the line break after the last one left in place. */
function lineRange(doc: vscode.TextDocument, start: number, end: number): vscode.Range {
  return new vscode.Range(start, 0, end, doc.lineAt(end).text.length);
}

export async function applyTarget(editor: vscode.TextEditor, code: string): Promise<ApplyTarget> {
  const doc = editor.document;
  const text = doc.getText();
  const name = vscode.workspace.asRelativePath(doc.uri, false);
  const block = code.replace(/\s+$/, '');
  // A block about as long as the file is the new file (as Apply always took it); the diff shows what changed.
  if (looksLikeWholeFile(text, block)) {
    return { range: new vscode.Range(doc.positionAt(0), doc.positionAt(text.length)), code, how: 'file', title: 'the whole file' };
  }
  const region = locateFragment(text, block, await documentSymbols(doc));
  if (region) {
    const lines = `lines ${region.startLine + 1}–${region.endLine + 1}`;
    return {
      range: lineRange(doc, region.startLine, region.endLine),
      code: reindent(block, doc.lineAt(region.startLine).text),
      how: region.how,
      title: region.how === 'symbol' ? `replaces ${region.name ?? 'the symbol'} (${lines})` : `replaces ${lines} (closest match)`,
    };
  }
  const why = `Hearth could not tell where this code goes in ${name} (no symbol of the same name, no lines alike enough)`;
  if (!editor.selection.isEmpty) {
    const { start, end } = editor.selection;
    return { range: editor.selection, code, how: 'selection', title: `replaces the selection (lines ${start.line + 1}–${end.line + 1})`, note: `${why}; the proposal replaces your selection instead.` };
  }
  const at = editor.selection.active;
  return {
    range: new vscode.Range(at, at),
    code,
    how: 'cursor',
    title: `inserted at line ${at.line + 1}`,
    note: `${why}; the proposal inserts it at the cursor (line ${at.line + 1}). Select the code it should replace and press Apply again to replace that instead.`,
  };
}
