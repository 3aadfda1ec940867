// A whole chat turn through the chat view's message path (the same validation and handler the webview's
// postMessage reaches), against the fake OpenAI-compatible server running inside this extension host.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { defaultAnswerText, startFakeOpenAiServer, type FakeOpenAiServer } from '../support/fakeOpenAiServer';
import { type ChatSession, is, openChat, printTranscriptIfFailed, startTurn, type WebviewTranscript } from './support/hearth';

const apiKey = 'sk-hearth-integration-chat';

describe('chat with an OpenAI-compatible API', function () {
  let server: FakeOpenAiServer;
  let chat: ChatSession;
  let transcript: WebviewTranscript;

  before(async () => {
    server = await startFakeOpenAiServer({ apiKey });
    const settings = { 'hearth.provider': 'openai', 'hearth.openai.baseUrl': server.baseUrl, 'hearth.openai.model': 'fake-model' };
    chat = await openChat(settings, 'ready', () => vscode.commands.executeCommand('hearth.setApiKey', apiKey));
    transcript = chat.transcript;
  });

  beforeEach(() => server.setScenario({ kind: 'ok' }));

  afterEach(function () {
    printTranscriptIfFailed(this.currentTest, transcript);
  });

  after(async () => {
    await vscode.commands.executeCommand('hearth.clearApiKey');
    await chat?.close();
    await server?.close();
  });

  it('streams a whole answer and marks it complete', async () => {
    const question = 'How do I reverse a list in Python?';
    const requestsBefore = server.requests.length;
    const turn = await startTurn(transcript, question);
    const done = await turn.done;

    assert.equal(done.status, 'complete', `finished with ${JSON.stringify(done)}`);
    assert.equal(turn.text(), defaultAnswerText(question), 'the deltas add up to the answer the server streamed');

    const chatRequests = server.requests.slice(requestsBefore).filter((r) => r.path.endsWith('/chat/completions'));
    assert.equal(chatRequests.length, 1);
    const [request] = chatRequests;
    assert.equal(request?.headers.authorization, `Bearer ${apiKey}`);
    const body = request?.body as { model?: string; stream?: boolean; messages?: Array<{ role: string; content: string }> };
    assert.equal(body.model, 'fake-model');
    assert.equal(body.stream, true);
    assert.deepEqual(body.messages?.at(-1), { role: 'user', content: question });
  });

  it('tells the user to set the key when the API answers 401', async () => {
    await vscode.commands.executeCommand('hearth.setApiKey', 'sk-wrong-key');
    try {
      const turn = await startTurn(transcript, 'Are you there?');
      const done = await turn.done;
      assert.equal(done.status, 'error');
      assert.equal(done.error?.kind, 'auth');
      const shown = `${done.error?.message ?? ''} ${done.error?.action ?? ''}`;
      assert.match(shown, /Set API Key/i, `the error says what to do: ${shown}`);
      assert.ok(!shown.includes('sk-wrong-key'), 'the error never quotes the key');
    } finally {
      await vscode.commands.executeCommand('hearth.setApiKey', apiKey);
    }
  });

  it('stops mid-stream: the message is marked stopped and the request is cancelled', async () => {
    server.setScenario({ kind: 'slow', chunk: 'tick ', intervalMs: 20 });
    const disconnectsBefore = server.requests.filter((r) => r.clientDisconnected).length;
    const turn = await startTurn(transcript, 'Count forever, please.');
    await transcript.waitFor(is('delta', (m) => m.messageId === turn.assistantId));

    await transcript.send({ type: 'stop' });
    const done = await turn.done;
    assert.equal(done.status, 'stopped');
    await turn.handled;

    const dropped = await server.waitForDisconnect(disconnectsBefore + 1);
    assert.ok(dropped.path.endsWith('/chat/completions'), 'the streaming request was the one cut off');
    const doneIndex = transcript.messages.indexOf(done);
    const lateDeltas = transcript.messages.slice(doneIndex).filter((m) => m.type === 'delta' && m.messageId === turn.assistantId);
    assert.deepEqual(lateDeltas, [], 'no text arrives after the message is done');
    assert.match(turn.text(), /^(tick )+$/);
  });
});
