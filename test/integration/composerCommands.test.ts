// The composer's slash commands and #mentions as the host reads them, #file: completion from the
// workspace, and Apply of a fragment: only the function it redefines changes.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { type ChatSession, is, openChat, printTranscriptIfFailed, startTurn, type WebviewTranscript } from './support/hearth';

/** Resolves when a diff tab whose right side is a Hearth proposal (newer than `known`) is open. */
function proposalDiffTab(known: ReadonlySet<string> = new Set()): Promise<vscode.TabInputTextDiff> {
  const find = () =>
    vscode.window.tabGroups.all
      .flatMap((g) => g.tabs)
      .map((t) => t.input)
      .find((i): i is vscode.TabInputTextDiff => i instanceof vscode.TabInputTextDiff && i.modified.scheme === 'hearth-proposal' && !known.has(i.modified.toString()));
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

function workspaceFolder(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  assert.ok(folder, 'the integration run opens a workspace folder');
  return folder;
}

async function writeFile(name: string, content: string | Uint8Array): Promise<vscode.Uri> {
  const uri = vscode.Uri.joinPath(workspaceFolder(), name);
  await vscode.workspace.fs.writeFile(uri, typeof content === 'string' ? new TextEncoder().encode(content) : content);
  return uri;
}

const sample = [
  'export function add(a: number, b: number): number {',
  '  return a + b;',
  '}',
  '',
  'export function divide(a: number, b: number): number {',
  '  const q = a / b;',
  '  return q;',
  '}',
  '',
  'export function square(x: number): number {',
  '  return x * x;',
  '}',
  '',
].join('\n');

describe('composer commands, #mentions and fragment Apply', function () {
  this.timeout(120_000);
  let chat: ChatSession;
  let transcript: WebviewTranscript;
  const created: vscode.Uri[] = [];
  const stamp = Date.now();

  before(async () => {
    chat = await openChat({ 'hearth.provider': 'local', 'hearth.local.modelPath': '' }, 'ready');
    transcript = chat.transcript;
  });

  afterEach(function () {
    printTranscriptIfFailed(this.currentTest, transcript);
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const uri of created) await vscode.workspace.fs.delete(uri).then(undefined, () => undefined);
    await chat?.close();
  });

  it('tells the panel the five slash commands when it is ready', async () => {
    const { commands } = await transcript.waitFor(is('composerCommands'));
    assert.deepEqual(commands.map((c) => c.slash), ['/explain', '/fix', '/tests', '/doc', '/review']);
    assert.ok(commands.every((c) => c.description.length > 0));
  });

  it('#file: completion answers from the workspace, with the request id it was asked with', async () => {
    const name = `mention-target-${stamp}.ts`;
    created.push(await writeFile(name, 'export const mentioned = true;\n'));
    const from = transcript.messages.length;
    await transcript.send({ type: 'findFiles', requestId: 41, query: `target-${stamp}` });
    const answer = await transcript.waitFor(is('fileMatches', (m) => m.requestId === 41), from);
    assert.deepEqual(answer.files, [name]);
    await transcript.send({ type: 'findFiles', requestId: 42, query: 'zzqq-no-such-file-xx' });
    assert.deepEqual((await transcript.waitFor(is('fileMatches', (m) => m.requestId === 42), from)).files, []);
  });

  it('refuses a #file over the size cap, says why and gives the text back', async () => {
    const name = `big-${stamp}.log`;
    created.push(await writeFile(name, new Uint8Array(300_000).fill(0x61)));
    const from = transcript.messages.length;
    await transcript.send({ type: 'send', text: `summarize #file:${name}` });
    const notice = await transcript.waitFor(is('notice'), from);
    assert.match(notice.text, /300 KB; Hearth attaches files up to 200 KB/);
    const restored = await transcript.waitFor(is('restoreDraft'), from);
    assert.equal(restored.text, `summarize #file:${name}`);
    assert.ok(!transcript.messages.slice(from).some((m) => m.type === 'messageAdded'), 'nothing was sent');
  });

  it('/explain with #file: the task prompt on that file, which rides along as an attachment', async () => {
    const name = `explain-me-${stamp}.ts`;
    created.push(await writeFile(name, sample));
    const from = transcript.messages.length;
    const user = transcript.waitFor(is('messageAdded', (m) => m.message.role === 'user'), from);
    const turn = await startTurn(transcript, `/explain why divide has no check #file:${name}`);
    const { message } = await user;
    assert.match(message.content, new RegExp(`^Explain this typescript code from ${name.replace(/\./g, '\\.')}:`));
    assert.match(message.content, /The user adds: why divide has no check #file:/);
    assert.deepEqual(message.attachments?.map((a) => [a.kind, a.label, a.language]), [['file', name, 'typescript']]);
    assert.equal(message.attachments?.[0]?.content, sample);
    await transcript.send({ type: 'stop' });
    await turn.done;
  });

  it('/fix without attached code takes the editor selection; with none, says what to do', async () => {
    const doc = await vscode.workspace.openTextDocument({ content: sample, language: 'typescript' });
    const editor = await vscode.window.showTextDocument(doc);
    editor.selection = new vscode.Selection(4, 0, 7, 1);
    const from = transcript.messages.length;
    const user = transcript.waitFor(is('messageAdded', (m) => m.message.role === 'user'), from);
    const turn = await startTurn(transcript, '/fix b may be 0');
    const { message } = await user;
    assert.match(message.content, /^Find and fix the bugs in this typescript code from .*:5-8\./);
    assert.match(message.content, /The user adds: b may be 0/);
    assert.equal(message.attachments?.[0]?.kind, 'selection');
    assert.equal(message.attachments?.[0]?.content, sample.split('\n').slice(4, 8).join('\n'));
    await transcript.send({ type: 'stop' });
    await turn.done;

    editor.selection = new vscode.Selection(0, 0, 0, 0);
    const before = transcript.messages.length;
    await transcript.send({ type: 'send', text: '/fix' });
    const notice = await transcript.waitFor(is('notice'), before);
    assert.match(notice.text, /\/fix works on code: select it in the editor, or attach it/);
  });

  it('fragment Apply proposes a diff that touches only the function it redefines', async () => {
    const uri = await writeFile(`fragment-${stamp}.ts`, sample);
    created.push(uri);
    const editor = await vscode.window.showTextDocument(uri);
    editor.selection = new vscode.Selection(0, 0, 0, 0);
    const fixed = ['export function divide(a: number, b: number): number {', "  if (b === 0) throw new RangeError('cannot divide by 0');", '  return a / b;', '}'].join('\n');
    const diff = proposalDiffTab();
    await transcript.send({ type: 'applyCode', code: fixed, language: 'typescript' });
    const tab = await diff;
    assert.equal(tab.original.toString(), uri.toString());
    const proposal = (await vscode.workspace.openTextDocument(tab.modified)).getText();
    const expected = sample.replace('export function divide(a: number, b: number): number {\n  const q = a / b;\n  return q;\n}', fixed);
    assert.equal(proposal, expected, 'only divide is replaced; add and square stay as they are');
    const tabLabel =
      vscode.window.tabGroups.all
        .flatMap((g) => g.tabs)
        .find((t) => t.input instanceof vscode.TabInputTextDiff && t.input.modified.toString() === tab.modified.toString())?.label ?? '';
    assert.match(tabLabel, /replaces (divide \(lines 5–8\)|lines 5–8 \(closest match\))/);
    assert.equal(editor.document.getText(), sample, 'nothing changes before Accept');
    await vscode.commands.executeCommand('hearth.acceptProposal', tab.modified);
    assert.equal(editor.document.getText(), expected);
    await editor.document.save();
  });

  it('Apply of a block that matches nothing says so and proposes it at the cursor', async () => {
    const uri = await writeFile(`nomatch-${stamp}.ts`, sample);
    created.push(uri);
    const editor = await vscode.window.showTextDocument(uri);
    editor.selection = new vscode.Selection(12, 0, 12, 0);
    const known = new Set(vscode.window.tabGroups.all.flatMap((g) => g.tabs).map((t) => (t.input instanceof vscode.TabInputTextDiff ? t.input.modified.toString() : '')));
    const diff = proposalDiffTab(known);
    const from = transcript.messages.length;
    const block = 'SELECT id, name\nFROM users\nWHERE active = 1;';
    await transcript.send({ type: 'applyCode', code: block, language: 'sql' });
    const notice = await transcript.waitFor(is('notice'), from);
    assert.match(notice.text, /could not tell where this code goes in .*nomatch-.*inserts it at the cursor \(line 13\)/);
    const proposal = (await vscode.workspace.openTextDocument((await diff).modified)).getText();
    assert.equal(proposal, sample + block);
    await vscode.commands.executeCommand('hearth.rejectProposal', (await diff).modified);
    assert.equal(editor.document.getText(), sample);
  });
});
