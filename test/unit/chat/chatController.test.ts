import * as assert from 'node:assert/strict';
import { ChatController, type ConversationRepository } from '../../../src/chat/chatController';
import type { Conversation, ConversationSummary } from '../../../src/protocol/chat';
import type { HostToWebview, ProviderOption, Status } from '../../../src/protocol/webviewMessages';
import { ProviderError, type ChatEvent, type ChatProvider, type ChatRequest } from '../../../src/providers/types';

/** An in-memory store that records every save. */
class MemoryStore implements ConversationRepository {
  readonly saved = new Map<string, Conversation>();
  readonly deleted: Conversation[] = [];
  saves = 0;
  async list(): Promise<ConversationSummary[]> {
    return [...this.saved.values()]
      .sort((a, b) => b.updatedAt - a.updatedAt)
      .map((c) => ({ id: c.id, title: c.title, updatedAt: c.updatedAt, messageCount: c.messages.length }));
  }
  async load(id: string) {
    const c = this.saved.get(id);
    return c ? structuredClone(c) : undefined;
  }
  scheduleSave(c: Conversation): void {
    this.saved.set(c.id, structuredClone(c));
  }
  async save(c: Conversation): Promise<void> {
    this.saves++;
    this.saved.set(c.id, structuredClone(c));
  }
  async delete(id: string): Promise<void> {
    const c = this.saved.get(id);
    if (c) this.deleted.push(c);
    this.saved.delete(id);
  }
  async restore(): Promise<string | undefined> {
    const c = this.deleted.pop();
    if (!c) return undefined;
    this.saved.set(c.id, c);
    return c.id;
  }
  async rename(id: string, title: string): Promise<void> {
    const c = this.saved.get(id);
    if (c) c.title = title;
  }
  async search(query: string): Promise<ConversationSummary[]> {
    return (await this.list()).filter((s) => s.title.toLowerCase().includes(query.toLowerCase()));
  }
}

/** A provider whose answers the test scripts; `gate` lets a test hold the stream open. */
class ScriptedProvider implements ChatProvider {
  readonly id = 'fake';
  readonly label = 'Fake';
  readonly kind = 'remote' as const;
  requests: ChatRequest[] = [];
  constructor(private readonly script: (req: ChatRequest, signal?: AbortSignal) => AsyncIterable<ChatEvent>) {}
  async models() {
    return [];
  }
  chat(request: ChatRequest, signal?: AbortSignal): AsyncIterable<ChatEvent> {
    this.requests.push(request);
    return this.script(request, signal);
  }
}

function setup(provider: ChatProvider, providers: ProviderOption[] = [{ id: 'fake', label: 'Fake', kind: 'remote' }]) {
  const store = new MemoryStore();
  const posted: HostToWebview[] = [];
  const waiters: Array<{ match: (m: HostToWebview) => boolean; resolve: (m: HostToWebview) => void }> = [];
  const controller = new ChatController({
    store,
    providers: () => providers,
    getProvider: async () => provider,
    settings: () => ({ providerId: 'fake', systemPrompt: 'Be brief.', modelFor: () => 'm1', endpointFor: (id) => `${id}.example`, priceFor: () => ({ input: 2, output: 10, currency: 'USD' }) }),
    post: (sent) => {
      // A copy, as postMessage gives the real webview: the controller keeps changing the objects it posted.
      const m = structuredClone(sent);
      posted.push(m);
      for (const w of waiters.splice(0)) (w.match(m) ? w.resolve(m) : waiters.push(w));
    },
  });
  const next = (match: (m: HostToWebview) => boolean) => new Promise<HostToWebview>((resolve) => waiters.push({ match, resolve }));
  return { store, posted, controller, next };
}

async function* answer(...parts: string[]): AsyncIterable<ChatEvent> {
  for (const text of parts) yield { type: 'delta', text };
  yield { type: 'usage', usage: { promptTokens: 10, completionTokens: parts.length } };
  yield { type: 'finish', reason: 'stop' };
}

