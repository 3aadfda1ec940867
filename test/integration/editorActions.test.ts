// Code-block actions, context chips and links, through the view's message path: each one must do
// exactly what the user clicked and nothing else.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateHearth, is, WebviewTranscript } from './support/hearth';

/** Resolves when the active editor satisfies `predicate` (now or after a later change). */
function activeEditorWhere(predicate: (e: vscode.TextEditor) => boolean): Promise<vscode.TextEditor> {
  const now = vscode.window.activeTextEditor;
  if (now && predicate(now)) return Promise.resolve(now);
  return new Promise((resolve) => {
    const sub = vscode.window.onDidChangeActiveTextEditor((e) => {
      if (e && predicate(e)) {
        sub.dispose();
        resolve(e);
      }
    });
  });
}

/** Resolves when a diff tab whose right side is a Hearth proposal is open. */
function proposalDiffTab(): Promise<vscode.TabInputTextDiff> {
  const find = () =>
    vscode.window.tabGroups.all
      .flatMap((g) => g.tabs)
      .map((t) => t.input)
      .find((i): i is vscode.TabInputTextDiff => i instanceof vscode.TabInputTextDiff && i.modified.scheme === 'hearth-proposal');
  const found = find();
  if (found) return Promise.resolve(found);
  return new Promise((resolve) => {
    const sub = vscode.window.tabGroups.onDidChangeTabs(() => {
      const tab = find();
      if (tab) {
        sub.dispose();
        resolve(tab);
      }
    });
  });
}

async function openScratch(content: string, language = 'typescript'): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument({ content, language });
  return vscode.window.showTextDocument(doc);
}

describe('code-block actions and context from the panel', () => {
  let transcript: WebviewTranscript;

  before(async () => {
    transcript = new WebviewTranscript(await activateHearth());
    const init = transcript.waitFor(is('init'));
    await transcript.send({ type: 'ready' });
    await init;
  });

  after(async () => {
    transcript?.dispose();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('inserts a code block at the cursor', async () => {
    const editor = await openScratch('const a = 1;\n\nconst c = 3;\n');
    editor.selection = new vscode.Selection(1, 0, 1, 0);
    await transcript.send({ type: 'insertCode', code: 'const b = 2;' });
    assert.equal(editor.document.getText(), 'const a = 1;\nconst b = 2;\nconst c = 3;\n');
  });

  it('opens a code block in a new untitled file with its language', async () => {
    const opened = activeEditorWhere((e) => e.document.isUntitled && e.document.getText() === 'print("hi")\n');
    await transcript.send({ type: 'openCode', code: 'print("hi")\n', language: 'py' });
    const editor = await opened;
    assert.equal(editor.document.languageId, 'python');
  });

  it('applies a code block only after the user accepts the diff', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    assert.ok(folder, 'the integration run opens a workspace folder');
    const file = vscode.Uri.joinPath(folder, `apply-${Date.now()}.ts`);
    await vscode.workspace.fs.writeFile(file, new TextEncoder().encode('export const x = 1;\nexport const y = 2;\n'));
    const editor = await vscode.window.showTextDocument(file);
    editor.selection = new vscode.Selection(1, 0, 1, 19);

    const diff = proposalDiffTab();
    await transcript.send({ type: 'applyCode', code: 'export const y = 42;', language: 'typescript' });
    const tab = await diff;
    assert.equal(tab.original.toString(), file.toString());
    assert.equal(editor.document.getText(), 'export const x = 1;\nexport const y = 2;\n', 'nothing changes before Accept');

    await vscode.commands.executeCommand('hearth.acceptProposal', tab.modified);
    assert.equal(editor.document.getText(), 'export const x = 1;\nexport const y = 42;\n');
    await editor.document.save();
    await vscode.workspace.fs.delete(file);
  });

  it('rejecting a proposal leaves the file untouched', async () => {
    const editor = await openScratch('let keep = true;\n');
    const diff = proposalDiffTab();
    await transcript.send({ type: 'applyCode', code: 'let keep = false;\n' });
    const tab = await diff;
    await vscode.commands.executeCommand('hearth.rejectProposal', tab.modified);
    assert.equal(editor.document.getText(), 'let keep = true;\n');
    await vscode.commands.executeCommand('hearth.acceptProposal', tab.modified);
    assert.equal(editor.document.getText(), 'let keep = true;\n', 'a rejected proposal cannot be accepted later');
  });

  it('attaches the selection as a chip with a token count, and removes it', async () => {
    const editor = await openScratch('function add(a, b) {\n  return a + b;\n}\n', 'javascript');
    editor.selection = new vscode.Selection(0, 0, 2, 1);
    const from = transcript.messages.length;
    await transcript.send({ type: 'attachContext', kind: 'selection' });
    const { chips } = await transcript.waitFor(is('chips', (m) => m.chips.length > 0), from);
    assert.equal(chips.length, 1);
    assert.equal(chips[0]?.kind, 'selection');
    assert.match(chips[0]?.label ?? '', /:1-3$/);
    assert.ok((chips[0]?.tokens ?? 0) > 0);

    const removedFrom = transcript.messages.length;
    await transcript.send({ type: 'removeContext', id: chips[0]?.id ?? '' });
    const after = await transcript.waitFor(is('chips'), removedFrom);
    assert.deepEqual(after.chips, []);
  });

  it('explains why a chip cannot be made instead of attaching nothing', async () => {
    const editor = await openScratch('x\n');
    editor.selection = new vscode.Selection(0, 0, 0, 0);
    const from = transcript.messages.length;
    await transcript.send({ type: 'attachContext', kind: 'selection' });
    const notice = await transcript.waitFor(is('notice'), from);
    assert.match(notice.text, /Select some code/);
  });

  it('refuses to open javascript: and command: links from model output', async () => {
    for (const url of ['javascript:alert(1)', 'command:workbench.action.terminal.new', 'file:///etc/passwd']) {
      const from = transcript.messages.length;
      await transcript.send({ type: 'openLink', url });
      const notice = await transcript.waitFor(is('notice'), from);
      assert.match(notice.text, /only http, https and mailto/);
    }
  });

  it('drops messages that fail validation without acting on them', async () => {
    const from = transcript.messages.length;
    await transcript.send({ type: 'insertCode' });
    await transcript.send({ type: 'runCommand', command: 'workbench.action.terminal.new' });
    await transcript.send('not an object');
    assert.deepEqual(transcript.messages.slice(from), []);
  });
});
