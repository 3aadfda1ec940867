// Reasoning output in the real extension host: a fake OpenAI-compatible server that thinks aloud in
// `reasoning_content` (as DeepSeek and Qwen do). The panel gets the thinking apart from the answer,
// the conversation file keeps it, and the follow-up question's request carries none of it.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { HostToWebview } from '../../src/protocol/webviewMessages';
import { defaultAnswerText, startFakeOpenAiServer, type FakeOpenAiServer } from '../support/fakeOpenAiServer';
import { type ChatSession, is, openChat, printTranscriptIfFailed, startTurn, type WebviewTranscript } from './support/hearth';

const apiKey = 'sk-hearth-integration-reasoning';
const thoughts = ['The user wants a **list** reversed. ', 'SECRET-REASONING: slicing works.'];

describe('reasoning output from an OpenAI-compatible API', function () {
  let server: FakeOpenAiServer;
  let chat: ChatSession;
  let transcript: WebviewTranscript;

  before(async () => {
    server = await startFakeOpenAiServer({ apiKey });
    const settings = { 'hearth.provider': 'openai', 'hearth.openai.baseUrl': server.baseUrl, 'hearth.openai.model': 'fake-reasoner' };
    chat = await openChat(settings, 'newChat', () => vscode.commands.executeCommand('hearth.setApiKey', apiKey));
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

  it('streams the thinking apart from the answer, saves it, and leaves it out of the follow-up request', async () => {
    // A conversation of its own, so the follow-up's history is exactly this test's turn.
    const fresh = transcript.waitFor(is('init'), transcript.messages.length);
    await transcript.send({ type: 'newChat' });
    const conversationId = (await fresh).conversation.id;

    server.setScenario({
      kind: 'ok',
      reasoningChunks: thoughts,
      usage: { prompt_tokens: 12, completion_tokens: 40, completion_tokens_details: { reasoning_tokens: 25 } },
    });
    const from = transcript.messages.length;
    const question = 'How do I reverse a list in Python?';
    const turn = await startTurn(transcript, question);
    const done = await turn.done;
    assert.equal(done.status, 'complete');
    const reasoning = transcript.messages
      .slice(from)
      .filter((m): m is Extract<HostToWebview, { type: 'reasoningDelta' }> => m.type === 'reasoningDelta' && m.messageId === turn.assistantId)
      .map((m) => m.text);
    assert.deepEqual(reasoning, thoughts, 'the panel gets the thinking as reasoning, piece by piece');
    assert.equal(turn.text(), defaultAnswerText(question), 'and the answer without it');
    assert.equal(done.usage?.reasoningTokens, 25);
    assert.equal(typeof done.stats?.thinkingMs, 'number');

    server.setScenario({ kind: 'ok' });
    const requestsBefore = server.requests.length;
    const followUp = await startTurn(transcript, 'And a tuple?');
    assert.equal((await followUp.done).status, 'complete');
    const [request] = server.requests.slice(requestsBefore).filter((r) => r.path.endsWith('/chat/completions'));
    const body = request?.body as { messages?: Array<{ role: string; content: string }> };
    assert.deepEqual(body.messages?.slice(-3), [
      { role: 'user', content: question },
      { role: 'assistant', content: defaultAnswerText(question) },
      { role: 'user', content: 'And a tuple?' },
    ]);
    assert.ok(!JSON.stringify(request?.body).includes('SECRET-REASONING'), 'no reasoning in the follow-up request');

    // Reopened from its file: the answer keeps its thinking, its time and its tokens.
    const away = transcript.waitFor(is('init'), transcript.messages.length);
    await transcript.send({ type: 'newChat' });
    await away;
    const back = transcript.waitFor(is('init', (m) => m.conversation.id === conversationId), transcript.messages.length);
    await transcript.send({ type: 'selectConversation', id: conversationId });
    const answer = (await back).conversation.messages.find((m) => m.id === turn.assistantId);
    assert.equal(answer?.reasoning, thoughts.join(''));
    assert.equal(answer?.content, defaultAnswerText(question));
    assert.equal(answer?.usage?.reasoningTokens, 25);
    assert.equal(answer?.stats?.thinkingMs, done.stats?.thinkingMs);
  });
});
