// The provider over VS Code's own language models, inside a real extension host: the panel's "no models" error
// (code-server has no Copilot), and the provider driven with stand-in models through the real vscode classes
// (LanguageModelChatMessage, CancellationTokenSource, LanguageModelError).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { VscodeLmProvider } from '../../src/extension/vscodeLmProvider';
import type { ChatRequest } from '../../src/providers/types';
import { activateHearth, is, startTurn, useSettings, WebviewTranscript } from './support/hearth';
import { collect } from '../support/chatEvents';

/** The text a LanguageModelChatMessage carries. */
function textOfMessage(message: vscode.LanguageModelChatMessage): string {
  return message.content.map((part) => (part instanceof vscode.LanguageModelTextPart ? part.value : '')).join('');
}

type Reply = (messages: vscode.LanguageModelChatMessage[], token: vscode.CancellationToken) => AsyncIterable<string>;

interface StandIn {
  model: vscode.LanguageModelChat;
  sent: vscode.LanguageModelChatMessage[][];
  tokens: vscode.CancellationToken[];
}

/** A model as an installed extension would offer it; `reply` streams the answer or throws. */
function standIn(id: string, family: string, reply: Reply): StandIn {
  const sent: vscode.LanguageModelChatMessage[][] = [];
  const tokens: vscode.CancellationToken[] = [];
  const model: vscode.LanguageModelChat = {
    id,
    family,
    name: `Stand-in ${id}`,
    vendor: 'hearth-test',
    version: '1',
    maxInputTokens: 8192,
    async sendRequest(messages, _options, token) {
      sent.push(messages);
      const cancel = token ?? new vscode.CancellationTokenSource().token;
      tokens.push(cancel);
      const text = reply(messages, cancel);
      return { text, stream: text };
    },
    async countTokens(text) {
      return (typeof text === 'string' ? text : textOfMessage(text)).split(/\s+/).length;
    },
  };
  return { model, sent, tokens };
}

async function* words(...parts: string[]): AsyncGenerator<string> {
  for (const part of parts) yield part;
}

const question: ChatRequest = {
  messages: [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content: 'Hello?' },
    { role: 'assistant', content: 'Hi.' },
    { role: 'user', content: 'Reverse a list?' },
  ],
};

