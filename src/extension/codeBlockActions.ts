// What the user can do with a code block from an answer. Each one starts from an explicit click.
import * as vscode from 'vscode';
import { applyTarget } from './applyTarget';
import { ProposalDocuments } from './proposalDocuments';

export async function insertAtCursor(code: string): Promise<boolean> {
  const editor = vscode.window.activeTextEditor ?? vscode.window.visibleTextEditors[0];
  if (!editor) {
    void vscode.window.showWarningMessage('Hearth: open a file and place the cursor where the code should go.');
    return false;
  }
  return editor.edit((edit) => {
    for (const selection of editor.selections) edit.replace(selection, code);
  });
}

export async function openInNewFile(code: string, language: string | undefined): Promise<void> {
  const doc = await vscode.workspace.openTextDocument({ content: code, ...(language ? { language: normalizeLanguage(language) } : {}) });
  await vscode.window.showTextDocument(doc, { preview: false });
}

/**
 * Shows the code applied to the active file in VS Code's diff editor: in place of the function or
 * lines a fragment replaces (see applyTarget), else the whole file, the selection or at the cursor.
 * Nothing is written until the user runs "Accept Proposed Change" from the diff's title bar.
 * Returns what the user should be told (no place found), if anything.
 */
export async function proposeApply(code: string, proposals: ProposalDocuments): Promise<string | undefined> {
  const editor = vscode.window.activeTextEditor ?? vscode.window.visibleTextEditors.find((e) => e.document.uri.scheme !== ProposalDocuments.scheme);
  if (!editor) {
    void vscode.window.showWarningMessage('Hearth: open the file to apply the code to, then press Apply again.');
    return undefined;
  }
  const doc = editor.document;
  const target = await applyTarget(editor, code);
  const text = doc.getText();
  const proposed = text.slice(0, doc.offsetAt(target.range.start)) + target.code + text.slice(doc.offsetAt(target.range.end));
  const proposalUri = proposals.add(doc.uri, doc.version, proposed);
  const name = doc.uri.path.split('/').pop() ?? 'file';
  await vscode.commands.executeCommand('vscode.diff', doc.uri, proposalUri, `${name} ↔ Hearth proposal: ${target.title} (review, then Accept)`);
  return target.note;
}

const languageAliases: Record<string, string> = {
  js: 'javascript',
  ts: 'typescript',
  py: 'python',
  sh: 'shellscript',
  bash: 'shellscript',
  zsh: 'shellscript',
  shell: 'shellscript',
  yml: 'yaml',
  md: 'markdown',
  rs: 'rust',
  'c++': 'cpp',
  cs: 'csharp',
};

export function normalizeLanguage(language: string): string {
  const l = language.trim().toLowerCase();
  return languageAliases[l] ?? l;
}
