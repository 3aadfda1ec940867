// The language's outline of a document, as plain symbols for the range picking in src/chat/enclosingRange.ts.
import * as vscode from 'vscode';
import type { SymbolNode } from '../chat/enclosingRange';

/**
 * The document's symbols, or undefined when no symbol provider answered for its language (the
 * caller then falls back to the paragraph and says so). A provider that fails counts as none.
 */
export async function documentSymbols(uri: vscode.Uri): Promise<readonly SymbolNode[] | undefined> {
  let symbols: readonly (vscode.DocumentSymbol | vscode.SymbolInformation)[] | undefined;
  try {
    symbols = await vscode.commands.executeCommand<(vscode.DocumentSymbol | vscode.SymbolInformation)[] | undefined>('vscode.executeDocumentSymbolProvider', uri);
  } catch {
    return undefined;
  }
  if (!symbols?.length) return undefined;
  // Older providers answer with a flat SymbolInformation list; its location range is the declaration.
  return symbols.map((s) => ('children' in s ? s : { name: s.name, kind: s.kind, range: s.location.range }));
}

/** The whole lines from `startLine` to `endLine` (0-based, both included). */
export function wholeLines(doc: vscode.TextDocument, startLine: number, endLine: number): vscode.Range {
  const last = Math.min(endLine, doc.lineCount - 1);
  return new vscode.Range(startLine, 0, last, doc.lineAt(last).text.length);
}