describe('VS Code language models provider', () => {
  describe('through the panel', () => {
    let transcript: WebviewTranscript;
    let restoreSettings: (() => Promise<void>) | undefined;

    before(async () => {
      const api = await activateHearth();
      transcript = new WebviewTranscript(api);
      const init = transcript.waitFor(is('init'));
      await transcript.send({ type: 'ready' });
      await init;
    });

    afterEach(async function () {
      if (this.currentTest?.state === 'failed') console.log(`Messages posted to the webview:\n${transcript.summary()}`);
      await restoreSettings?.();
      restoreSettings = undefined;
    });

    after(() => transcript?.dispose());

    it('is offered as a remote provider', async () => {
      const init = await transcript.waitFor(is('init'));
      assert.deepEqual(
        init.providers.find((p) => p.id === 'vscode-lm'),
        { id: 'vscode-lm', label: 'VS Code language models', kind: 'remote' },
      );
    });

    it('says to install a chat model extension when VS Code has no models but Hearth’s own', async function () {
      // Hearth's local models are listed (vendor 'hearth'); the provider must not count them.
      if ((await vscode.lm.selectChatModels()).some((m) => m.vendor !== 'hearth')) this.skip();
      restoreSettings = await useSettings({ 'hearth.provider': 'vscode-lm' });
      // The reopened conversation may have a provider picked for it by an earlier suite: pick this one.
      await transcript.send({ type: 'selectProvider', providerId: 'vscode-lm' });
      const turn = await startTurn(transcript, 'Is anyone there?');
      const done = await turn.done;
      assert.equal(done.status, 'error');
      assert.equal(done.error?.kind, 'badModel');
      assert.match(done.error?.message ?? '', /no chat models/i);
      assert.match(done.error?.action ?? '', /Install and sign in/);
      assert.equal(turn.text(), '');
    });
  });

  describe('with stand-in models', () => {
    let model = '';
    const providerFor = (...models: StandIn[]): VscodeLmProvider =>
      new VscodeLmProvider({ getSettings: () => ({ model }), selectChatModels: async () => models.map((m) => m.model) });

    beforeEach(() => {
      model = '';
    });

    it('streams the answer, with the system prompt in front of the first user message', async () => {
      const fake = standIn('stand-in-1', 'fam-a', () => words('To ', 'reverse: ', 'xs[::-1]'));
      const { events, text, error } = await collect(providerFor(fake).chat(question));
      assert.equal(error, undefined);
      assert.equal(text, 'To reverse: xs[::-1]');
      assert.deepEqual(events.at(-1), { type: 'finish', reason: 'stop' });
      const sent = fake.sent[0] ?? [];
      assert.deepEqual(
        sent.map((m) => [m.role, textOfMessage(m)]),
        [
          [vscode.LanguageModelChatMessageRole.User, 'Be brief.\n\nHello?'],
          [vscode.LanguageModelChatMessageRole.Assistant, 'Hi.'],
          [vscode.LanguageModelChatMessageRole.User, 'Reverse a list?'],
        ],
      );
    });

    it("leaves out Hearth's own local models (vendor 'hearth'), which would answer through VS Code and back", async () => {
      const other = standIn('stand-in-1', 'fam-a', () => words('From the other model.'));
      const mine = standIn('demo', 'hearth-demo', () => words('From Hearth itself.'));
      const own: StandIn = { ...mine, model: { ...mine.model, vendor: 'hearth' } };
      const provider = providerFor(own, other);
      assert.deepEqual((await provider.models()).map((m) => m.id), ['stand-in-1']);
      assert.equal((await collect(provider.chat(question))).text, 'From the other model.');
      model = 'demo';
      const { error } = await collect(providerFor(own).chat(question));
      assert.equal(error?.kind, 'badModel', 'the only model is Hearth’s own: none is available');
    });

    it('lists the models and picks one by id or family', async () => {
      const a = standIn('model-a', 'fam-a', () => words('from a'));
      const b = standIn('model-b', 'fam-b', () => words('from b'));
      const provider = providerFor(a, b);
      assert.deepEqual(await provider.models(), [
        { id: 'model-a', label: 'Stand-in model-a (hearth-test)', contextWindow: 8192 },
        { id: 'model-b', label: 'Stand-in model-b (hearth-test)', contextWindow: 8192 },
      ]);
      assert.equal((await collect(provider.chat(question))).text, 'from a', 'empty setting: the first model');
      model = 'fam-b';
      assert.equal((await collect(provider.chat(question))).text, 'from b');
      assert.equal((await collect(provider.chat({ ...question, model: 'model-a' }))).text, 'from a', 'the panel choice wins');
      model = 'nope';
      const { error } = await collect(provider.chat(question));
      assert.equal(error?.kind, 'badModel');
      assert.match(error?.message ?? '', /'nope'.*model-a, model-b/);
      assert.match(error?.action ?? '', /Select Model/);
    });

    it('maps LanguageModelError codes to errors that say what to do', async () => {
      const failing = (err: Error): StandIn =>
        standIn('m', 'f', () => ({
          [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(err) }),
        }));
      const cases: Array<[Error, string, RegExp]> = [
        [vscode.LanguageModelError.NoPermissions('not allowed'), 'auth', /Allow/],
        [vscode.LanguageModelError.Blocked('quota'), 'rateLimit', /try again/i],
        [vscode.LanguageModelError.NotFound('gone'), 'badModel', /Select Model/],
        [new Error('prompt is too long for this model'), 'contextTooLong', /new conversation/],
      ];
      for (const [err, kind, action] of cases) {
        const { error } = await collect(providerFor(failing(err)).chat(question));
        assert.equal(error?.kind, kind, `${err.message} -> ${kind}`);
        assert.match(error?.action ?? '', action);
      }
    });

    it('stops at once on abort and cancels the request token, even if the model ignores it', async () => {
      let release: () => void = () => undefined;
      const fake = standIn('slow', 'f', async function* () {
        yield 'first ';
        // Never yields again by itself: only the abort can end this answer.
        await new Promise<void>((resolve) => (release = resolve));
      });
      const controller = new AbortController();
      const { events, text, error } = await collect(providerFor(fake).chat(question, controller.signal), (e) => {
        if (e.type === 'delta') controller.abort();
      });
      release();
      assert.equal(error, undefined);
      assert.equal(text, 'first ');
      assert.deepEqual(events.at(-1), { type: 'finish', reason: 'cancelled' });
      assert.equal(fake.tokens[0]?.isCancellationRequested, true);
    });

    it('finishes as cancelled without a request when already aborted', async () => {
      const fake = standIn('m', 'f', () => words('never'));
      const controller = new AbortController();
      controller.abort();
      const { events } = await collect(providerFor(fake).chat(question, controller.signal));
      assert.deepEqual(events, [{ type: 'finish', reason: 'cancelled' }]);
      assert.equal(fake.sent.length, 0);
    });
  });
});
