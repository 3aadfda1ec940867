// A preset's table in the real extension host: an `anthropic` endpoint (pointed at the local fake Anthropic API) whose
// model is in the table gets the table's context window where the API's model list does not know the model, and its
// answers are priced from the table with the date it was checked; the user's own prices win over the table.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { startFakeAnthropicServer, type FakeAnthropicServer } from '../support/fakeAnthropicServer';
import { type ChatSession, is, openChat, printTranscriptIfFailed, startTurn } from './support/hearth';

const key = 'sk-ant-preset-table-5c1f';

describe('preset tables: context window and dated list price', function () {
  this.timeout(60_000);
  let server: FakeAnthropicServer;
  let chat: ChatSession | undefined;

  before(async () => {
    // The fake lists only claude-fake-*: for claude-sonnet-5 the server says nothing, so the table answers.
    server = await startFakeAnthropicServer({ apiKey: key });
    chat = await openChat(
      {
        'hearth.provider': 'endpoint:claude',
        'hearth.endpoints': [
          { id: 'claude', preset: 'anthropic', baseUrl: server.baseUrl, model: 'claude-sonnet-5' },
          { id: 'claude-own', preset: 'anthropic', baseUrl: server.baseUrl, model: 'claude-sonnet-5', inputPrice: 1, outputPrice: 1 },
        ],
      },
      'newChat',
      async () => {
        await vscode.commands.executeCommand('hearth.setApiKey', key, 'endpoint:claude');
        await vscode.commands.executeCommand('hearth.setApiKey', key, 'endpoint:claude-own');
      },
    );
  });

  afterEach(function () {
    printTranscriptIfFailed(this.currentTest, chat?.transcript);
  });

  after(async () => {
    await vscode.commands.executeCommand('hearth.clearApiKey', 'endpoint:claude');
    await vscode.commands.executeCommand('hearth.clearApiKey', 'endpoint:claude-own');
    await chat?.close();
    await server?.close();
  });

  it("prices the answer from the table, says so with the date, and shows the table's context window", async () => {
    assert.ok(chat);
    const from = chat.transcript.messages.length;
    const turn = await startTurn(chat.transcript, 'Hello, Claude');
    const done = await turn.done;
    assert.equal(done.status, 'complete', JSON.stringify(done));
    const cost = done.stats?.cost;
    assert.ok(cost && done.usage, JSON.stringify(done));
    assert.equal(cost.presetChecked, '2026-12-05');
    assert.equal(cost.currency, 'USD');
    // claude-sonnet-5: $2 in, $10 out per million tokens.
    assert.ok(Math.abs(cost.amount - (done.usage.promptTokens * 2 + done.usage.completionTokens * 10) / 1e6) < 1e-12, JSON.stringify(cost));
    const spent = await chat.transcript.waitFor(is('status', (m) => m.status.providerId === 'endpoint:claude' && m.status.conversationCost !== undefined), from);
    assert.equal(spent.status.conversationCost?.[0]?.presetChecked, '2026-12-05');
    // The API lists only claude-fake-*, so the window the status line shows is the table's.
    const windowed = await chat.transcript.waitFor(is('status', (m) => m.status.providerId === 'endpoint:claude' && m.status.contextWindow !== undefined), 0);
    assert.equal(windowed.status.contextWindow, 1_000_000);
  });

  it("uses the user's own prices over the table, without the preset hint", async () => {
    assert.ok(chat);
    const picked = chat.transcript.waitFor(is('status', (m) => m.status.providerId === 'endpoint:claude-own'), chat.transcript.messages.length);
    await chat.transcript.send({ type: 'selectProvider', providerId: 'endpoint:claude-own' });
    await picked;
    const done = await (await startTurn(chat.transcript, 'Again, at my price')).done;
    assert.equal(done.status, 'complete', JSON.stringify(done));
    assert.ok(done.stats?.cost && done.usage, JSON.stringify(done));
    assert.equal(done.stats.cost.presetChecked, undefined);
    assert.ok(Math.abs(done.stats.cost.amount - (done.usage.promptTokens + done.usage.completionTokens) / 1e6) < 1e-12, JSON.stringify(done.stats.cost));
  });
});
