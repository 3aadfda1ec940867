// A chat turn on the Anthropic provider through the view's message path, against the fake Messages API,
// with the key set for that provider only.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { defaultAnswerText, startFakeAnthropicServer, type FakeAnthropicServer } from '../support/fakeAnthropicServer';
import { type ChatSession, is, openChat, printTranscriptIfFailed, startTurn, type WebviewTranscript } from './support/hearth';

const apiKey = 'sk-ant-hearth-integration';

describe('chat with Anthropic', () => {
  let server: FakeAnthropicServer;
  let chat: ChatSession;
  let transcript: WebviewTranscript;

  before(async () => {
    server = await startFakeAnthropicServer({ apiKey });
    const settings = { 'hearth.provider': 'anthropic', 'hearth.anthropic.baseUrl': server.baseUrl, 'hearth.anthropic.model': 'claude-fake-1' };
    chat = await openChat(settings, 'newChat', () => vscode.commands.executeCommand('hearth.setApiKey', apiKey, 'anthropic'));
    transcript = chat.transcript;
  });

  afterEach(function () {
    printTranscriptIfFailed(this.currentTest, transcript);
  });

  after(async () => {
    await vscode.commands.executeCommand('hearth.clearApiKey', 'anthropic');
    await chat?.close();
    await server?.close();
  });

  it('streams an answer with the system prompt in `system`', async () => {
    const question = 'What does the borrow checker do?';
    const turn = await startTurn(transcript, question);
    const done = await turn.done;
    assert.equal(done.status, 'complete', JSON.stringify(done));
    assert.equal(turn.text(), defaultAnswerText(question));
    const body = server.requests.filter((r) => r.path === '/v1/messages').at(-1)?.body as { model?: string; system?: unknown; messages?: Array<{ role: string }> };
    assert.equal(body.model, 'claude-fake-1');
    assert.ok(body.system, 'the system prompt goes to the system parameter');
    assert.deepEqual(body.messages?.map((m) => m.role), ['user']);
  });

  it('stops mid-stream and the server sees the request cancelled', async () => {
    server.setScenario({ kind: 'slow' });
    const turn = await startTurn(transcript, 'Keep going');
    await transcript.waitFor(is('delta', (m) => m.messageId === turn.assistantId));
    await transcript.send({ type: 'stop' });
    assert.equal((await turn.done).status, 'stopped');
    await server.waitForDisconnect(1);
    server.setScenario({ kind: 'ok' });
  });

  it('says to set the key when Anthropic answers 401', async () => {
    await vscode.commands.executeCommand('hearth.setApiKey', 'sk-ant-wrong', 'anthropic');
    try {
      const turn = await startTurn(transcript, 'Hello?');
      const done = await turn.done;
      assert.equal(done.status, 'error');
      assert.equal(done.error?.kind, 'auth');
      assert.match(`${done.error?.message} ${done.error?.action}`, /Set API Key/);
      assert.ok(!JSON.stringify(done).includes('sk-ant-wrong'));
    } finally {
      await vscode.commands.executeCommand('hearth.setApiKey', apiKey, 'anthropic');
    }
  });
});
