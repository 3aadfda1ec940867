// What a message typed in the composer asks for: its `#mentions` become attachments, like the
// context chips, and a leading `/explain`, `/fix`, `/tests`, `/doc` or `/review` turns it into that
// code task's prompt on the attached code (the chips, else the editor's selection).
import * as vscode from 'vscode';
import { codeTaskFromSlash, codeTaskInstruction, type CodeDiagnostic } from '../chat/codeTasks';
import type { Attachment } from '../protocol/chat';
import { distinctMentions, parseComposerInput, type Mention } from '../protocol/composerSyntax';
import { gatherContext } from './editorContext';
import { fileMentionAttachment } from './workspaceFiles';

export interface ComposedMessage {
  /** The user message's text: as typed, or the task's instruction with the rest as the user's request. */
  content: string;
  /** Attachments the mentions (and a task's implicit selection) add to the chips already attached. */
  attachments: Attachment[];
}

const severities = ['error', 'warning', 'information', 'hint'] as const;
/** Problems listed at most, so that a broken workspace does not fill the context window. */
const maxProblems = 200;

function describe(uri: vscode.Uri, d: vscode.Diagnostic): string {
  const where = `${vscode.workspace.asRelativePath(uri, false)}:${d.range.start.line + 1}:${d.range.start.character + 1}`;
  return `${where} ${severities[d.severity]}: ${d.message}${d.source ? ` (${d.source})` : ''}`;
}

/** `#problems`: the active file's problems, or the whole workspace's when no file is open. */
function problemsAttachment(): Attachment {
  const doc = vscode.window.activeTextEditor?.document;
  const entries: Array<[vscode.Uri, readonly vscode.Diagnostic[]]> = doc ? [[doc.uri, vscode.languages.getDiagnostics(doc.uri)]] : vscode.languages.getDiagnostics();
  const lines = entries.flatMap(([uri, diagnostics]) => diagnostics.map((d) => describe(uri, d)));
  const scope = doc ? vscode.workspace.asRelativePath(doc.uri, false) : 'the workspace';
  const shown = lines.slice(0, maxProblems);
  const more = lines.length > shown.length ? `\n… and ${lines.length - shown.length} more` : '';
  return {
    kind: 'problems',
    label: `Problems in ${scope} (${lines.length})`,
    content: lines.length ? shown.join('\n') + more : `No problems reported in ${scope}.`,
  };
}

async function mentionAttachment(mention: Mention): Promise<Attachment | string> {
  switch (mention.kind) {
    case 'selection':
      return gatherContext('selection');
    case 'problems':
      return problemsAttachment();
    case 'file':
      return mention.path ? fileMentionAttachment(mention.path) : gatherContext('file');
  }
}

/** The editor's problems inside its selection, for `/fix` on the selected code. */
function selectionDiagnostics(): CodeDiagnostic[] {
  const editor = vscode.window.activeTextEditor;
  if (!editor) return [];
  return vscode.languages
    .getDiagnostics(editor.document.uri)
    .filter((d) => d.range.intersection(editor.selection) !== undefined)
    .map((d) => ({ message: d.message, severity: severities[d.severity], line: d.range.start.line + 1, ...(d.source ? { source: d.source } : {}) }));
}

/**
 * Turns typed text into the message to send, given the chips already attached; a string says why it
 * cannot be sent as it is (a mention that names nothing, a file too large, a task with no code).
 */
export async function composeMessage(text: string, attached: readonly Attachment[]): Promise<ComposedMessage | string> {
  const input = parseComposerInput(text);
  const attachments: Attachment[] = [];
  for (const mention of distinctMentions(input.mentions)) {
    const attachment = await mentionAttachment(mention);
    if (typeof attachment === 'string') return attachment;
    attachments.push(attachment);
  }
  const task = input.command ? codeTaskFromSlash(input.command) : undefined;
  // An unknown `/word` is ordinary text (a path, a shell command).
  if (!task) return { content: text, attachments };

  let code = [...attached, ...attachments].find((a) => a.kind === 'selection' || a.kind === 'file');
  let diagnostics: CodeDiagnostic[] = [];
  if (!code) {
    const selection = gatherContext('selection');
    if (typeof selection === 'string') {
      return `/${task} works on code: select it in the editor, or attach it first (+ Selection, + File, #file:path). Nothing was sent.`;
    }
    code = selection;
    diagnostics = selectionDiagnostics();
    attachments.unshift(selection);
  }
  const content = codeTaskInstruction(task, {
    languageId: code.language ?? 'plaintext',
    fileName: code.label,
    diagnostics,
    ...(input.request ? { request: input.request } : {}),
  });
  return { content, attachments };
}