describe('ChatController', () => {
  it('streams an answer as deltas and saves the finished turn', async () => {
    const provider = new ScriptedProvider(() => answer('Hel', 'lo'));
    const { controller, posted, store } = setup(provider);
    await controller.send('Say hello\nplease');

    const types = posted.map((m) => m.type);
    assert.deepEqual(types.filter((t) => t !== 'conversations' && t !== 'status'), [
      'chips',
      'messageAdded',
      'messageAdded',
      'generating',
      'delta',
      'delta',
      'messageDone',
      'generating',
    ]);
    const done = posted.find((m) => m.type === 'messageDone');
    assert.equal(done?.type === 'messageDone' && done.status, 'complete');
    const saved = store.saved.get(controller.current.id);
    assert.equal(saved?.title, 'Say hello');
    assert.deepEqual(saved?.messages.map((m) => [m.role, m.content, m.status]), [
      ['user', 'Say hello\nplease', 'complete'],
      ['assistant', 'Hello', 'complete'],
    ]);
    assert.deepEqual(provider.requests[0]?.messages, [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Say hello\nplease' },
    ]);
    assert.equal(provider.requests[0]?.model, 'm1');
    assert.equal(provider.requests[0]?.conversationId, controller.current.id);
    assert.equal(saved?.messages[1]?.endpoint, 'fake.example', 'the answer records where it came from');
    // 10 prompt tokens at 2 per million and 2 answer tokens at 10 per million.
    assert.deepEqual(saved?.messages[1]?.stats?.cost, { amount: (10 * 2 + 2 * 10) / 1e6, currency: 'USD' }, 'what the answer cost, from its usage');
    const status = posted.filter((m) => m.type === 'status').at(-1);
    assert.equal(status?.type === 'status' && status.status.endpoint, 'fake.example', 'the status line names the endpoint');
    assert.deepEqual(status?.type === 'status' && status.status.conversationCost, [{ amount: 40 / 1e6, currency: 'USD' }], 'and what the conversation cost');
  });

  it('never posts the whole conversation while streaming', async () => {
    const { controller, posted } = setup(new ScriptedProvider(() => answer('a', 'b', 'c')));
    await controller.send('hi');
    assert.equal(posted.filter((m) => m.type === 'init').length, 0);
  });

  it('stops at once, keeps the partial answer and marks it stopped', async () => {
    const provider = new ScriptedProvider(async function* (_req, signal) {
      yield { type: 'delta', text: 'partial' };
      await new Promise<void>((_, reject) => signal?.addEventListener('abort', () => reject(Object.assign(new Error('aborted'), { name: 'AbortError' }))));
    });
    const { controller, next, store } = setup(provider);
    const firstDelta = next((m) => m.type === 'delta');
    const sending = controller.send('long question');
    await firstDelta;
    assert.equal(controller.isGenerating, true);
    await controller.stop();
    await sending;
    const last = store.saved.get(controller.current.id)?.messages.at(-1);
    assert.equal(last?.status, 'stopped');
    assert.equal(last?.content, 'partial');
    assert.equal(controller.isGenerating, false);
  });

  it('shows a typed provider error with its action and keeps the conversation', async () => {
    const provider = new ScriptedProvider(async function* () {
      yield* [];
      throw new ProviderError('auth', 'The API key was rejected (401).', "Run 'Hearth: Set API Key'.", 401);
    });
    const { controller, posted, store } = setup(provider);
    await controller.send('hi');
    const done = posted.find((m) => m.type === 'messageDone');
    assert.ok(done?.type === 'messageDone');
    assert.equal(done.status, 'error');
    assert.equal(done.error?.kind, 'auth');
    assert.match(done.error?.action ?? '', /Set API Key/);
    assert.equal(store.saved.get(controller.current.id)?.messages.length, 2);
  });

  it('gives an error its fix (Set API Key for a provider whose key Hearth keeps), posted and saved with it', async () => {
    const provider = new ScriptedProvider(async function* () {
      yield* [];
      throw new ProviderError('auth', 'No API key is stored.', "Run 'Hearth: Set API Key'.", 401);
    });
    const { controller, posted, store } = setup(provider, [{ id: 'fake', label: 'Fake', kind: 'remote', keyed: true }]);
    await controller.send('hi');
    const done = posted.find((m) => m.type === 'messageDone');
    assert.ok(done?.type === 'messageDone');
    assert.equal(done.error?.remedy, 'setApiKey');
    assert.equal(store.saved.get(controller.current.id)?.messages.at(-1)?.error?.remedy, 'setApiKey', 'the button is back when the conversation is reopened');
  });

  it('drops a conversation whose only answer is an error when the user moves on, and keeps one they continued', async () => {
    let call = 0;
    const provider = new ScriptedProvider(async function* () {
      if (call++ < 2) throw new ProviderError('network', 'The server could not be reached.');
      yield* answer('ok');
    });
    const { controller, store } = setup(provider);
    await controller.send('lost question');
    const failed = controller.current.id;
    assert.ok(store.saved.has(failed), 'saved while it is open, so a reload finds it');
    await controller.newChat();
    assert.equal(store.saved.has(failed), false, 'not kept as its own history entry');
    assert.deepEqual(store.deleted.map((c) => c.id), [failed], 'in the trash, not destroyed');

    await controller.send('second try');
    const continued = controller.current.id;
    await controller.send('and again');
    await controller.newChat();
    assert.ok(store.saved.has(continued), 'a conversation the user went on with stays');
    assert.deepEqual(store.saved.get(continued)?.messages.map((m) => m.status), ['complete', 'error', 'complete', 'complete']);
  });

  it("shows the open conversation's last answer in the status line, not the one left behind", async () => {
    const { controller, posted } = setup(new ScriptedProvider(() => answer('ok')));
    // The status line is set by `init` (a conversation opened) and `status` (anything since).
    const lastStatus = () => {
      const status = posted.filter((m) => m.type === 'status' || m.type === 'init').at(-1);
      assert.ok(status?.type === 'status' || status?.type === 'init');
      return status.status;
    };
    await controller.send('first');
    const first = controller.current.id;
    assert.ok(lastStatus().lastStats?.cost, 'the answer just given');
    await controller.newChat();
    assert.equal(lastStatus().lastStats, undefined, 'a new chat has no answer yet');
    await controller.select(first);
    assert.deepEqual(lastStatus().lastStats, controller.current.messages.at(-1)?.stats, 'back to the first conversation: its own answer');
  });

  it("shows the open conversation's context used: none in a new chat, not even after its answer failed", async () => {
    let call = 0;
    const provider = new ScriptedProvider(async function* () {
      if (call++ === 1) throw new ProviderError('auth', 'No API key is stored.', "Run 'Hearth: Set API Key'.");
      yield* answer('one', 'two');
    });
    const { controller, posted } = setup(provider);
    const lastStatus = () => {
      const status = posted.filter((m) => m.type === 'status' || m.type === 'init').at(-1);
      assert.ok(status?.type === 'status' || status?.type === 'init');
      return status.status;
    };
    await controller.send('first');
    const first = controller.current.id;
    assert.equal(lastStatus().contextUsed, 12, 'the answer just measured: 10 prompt + 2 answer tokens');
    await controller.newChat();
    assert.equal(lastStatus().contextUsed, undefined, 'a new chat has used none yet');
    await controller.send('second');
    assert.equal(controller.current.messages.at(-1)?.status, 'error');
    assert.equal(lastStatus().contextUsed, undefined, 'a failed answer measured nothing, and the first conversation is not this one');
    await controller.select(first);
    assert.equal(lastStatus().contextUsed, 12, 'back to the first conversation: its own');
  });

  it("shows the provider's status but not the engine's context used (its last answer, whichever conversation)", async () => {
    let statusPosted!: (status: Status) => void;
    const providerStatus = new Promise<Status>((resolve) => (statusPosted = resolve));
    const controller = new ChatController({
      store: new MemoryStore(),
      providers: () => [{ id: 'fake', label: 'Fake', kind: 'remote' }],
      getProvider: async () => new ScriptedProvider(() => answer('ok')),
      settings: () => ({ providerId: 'fake', systemPrompt: '', modelFor: () => undefined, endpointFor: () => 'fake.example', priceFor: () => undefined }),
      post: (m) => {
        if (m.type === 'status') statusPosted(structuredClone(m.status));
      },
      providerStatus: async () => ({ contextUsed: 116, contextWindow: 4096 }),
    });
    await controller.sendInit();
    const status = await providerStatus;
    assert.equal(status.contextWindow, 4096, 'the rest of the provider status is shown');
    assert.equal(status.contextUsed, undefined, 'this new conversation has used none');
  });

  it('leaves failed answers out of the next prompt', async () => {
    let call = 0;
    const provider = new ScriptedProvider(async function* () {
      if (call++ === 0) throw new ProviderError('network', 'down');
      yield* answer('ok');
    });
    const { controller } = setup(provider);
    await controller.send('first');
    await controller.send('second');
    assert.deepEqual(provider.requests[1]?.messages.map((m) => m.role), ['system', 'user', 'user']);
  });

  it('regenerates: drops the old answer and asks again with the same history', async () => {
    let n = 0;
    const provider = new ScriptedProvider(() => answer(`answer ${++n}`));
    const { controller, posted } = setup(provider);
    await controller.send('q');
    const firstAnswer = controller.current.messages[1];
    assert.ok(firstAnswer);
    await controller.regenerate(firstAnswer.id);
    assert.deepEqual(controller.current.messages.map((m) => m.content), ['q', 'answer 2']);
    assert.ok(posted.some((m) => m.type === 'messagesTruncated' && m.fromMessageId === firstAnswer.id));
    assert.deepEqual(provider.requests[1]?.messages, provider.requests[0]?.messages);
  });

  it('marks an answer cut at the token limit as truncated, and Continue appends to the same message', async () => {
    const scripts = [
      async function* () {
        yield { type: 'delta', text: 'The first half' } as ChatEvent;
        yield { type: 'finish', reason: 'length' } as ChatEvent;
      },
      async function* () {
        yield { type: 'delta', text: ' and the rest.' } as ChatEvent;
        yield { type: 'finish', reason: 'stop' } as ChatEvent;
      },
    ];
    const provider = new ScriptedProvider(() => (scripts.shift() ?? (() => answer('unexpected')))());
    const { controller, posted, store } = setup(provider);
    await controller.send('Write a long story');
    const cut = controller.current.messages[1];
    assert.equal(cut?.status, 'truncated', 'not stored as complete');
    assert.equal(store.saved.get(controller.current.id)?.messages[1]?.status, 'truncated');
    const done = posted.filter((m) => m.type === 'messageDone').at(-1);
    assert.equal(done?.type === 'messageDone' && done.status, 'truncated');

    await controller.continueAnswer(cut.id);
    const [continued] = controller.current.messages.slice(1);
    assert.equal(controller.current.messages.length, 2, 'no new message: the same one goes on');
    assert.equal(continued?.id, cut.id);
    assert.equal(continued?.content, 'The first half and the rest.');
    assert.equal(continued?.status, 'complete');
    // The model sees its own cut text and is asked to go on from there.
    assert.deepEqual(provider.requests[1]?.messages.slice(-3).map((m) => m.role), ['user', 'assistant', 'user']);
    assert.equal(provider.requests[1]?.messages.at(-2)?.content, 'The first half');
    assert.match(provider.requests[1]?.messages.at(-1)?.content ?? '', /Continue it exactly where it stopped/);
    const readded = posted.filter((m) => m.type === 'messageAdded' && m.message.id === cut.id).at(-1);
    assert.equal(readded?.type === 'messageAdded' && readded.message.content, 'The first half', 'the panel gets it back with its text so far');

    await controller.continueAnswer(cut.id);
    assert.equal(provider.requests.length, 2, 'a complete answer is not continued');
    assert.ok(posted.some((m) => m.type === 'notice' && /can be continued/.test(m.text)));
  });

  it('edit-and-resend replaces the message and everything after it', async () => {
    const provider = new ScriptedProvider((req) => answer(`re: ${req.messages.at(-1)?.content}`));
    const { controller } = setup(provider);
    await controller.send('one');
    await controller.send('two');
    const two = controller.current.messages[2];
    assert.ok(two);
    await controller.editAndResend(two.id, 'TWO');
    assert.deepEqual(controller.current.messages.map((m) => m.content), ['one', 're: one', 'TWO', 're: TWO']);
  });

  it('posts the new title in the list before the first answer streams, and again when the first message is edited', async () => {
    const provider = new ScriptedProvider((req) => answer(`re: ${req.messages.at(-1)?.content}`));
    const { controller, posted } = setup(provider);
    await controller.send('How do I parse JSON?\nin TypeScript');
    const firstDelta = posted.findIndex((m) => m.type === 'delta');
    const listed = posted.slice(0, firstDelta).find((m) => m.type === 'conversations');
    assert.deepEqual(listed?.type === 'conversations' && listed.conversations.map((c) => c.title), ['How do I parse JSON?']);

    const first = controller.current.messages[0];
    assert.ok(first);
    posted.length = 0;
    await controller.editAndResend(first.id, 'How do I parse YAML?');
    const relisted = posted.slice(0, posted.findIndex((m) => m.type === 'delta')).find((m) => m.type === 'conversations');
    assert.deepEqual(relisted?.type === 'conversations' && relisted.conversations.map((c) => c.title), ['How do I parse YAML?']);
  });

  it('drops a next step the provider no longer asks for (a key was set)', async () => {
    const provider = new ScriptedProvider(() => answer('ok'));
    const store = new MemoryStore();
    const posted: HostToWebview[] = [];
    let fresh: Partial<Status> = { modelsError: 'wants an API key (401)', nextStep: 'setApiKey' };
    const controller = new ChatController({
      store,
      providers: () => [{ id: 'fake', label: 'Fake', kind: 'remote' }],
      getProvider: async () => provider,
      providerStatus: async () => fresh,
      settings: () => ({ providerId: 'fake', systemPrompt: '', modelFor: () => 'm1', endpointFor: () => 'fake.example', priceFor: () => undefined }),
      post: (m) => posted.push(structuredClone(m)),
    });
    const lastStatus = () => posted.filter((m) => m.type === 'status').at(-1);
    await controller.sendInit();
    await controller.settingsChanged();
    const before = lastStatus();
    assert.equal(before?.type === 'status' && before.status.nextStep, 'setApiKey');
    fresh = { models: ['m1'] };
    await controller.settingsChanged();
    const after = lastStatus();
    assert.ok(after?.type === 'status' && after.status.nextStep === undefined && after.status.modelsError === undefined);
  });

  it('folds attached context into the prompt and clears the chips', async () => {
    const provider = new ScriptedProvider(() => answer('ok'));
    const { controller, posted } = setup(provider);
    controller.addChip({ kind: 'selection', label: 'a.ts:1-2', content: 'const x = 1;', language: 'typescript' }, 4);
    await controller.send('explain');
    const user = provider.requests[0]?.messages.at(-1)?.content ?? '';
    assert.match(user, /a\.ts:1-2:\n```typescript\nconst x = 1;\n```\n\nexplain/);
    assert.deepEqual(posted.filter((m) => m.type === 'chips').at(-1), { type: 'chips', chips: [] });
  });

  it('deletes with undo and switches conversations', async () => {
    const { controller, store } = setup(new ScriptedProvider(() => answer('ok')));
    await controller.send('first chat');
    const first = controller.current.id;
    await controller.newChat();
    await controller.send('second chat');
    const second = controller.current.id;
    assert.notEqual(first, second);
    await controller.delete(second);
    assert.equal(controller.current.id, first, 'falls back to the newest remaining conversation');
    await controller.undoDelete();
    assert.equal(controller.current.id, second);
    assert.ok(store.saved.has(second));
  });

  it('shows an answer cut off by a crash as stopped, not streaming forever', async () => {
    const { controller, store, posted } = setup(new ScriptedProvider(() => answer('ok')));
    const now = Date.now();
    store.saved.set('crashed', {
      version: 1,
      id: 'crashed',
      title: 'Cut off',
      createdAt: now,
      updatedAt: now,
      messages: [
        { id: 'u', role: 'user', content: 'q', createdAt: now, status: 'complete' },
        { id: 'a', role: 'assistant', content: 'half an ans', createdAt: now, status: 'streaming' },
      ],
    });
    await controller.sendInit();
    const init = posted.find((m) => m.type === 'init');
    assert.ok(init?.type === 'init');
    assert.equal(init.conversation.id, 'crashed');
    assert.deepEqual(init.conversation.messages.map((m) => m.status), ['complete', 'stopped']);
    assert.equal(init.conversation.messages[1]?.content, 'half an ans', 'the saved prefix is kept');
    assert.equal(init.generating, false);
  });

  it('a new chat keeps the provider and model picked in the panel', async () => {
    const { controller } = setup(new ScriptedProvider(() => answer('ok')));
    await controller.selectProvider('fake');
    await controller.selectModel('m2');
    await controller.send('hi');
    await controller.newChat();
    assert.equal(controller.current.messages.length, 0);
    assert.equal(controller.current.providerId, 'fake');
    assert.equal(controller.current.model, 'm2');
  });

  it('refuses a second question while one is being answered', async () => {
    const provider = new ScriptedProvider(async function* (_req, signal) {
      yield { type: 'delta', text: 'x' };
      await new Promise<void>((resolve) => signal?.addEventListener('abort', () => resolve()));
    });
    const { controller, next, posted } = setup(provider);
    const first = next((m) => m.type === 'delta');
    const sending = controller.send('a');
    await first;
    await controller.send('b');
    assert.ok(posted.some((m) => m.type === 'notice' && /still being written/.test(m.text)));
    await controller.stop();
    await sending;
    assert.equal(provider.requests.length, 1);
  });
});
