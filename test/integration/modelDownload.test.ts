// Hearth: Download Model… in the real extension host, against the hub double: a catalog entry (served
// with the demo model's files) downloads, answers in the conversation, and a cancelled download resumes.
import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, watch } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { type FakeHub, repoFromFolder, startFakeHub } from '../support/fakeHub';
import { type ChatSession, hearthExtension, is, openChat, printTranscriptIfFailed, startTurn } from './support/hearth';

const ENTRY = 'qwen2.5-0.5b-instruct';
const REPO = 'onnx-community/Qwen2.5-0.5B-Instruct';
const WEIGHTS = 'onnx/model_q4.onnx';

/** Resolves once the file holds at least `bytes`, woken by file-system events (no polling). */
function untilSize(file: string, bytes: number): Promise<void> {
  const enough = () => existsSync(file) && statSync(file).size >= bytes;
  if (enough()) return Promise.resolve();
  return new Promise((resolve) => {
    const watcher = watch(join(file, '..'), () => {
      if (!enough()) return;
      watcher.close();
      resolve();
    });
    if (enough()) {
      watcher.close();
      resolve();
    }
  });
}

describe('Hearth: Download Model…', function () {
  this.timeout(120_000);
  let hub: FakeHub;
  let modelsDir: string;
  let chat: ChatSession;
  let demo: string;
  let id: string;

  before(async () => {
    demo = join(hearthExtension().extensionPath, 'dist', 'demo-model');
    hub = await startFakeHub();
    // The catalog's real repository id and file names, with the demo model's bytes behind them.
    const repo = repoFromFolder(REPO, demo, { rename: { 'onnx/model.onnx': WEIGHTS } });
    hub.addRepo(repo);
    id = `onnx-community--Qwen2.5-0.5B-Instruct@${repo.commit.slice(0, 12)}`;
    modelsDir = mkdtempSync(join(tmpdir(), 'hearth-models-'));
    chat = await openChat({
      'hearth.provider': 'local',
      'hearth.local.modelPath': '',
      'hearth.hub.endpoint': hub.url,
      'hearth.local.modelsDir': modelsDir,
    });
  });
  afterEach(function () {
    printTranscriptIfFailed(this.currentTest, chat?.transcript);
  });
  after(async () => {
    // New chats keep the conversation's model: the next suites must not inherit the one downloaded here.
    await vscode.commands.executeCommand('hearth.selectLocalModel', { id: null });
    await chat?.close();
    await hub?.close();
    rmSync(modelsDir, { recursive: true, force: true });
  });

  it('downloads a gated model only with a token, which goes to the hub and never to the CDN', async () => {
    // The catalog's Llama 3.2 1B entry pins a commit: the double serves that commit, gated.
    const llama = repoFromFolder('onnx-community/Llama-3.2-1B-Instruct', demo, {
      rename: { 'onnx/model.onnx': WEIGHTS },
      commit: 'c5b77c42b9a13105f54d55be507e1a65b5b8149b',
    });
    hub.addRepo({ ...llama, gatedToken: 'hf_e2e_token' });
    assert.equal(await vscode.commands.executeCommand('hearth.downloadModel', 'llama-3.2-1b-instruct'), undefined, 'refused without a token');
    await vscode.commands.executeCommand('hearth.setHubToken', 'hf_e2e_token');
    try {
      const cdnBefore = hub.cdn.requests.length;
      assert.match((await vscode.commands.executeCommand<string>('hearth.downloadModel', 'llama-3.2-1b-instruct')) ?? '', /^onnx-community--Llama-3\.2-1B-Instruct@c5b77c42b9a1$/);
      assert.ok(hub.hub.requests.some((r) => r.headers.authorization === 'Bearer hf_e2e_token'), 'the hub got the token');
      const cdn = hub.cdn.requests.slice(cdnBefore);
      assert.ok(cdn.length > 0 && cdn.every((r) => r.headers.authorization === undefined), 'the CDN never did');
    } finally {
      await vscode.commands.executeCommand('hearth.setHubToken', '');
    }
  });

  it('resumes a cancelled download with a Range request', async () => {
    hub.faults.hold = { path: WEIGHTS, afterBytes: 300_000 };
    const first = vscode.commands.executeCommand<string | undefined>('hearth.downloadModel', ENTRY);
    await hub.whenHeld();
    await untilSize(join(modelsDir, id, '.parts', WEIGHTS), 300_000);
    await vscode.commands.executeCommand('hearth.cancelModelDownloads');
    assert.equal(await first, undefined, 'a cancelled download installs nothing');
    hub.release();
    assert.equal(await vscode.commands.executeCommand<string | undefined>('hearth.downloadModel', ENTRY), id);
    assert.deepEqual(
      hub.cdn.requests.map((r) => r.headers.range).filter(Boolean),
      ['bytes=300000-'],
      'the second download asked for the rest only',
    );
    assert.deepEqual(readFileSync(join(modelsDir, id, WEIGHTS)), readFileSync(join(demo, 'onnx', 'model.onnx')));
  });

  it('the downloaded model answers in the conversation', async () => {
    const installed = await vscode.commands.executeCommand<string | undefined>('hearth.downloadModel', ENTRY);
    assert.equal(installed, id, 'already installed: found, not downloaded again');
    await chat.transcript.waitFor(is('status', (m) => m.status.model === id && (m.status.models ?? []).includes(id)));
    const turn = await startTurn(chat.transcript, 'Hello?');
    const done = await turn.done;
    assert.equal(done.status, 'complete', JSON.stringify(done));
    assert.match(turn.text(), /Hearth/);
    await chat.transcript.waitFor(is('status', (m) => m.status.model === installed && m.status.device === 'cpu'));
  });
});
