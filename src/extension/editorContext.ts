// Gathers editor context (selection, active file, its problems) for the chat's context chips.
import * as vscode from 'vscode';
import type { Attachment } from '../protocol/chat';
import type { ContextKind } from '../protocol/webviewMessages';

const maxChars = 200_000;

function fileName(doc: vscode.TextDocument): string {
  return vscode.workspace.asRelativePath(doc.uri, false);
}

function clip(text: string): string {
  return text.length > maxChars ? `${text.slice(0, maxChars)}\n… (cut at ${maxChars} characters)` : text;
}

/** The attachment for a chip, or a reason it cannot be made. */
export function gatherContext(kind: ContextKind): Attachment | string {
  const editor = vscode.window.activeTextEditor;
  if (!editor) return 'Open a file in the editor first.';
  const doc = editor.document;
  switch (kind) {
    case 'selection':
      if (editor.selection.isEmpty) return 'Select some code in the editor first.';
      return rangeAttachment(doc, editor.selection);
    case 'file':
      return { kind, label: fileName(doc), content: clip(doc.getText()), language: doc.languageId };
    case 'problems': {
      const diagnostics = vscode.languages.getDiagnostics(doc.uri);
      if (diagnostics.length === 0) return `${fileName(doc)} has no problems.`;
      const severity = ['error', 'warning', 'info', 'hint'];
      const lines = diagnostics.map(
        (d) => `${fileName(doc)}:${d.range.start.line + 1}:${d.range.start.character + 1} ${severity[d.severity]}: ${d.message}${d.source ? ` (${d.source})` : ''}`,
      );
      return { kind, label: `Problems in ${fileName(doc)} (${diagnostics.length})`, content: clip(lines.join('\n')) };
    }
  }
}

/** A chip for some lines of a document (a selection, or the function an editor action picked). */
export function rangeAttachment(doc: vscode.TextDocument, range: vscode.Range): Attachment {
  return {
    kind: 'selection',
    label: `${fileName(doc)}:${range.start.line + 1}-${range.end.line + 1}`,
    content: clip(doc.getText(range)),
    language: doc.languageId,
  };
}

/** A rough count for remote providers (about 4 characters a token); the local engine counts exactly. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}
