// `hearth.setApiKey <key>` stores the key in SecretStorage (used on the next request), `hearth.clearApiKey`
// removes it, and the key never lands in settings.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { startFakeOpenAiServer, type FakeOpenAiServer } from '../support/fakeOpenAiServer';
import { type ChatSession, hearthExtension, openChat, printTranscriptIfFailed, startTurn, type WebviewTranscript } from './support/hearth';

const apiKey = 'sk-hearth-integration-key-7f3a';

function settingsText(): string {
  const config = vscode.workspace.getConfiguration();
  const keys = Object.keys(hearthExtension().packageJSON.contributes.configuration.properties as Record<string, unknown>);
  const values = keys.map((key) => config.inspect(key));
  // The runner passes the user settings file of its profile; absent under @vscode/test-cli.
  const file = process.env.HEARTH_TEST_USER_SETTINGS;
  return JSON.stringify(values) + (file && existsSync(file) ? readFileSync(file, 'utf8') : '');
}

describe('API key commands', () => {
  let server: FakeOpenAiServer;
  let chat: ChatSession;
  let transcript: WebviewTranscript;

  before(async () => {
    server = await startFakeOpenAiServer({ apiKey });
    chat = await openChat({ 'hearth.provider': 'openai', 'hearth.openai.baseUrl': server.baseUrl }, 'ready');
    transcript = chat.transcript;
  });

  afterEach(function () {
    printTranscriptIfFailed(this.currentTest, transcript);
  });

  after(async () => {
    await vscode.commands.executeCommand('hearth.clearApiKey');
    await chat?.close();
    await server?.close();
  });

  it('stores a key passed as an argument and sends it with the next request', async () => {
    await vscode.commands.executeCommand('hearth.setApiKey', apiKey);
    const from = server.requests.length;
    const turn = await startTurn(transcript, 'Hello with a key');
    const done = await turn.done;
    assert.equal(done.status, 'complete', JSON.stringify(done));
    const sent = server.requests.slice(from).filter((r) => r.path.endsWith('/chat/completions'));
    assert.equal(sent.at(-1)?.headers.authorization, `Bearer ${apiKey}`);
  });

  it('never writes the key into settings', () => {
    assert.ok(!settingsText().includes(apiKey));
  });

  it('clears the key: the next request fails with an auth error that says to set it', async () => {
    // A model-list refresh the panel started earlier (after the last answer, or on opening) may still be on its
    // way with the key it read then. Choosing the provider again awaits the list the panel holds, in flight or not,
    // so every request counted below was made after the key was cleared.
    await transcript.send({ type: 'selectProvider', providerId: 'openai' });
    await vscode.commands.executeCommand('hearth.setApiKey', apiKey);
    await vscode.commands.executeCommand('hearth.clearApiKey');
    const from = server.requests.length;
    const turn = await startTurn(transcript, 'Hello without a key');
    const done = await turn.done;
    assert.equal(done.status, 'error');
    assert.equal(done.error?.kind, 'auth');
    assert.match(`${done.error?.message ?? ''} ${done.error?.action ?? ''}`, /Set API Key/i);
    const withKey = server.requests.slice(from).filter((r) => r.headers.authorization === `Bearer ${apiKey}`);
    assert.deepEqual(withKey, [], 'no request carried the cleared key');
    assert.ok(!settingsText().includes(apiKey));
  });
});
