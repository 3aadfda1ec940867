// Hearth: Compare Models in the extension host: the bundled demo model on the local engine against the
// fake OpenAI-compatible server, at once; each side saved as a conversation that continues in the chat.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ComparisonResult } from '../../src/chat/compare';
import type { Conversation, ConversationSummary } from '../../src/protocol/chat';
import { defaultAnswerText, startFakeOpenAiServer, type FakeOpenAiServer } from '../support/fakeOpenAiServer';
import { type ChatSession, is, openChat, printTranscriptIfFailed, startTurn } from './support/hearth';

const apiKey = 'sk-hearth-integration-compare';

describe('compare models', function () {
  this.timeout(120_000);
  let server: FakeOpenAiServer;
  let chat: ChatSession;

  before(async () => {
    server = await startFakeOpenAiServer({ apiKey });
    const settings = { 'hearth.provider': 'openai', 'hearth.openai.baseUrl': server.baseUrl, 'hearth.openai.model': 'fake-model', 'hearth.local.modelPath': '' };
    chat = await openChat(settings, 'ready', () => vscode.commands.executeCommand('hearth.setApiKey', apiKey));
  });

  beforeEach(() => server.setScenario({ kind: 'ok' }));

  afterEach(function () {
    printTranscriptIfFailed(this.currentTest, chat?.transcript);
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('hearth.clearApiKey');
    await chat?.close();
    await server?.close();
  });

  const compare = (args: object) => vscode.commands.executeCommand<ComparisonResult | undefined>('hearth.compareModels', args);

  /** Opens a conversation in the chat view, as picking it in the history does, and returns what the view got. */
  async function openInChat(id: string): Promise<Conversation & { listed: ConversationSummary[] }> {
    const { transcript } = chat;
    const init = transcript.waitFor(is('init', (m) => m.conversation.id === id), transcript.messages.length);
    await transcript.send({ type: 'selectConversation', id });
    const { conversation, conversations } = await init;
    return { ...conversation, listed: conversations };
  }

  it('asks the local model and the configured remote provider at once, measures both and saves both', async () => {
    const prompt = 'Compare: what is a closure?';
    const chatRequestsBefore = server.requests.filter((r) => r.path.endsWith('/chat/completions')).length;
    const result = await compare({ prompt, run: true });
    assert.ok(result, 'a run with a prompt resolves with its result');
    const [local, remote] = result.sides;
    assert.deepEqual([local.status, remote.status], ['complete', 'complete'], JSON.stringify(result));

    // The local side: the demo model, measured, free.
    assert.ok((local.stats.completionTokens ?? 0) > 0, JSON.stringify(local.stats));
    assert.ok((local.stats.promptTokens ?? 0) > 0);
    assert.ok(local.stats.timeToFirstTokenMs !== undefined && local.stats.tokensPerSecond !== undefined);
    assert.deepEqual(local.stats.cost, { amount: 0, currency: 'USD' });
    // The remote side: the server's usage; no prices set for it, so no cost is made up.
    assert.ok((remote.stats.completionTokens ?? 0) > 0, JSON.stringify(remote.stats));
    assert.equal(remote.stats.cost, undefined);

    const chatRequests = server.requests.filter((r) => r.path.endsWith('/chat/completions'));
    assert.equal(chatRequests.length, chatRequestsBefore + 1, 'one request to the remote API, none for the local side');
    const body = chatRequests.at(-1)?.body as { model?: string; messages?: Array<{ role: string; content: string }> };
    assert.equal(body.model, 'fake-model');
    assert.deepEqual(body.messages?.at(-1), { role: 'user', content: prompt });

    const remoteConversation = await openInChat(remote.conversationId);
    assert.equal(remoteConversation.comparisonId, result.comparisonId);
    assert.equal(remoteConversation.providerId, 'openai');
    assert.equal(remoteConversation.model, 'fake-model');
    assert.deepEqual(remoteConversation.messages.map((m) => [m.role, m.status]), [['user', 'complete'], ['assistant', 'complete']]);
    assert.equal(remoteConversation.messages[1]?.content, defaultAnswerText(prompt));
    const localConversation = await openInChat(local.conversationId);
    assert.equal(localConversation.comparisonId, result.comparisonId);
    assert.equal(localConversation.providerId, 'local');
    assert.ok((localConversation.messages[1]?.content.length ?? 0) > 0);
    assert.deepEqual(
      localConversation.listed.filter((c) => c.comparisonId === result.comparisonId).map((c) => c.id).sort(),
      [local.conversationId, remote.conversationId].sort(),
      'history lists both sides, tagged as one comparison',
    );
  });

  it('a side continued in the chat goes on with its own provider and model', async () => {
    const result = await compare({ prompt: 'First question', run: true });
    assert.ok(result);
    await openInChat(result.sides[1].conversationId);
    const before = server.requests.length;
    const turn = await startTurn(chat.transcript, 'And a follow-up');
    assert.equal((await turn.done).status, 'complete');
    const request = server.requests.slice(before).find((r) => r.path.endsWith('/chat/completions'));
    const body = request?.body as { model?: string; messages?: Array<{ role: string; content: string }> };
    assert.equal(body.model, 'fake-model');
    assert.deepEqual(body.messages?.slice(-3).map((m) => m.role), ['user', 'assistant', 'user']);
    assert.equal(body.messages?.at(-2)?.content, defaultAnswerText('First question'));
  });

  it('a remote side that fails leaves the local side to finish', async () => {
    server.setScenario({ kind: 'status', status: 401 });
    const result = await compare({ prompt: 'Is anyone there?', targets: [{ providerId: 'local' }, { providerId: 'openai' }], run: true });
    assert.ok(result);
    assert.equal(result.sides[0].status, 'complete');
    assert.equal(result.sides[1].status, 'error');
    const failed = await openInChat(result.sides[1].conversationId);
    assert.equal(failed.messages[1]?.error?.kind, 'auth');
  });
});
