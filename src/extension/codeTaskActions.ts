// The editor actions (Hearth submenu and command palette): Explain, Fix, Write Tests, Add Docs and
// Review on the selection, or on the function around the cursor. Each attaches the code as a chip,
// opens the panel and sends the prompt made for the job (src/chat/codeTasks.ts).
import * as vscode from 'vscode';
import type { ChatController } from '../chat/chatController';
import { codeTaskIds, codeTaskInstruction, codeTasks, type CodeDiagnostic, type CodeTaskId } from '../chat/codeTasks';
import { codeAroundProblem, maxProblemSymbolLines, pickEnclosingRange, type PickedRange } from '../chat/enclosingRange';
import type { ChatViewProvider } from './chatViewProvider';
import { documentSymbols, wholeLines } from './documentSymbols';
import { estimateTokens, rangeAttachment } from './editorContext';
import { FixRequestSchema, type FixRequest } from './fixWithHearth';

export interface CodeTaskDeps {
  controller: ChatController;
  view: ChatViewProvider;
}

const severityNames = ['error', 'warning', 'information', 'hint'];

/** A VS Code diagnostic as the prompt describes it. */
export function codeDiagnostic(d: vscode.Diagnostic): CodeDiagnostic {
  return {
    message: d.message,
    severity: severityNames[d.severity] ?? 'error',
    line: d.range.start.line + 1,
    ...(d.source ? { source: d.source } : {}),
  };
}

/** Errors and warnings of `doc` that touch `range`. */
function problemsIn(doc: vscode.TextDocument, range: vscode.Range): CodeDiagnostic[] {
  return vscode.languages
    .getDiagnostics(doc.uri)
    .filter((d) => d.severity <= vscode.DiagnosticSeverity.Warning && d.range.intersection(range) !== undefined)
    .map(codeDiagnostic);
}

interface Target {
  doc: vscode.TextDocument;
  range: vscode.Range;
  diagnostics: CodeDiagnostic[];
  /** Said in the panel when the code is not what the user selected. */
  note?: string;
}

/** The selection, else the enclosing symbol, else the paragraph; a string says why there is nothing. */
async function editorTarget(task: CodeTaskId, editor: vscode.TextEditor): Promise<Target | string> {
  const doc = editor.document;
  if (!editor.selection.isEmpty) {
    return { doc, range: editor.selection, diagnostics: task === 'fix' ? problemsIn(doc, editor.selection) : [] };
  }
  const symbols = await documentSymbols(doc.uri);
  const lines = Array.from({ length: doc.lineCount }, (_, i) => doc.lineAt(i).text);
  const picked = pickEnclosingRange(symbols, editor.selection.active, lines);
  if (!picked) {
    return symbols
      ? 'Select some code first: the cursor is on a blank line outside any function, method or class.'
      : `Select some code first: there is no outline for ${doc.languageId} files to find the function around the cursor, and the cursor is on a blank line.`;
  }
  const range = wholeLines(doc, picked.startLine, picked.endLine);
  const note = fallbackNote(task, doc.languageId, picked, symbols !== undefined, 'cursor');
  return { doc, range, diagnostics: task === 'fix' ? problemsIn(doc, range) : [], ...(note ? { note } : {}) };
}

/**
 * Said in the panel when the code sent is not a whole function, method or class (the cursor's
 * paragraph, or the lines around a problem): why, which lines, and how to choose exactly.
 */
export function fallbackNote(task: CodeTaskId, languageId: string, picked: PickedRange, outlined: boolean, around: 'cursor' | 'problem'): string | undefined {
  if (picked.source === 'symbol') return undefined;
  const label = codeTasks[task].label;
  const lineSpan = `lines ${picked.startLine + 1}-${picked.endLine + 1}`;
  const what = picked.source === 'paragraph' ? 'the paragraph' : 'the lines';
  if (picked.tooLong) return `${picked.tooLong} is longer than ${maxProblemSymbolLines} lines: ${label} works on ${what} around the ${around} (${lineSpan}). Select code to choose exactly.`;
  if (outlined) return `No function, method or class around the ${around}: ${label} works on ${what} around it (${lineSpan}).`;
  return `No outline for ${languageId} files: ${label} works on ${what} around the ${around} (${lineSpan}). Select code to choose exactly.`;
}

/** The problems the lightbulb was shown for, with the code around them. */
async function fixTarget(request: FixRequest): Promise<Target | string> {
  let doc: vscode.TextDocument;
  try {
    doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(request.uri));
  } catch (err) {
    return `the file is no longer open: ${err instanceof Error ? err.message : String(err)}`;
  }
  const startLine = Math.min(...request.problems.map((p) => p.startLine));
  const endLine = Math.max(...request.problems.map((p) => p.endLine));
  const symbols = await documentSymbols(doc.uri);
  const picked = codeAroundProblem(symbols, { startLine, endLine }, doc.lineCount);
  const diagnostics = request.problems.map((p) => ({
    message: p.message,
    severity: p.severity,
    line: p.startLine + 1,
    ...(p.source ? { source: p.source } : {}),
  }));
  const note = fallbackNote('fix', doc.languageId, picked, symbols !== undefined, 'problem');
  return { doc, range: wholeLines(doc, picked.startLine, picked.endLine), diagnostics, ...(note ? { note } : {}) };
}

/** Attaches the target's code as a chip, opens the panel and sends the task's prompt. */
export async function sendCodeTask(deps: CodeTaskDeps, task: CodeTaskId, target: Target): Promise<void> {
  const { controller, view } = deps;
  if (controller.isGenerating) {
    void vscode.window.showWarningMessage('Hearth is still writing an answer. Stop it first (Escape in the panel), then try again.');
    return;
  }
  const attachment = rangeAttachment(target.doc, target.range);
  controller.addChip(attachment, estimateTokens(attachment.content));
  await view.reveal();
  if (target.note) controller.notice('info', target.note);
  const instruction = codeTaskInstruction(task, {
    languageId: target.doc.languageId,
    fileName: attachment.label,
    ...(target.diagnostics.length ? { diagnostics: target.diagnostics } : {}),
  });
  await controller.send(instruction);
}

async function runCodeTask(deps: CodeTaskDeps, task: CodeTaskId, arg: unknown): Promise<void> {
  const fix = task === 'fix' ? FixRequestSchema.safeParse(arg) : undefined;
  let target: Target | string;
  if (fix?.success) {
    target = await fixTarget(fix.data);
  } else {
    // From the editor's context menu the argument is the file's URI: the editor the menu was on.
    const editor =
      arg instanceof vscode.Uri
        ? [vscode.window.activeTextEditor, ...vscode.window.visibleTextEditors].find((e) => e?.document.uri.toString() === arg.toString())
        : vscode.window.activeTextEditor;
    target = editor ? await editorTarget(task, editor) : 'Open a file in the editor first.';
  }
  if (typeof target === 'string') {
    void vscode.window.showWarningMessage(`Hearth ${codeTasks[task].label}: ${target}`);
    return;
  }
  await sendCodeTask(deps, task, target);
}

export function registerCodeTaskCommands(deps: CodeTaskDeps): vscode.Disposable[] {
  return codeTaskIds.map((task) => vscode.commands.registerCommand(codeTasks[task].command, (arg?: unknown) => runCodeTask(deps, task, arg)));
}
