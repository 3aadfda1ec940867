// Named endpoints from user settings: each one a provider in the panel's picker with its own key (bound to its
// origin), its model list in the picker (or why there is none), and its context window in the status line.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { startFakeOpenAiServer, type FakeOpenAiServer } from '../support/fakeOpenAiServer';
import { type ChatSession, is, openChat, printTranscriptIfFailed, startTurn, type WebviewTranscript } from './support/hearth';

const key = 'sk-endpoint-own-key-3d9e';

describe('named endpoints (hearth.endpoints)', function () {
  this.timeout(60_000);
  let keyed: FakeOpenAiServer;
  let llama: FakeOpenAiServer;
  let chat: ChatSession;
  let transcript: WebviewTranscript;

  before(async () => {
    keyed = await startFakeOpenAiServer({ apiKey: key, models: ['alpha', 'beta'] });
    llama = await startFakeOpenAiServer({ props: { default_generation_settings: { n_ctx: 8192 } }, models: ['local-gguf'] });
    chat = await openChat({
      'hearth.provider': 'local',
      'hearth.endpoints': [
        { id: 'team', label: 'Team gateway', baseUrl: keyed.baseUrl, model: 'alpha' },
        { id: 'llama', preset: 'llama-server', baseUrl: llama.baseUrl, model: 'local-gguf' },
      ],
    });
    transcript = chat.transcript;
  });

  afterEach(function () {
    printTranscriptIfFailed(this.currentTest, transcript);
  });

  after(async () => {
    await vscode.commands.executeCommand('hearth.clearApiKey', 'endpoint:team');
    await chat?.close();
    await keyed?.close();
    await llama?.close();
  });

  it('offers every endpoint in the provider picker', async () => {
    const init = transcript.messages.filter((m) => m.type === 'init').at(-1);
    assert.ok(init?.type === 'init');
    const offered = init.providers.map((p) => [p.id, p.label]);
    assert.deepEqual(offered.filter(([id]) => id?.startsWith('endpoint:')), [
      ['endpoint:team', 'Team gateway'],
      ['endpoint:llama', "llama.cpp's llama-server"],
    ]);
  });

  it('says why the model list is missing before a key is set, then lists the models with the key', async () => {
    const from = transcript.messages.length;
    await transcript.send({ type: 'selectProvider', providerId: 'endpoint:team' });
    const unlisted = await transcript.waitFor(is('status', (m) => m.status.providerId === 'endpoint:team' && m.status.modelsError !== undefined), from);
    assert.match(unlisted.status.modelsError ?? '', /wants an API key \(401\)/);

    await vscode.commands.executeCommand('hearth.setApiKey', key, 'endpoint:team');
    const next = transcript.messages.length;
    const turn = await startTurn(transcript, 'Hello, team gateway');
    const done = await turn.done;
    assert.equal(done.status, 'complete', JSON.stringify(done));
    const request = keyed.requests.filter((r) => r.path.endsWith('/chat/completions')).at(-1);
    assert.equal(request?.headers.authorization, `Bearer ${key}`, 'the endpoint gets its own key');
    assert.equal((request?.body as { model?: string }).model, 'alpha');
    // A new key forgets the cached "no list"; the status after the answer lists the models.
    const listed = await transcript.waitFor(is('status', (m) => m.status.providerId === 'endpoint:team' && (m.status.models?.length ?? 0) > 0), next);
    assert.deepEqual(listed.status.models, ['alpha', 'beta']);
    assert.equal(listed.status.endpoint, new URL(keyed.baseUrl).host);
  });

  it("shows a llama-server endpoint's context window from /props, with no key needed", async () => {
    const from = transcript.messages.length;
    await transcript.send({ type: 'selectProvider', providerId: 'endpoint:llama' });
    const status = await transcript.waitFor(is('status', (m) => m.status.providerId === 'endpoint:llama' && m.status.contextWindow !== undefined), from);
    assert.equal(status.status.contextWindow, 8192);
    const turn = await startTurn(transcript, 'Hi llama');
    assert.equal((await turn.done).status, 'complete');
    const request = llama.requests.filter((r) => r.path.endsWith('/chat/completions')).at(-1);
    assert.equal(request?.headers.authorization, 'Bearer no-key', "no one's key goes to a keyless endpoint");
  });
});
