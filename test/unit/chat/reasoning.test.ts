// Reasoning (thinking) through the chat: streamed to the panel apart from the answer, saved with
// the message with its thinking time and tokens, never sent back in a later turn's prompt, and
// conversation files from before it still load.
import * as assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChatController, type ConversationRepository } from '../../../src/chat/chatController';
import { buildPrompt, continuationTurns, continueThinkingInstruction } from '../../../src/chat/prompt';
import { ChatTemplate } from '../../../src/engine/chatTemplate';
import { DEEPSEEK_R1_TEMPLATE, QWEN3_TEMPLATE } from '../../../models/familyTemplates';
import { conversationToMarkdown } from '../../../src/chat/store/markdownExport';
import { ConversationStore } from '../../../src/chat/store/conversationStore';
import { ConversationSchema, type Conversation, type ConversationSummary, type StoredMessage } from '../../../src/protocol/chat';
import type { HostToWebview } from '../../../src/protocol/webviewMessages';
import type { ChatEvent, ChatProvider, ChatRequest } from '../../../src/providers/types';

class MemoryStore implements ConversationRepository {
  readonly saved = new Map<string, Conversation>();
  async list(): Promise<ConversationSummary[]> {
    return [...this.saved.values()].map((c) => ({ id: c.id, title: c.title, updatedAt: c.updatedAt, messageCount: c.messages.length }));
  }
  async load(id: string): Promise<Conversation | undefined> {
    const c = this.saved.get(id);
    return c ? structuredClone(c) : undefined;
  }
  scheduleSave(c: Conversation): void {
    this.saved.set(c.id, structuredClone(c));
  }
  async save(c: Conversation): Promise<void> {
    this.saved.set(c.id, structuredClone(c));
  }
  async delete(id: string): Promise<void> {
    this.saved.delete(id);
  }
  async restore(): Promise<string | undefined> {
    return undefined;
  }
  async rename(): Promise<void> {}
  async search(): Promise<ConversationSummary[]> {
    return [];
  }
}

/** Thinks in two pieces, then answers; records every request it gets. */
class ThinkingProvider implements ChatProvider {
  readonly id = 'fake';
  readonly label = 'Fake';
  readonly kind = 'remote' as const;
  readonly requests: ChatRequest[] = [];
  async models() {
    return [];
  }
  async *chat(request: ChatRequest): AsyncGenerator<ChatEvent> {
    this.requests.push(request);
    yield { type: 'reasoning', text: 'SECRET-THOUGHT one, ' };
    yield { type: 'reasoning', text: 'two.' };
    yield { type: 'delta', text: 'The answer.' };
    yield { type: 'usage', usage: { promptTokens: 10, completionTokens: 50, reasoningTokens: 40 } };
    yield { type: 'finish', reason: 'stop' };
  }
}

describe('reasoning in the chat', () => {
  it('posts reasoning apart from the answer, saves it with its time and tokens, and leaves it out of the next prompt', async () => {
    const store = new MemoryStore();
    const provider = new ThinkingProvider();
    const posted: HostToWebview[] = [];
    const controller = new ChatController({
      store,
      providers: () => [{ id: 'fake', label: 'Fake', kind: 'remote' }],
      getProvider: async () => provider,
      settings: () => ({ providerId: 'fake', systemPrompt: 'Be brief.', modelFor: () => 'm1', endpointFor: () => 'fake.example', priceFor: () => undefined }),
      post: (m) => posted.push(structuredClone(m)),
    });
    await controller.send('First?');

    const streamed = posted.flatMap((m) => (m.type === 'reasoningDelta' ? [m.text] : []));
    assert.deepEqual(streamed, ['SECRET-THOUGHT one, ', 'two.']);
    assert.deepEqual(posted.flatMap((m) => (m.type === 'delta' ? [m.text] : [])), ['The answer.']);
    const done = posted.find((m) => m.type === 'messageDone');
    assert.ok(done?.type === 'messageDone');
    assert.deepEqual(done.usage, { promptTokens: 10, completionTokens: 50, reasoningTokens: 40 });
    assert.equal(typeof done.stats?.thinkingMs, 'number', 'the thinking time is measured');

    const saved = store.saved.get(controller.current.id)?.messages.at(-1);
    assert.equal(saved?.content, 'The answer.');
    assert.equal(saved?.reasoning, 'SECRET-THOUGHT one, two.');
    assert.equal(saved?.stats?.thinkingMs, done.stats?.thinkingMs);

    await controller.send('Second?');
    const followUp = provider.requests[1];
    assert.deepEqual(followUp?.messages, [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'First?' },
      { role: 'assistant', content: 'The answer.' },
      { role: 'user', content: 'Second?' },
    ]);
    assert.ok(!JSON.stringify(followUp).includes('SECRET-THOUGHT'));
  });

  it('moves the text taken for the answer into the reasoning when the provider says it was thinking (a lone </think>)', async () => {
    const store = new MemoryStore();
    const posted: HostToWebview[] = [];
    const provider: ChatProvider = {
      id: 'fake',
      label: 'Fake',
      kind: 'remote',
      models: async () => [],
      async *chat() {
        yield { type: 'delta', text: 'Okay, the user ' };
        yield { type: 'delta', text: 'asks.' };
        yield { type: 'answerWasReasoning' };
        yield { type: 'delta', text: 'The answer.' };
        yield { type: 'finish', reason: 'stop' };
      },
    };
    const controller = new ChatController({
      store,
      providers: () => [{ id: 'fake', label: 'Fake', kind: 'remote' }],
      getProvider: async () => provider,
      settings: () => ({ providerId: 'fake', systemPrompt: '', modelFor: () => 'm1', endpointFor: () => 'fake.example', priceFor: () => undefined }),
      post: (m) => posted.push(structuredClone(m)),
    });
    await controller.send('Q');
    const answer = controller.current.messages[1];
    assert.equal(answer?.content, 'The answer.');
    assert.equal(answer?.reasoning, 'Okay, the user asks.');
    assert.equal(typeof answer?.stats?.thinkingMs, 'number', 'timed from the first text (no reasoning event came)');
    assert.deepEqual(store.saved.get(controller.current.id)?.messages[1]?.reasoning, 'Okay, the user asks.');
    // The panel drops the message and gets it back with the text moved, then the answer streams on.
    const rewound = posted.findIndex((m) => m.type === 'messagesTruncated' && m.fromMessageId === answer?.id);
    assert.ok(rewound > 0, 'the panel is told');
    const readded = posted[rewound + 1];
    assert.ok(readded?.type === 'messageAdded' && readded.message.content === '' && readded.message.reasoning === 'Okay, the user asks.' && readded.message.status === 'streaming', JSON.stringify(readded));
    assert.deepEqual(posted.slice(rewound).flatMap((m) => (m.type === 'delta' ? [m.text] : [])), ['The answer.']);
  });

  describe('Continue after an answer cut at the token limit while still thinking', () => {
    /** Answers each request with the next script; records the requests. */
    class ScriptedProvider implements ChatProvider {
      readonly id = 'fake';
      readonly label = 'Fake';
      readonly kind = 'remote' as const;
      readonly requests: ChatRequest[] = [];
      constructor(private readonly scripts: ChatEvent[][]) {}
      async models() {
        return [];
      }
      async *chat(request: ChatRequest): AsyncGenerator<ChatEvent> {
        this.requests.push(structuredClone(request));
        const script = this.scripts.shift();
        assert.ok(script, `an unexpected request: ${JSON.stringify(request.messages)}`);
        yield* script;
      }
    }

    function setup(scripts: ChatEvent[][]) {
      const provider = new ScriptedProvider(scripts);
      const posted: HostToWebview[] = [];
      const controller = new ChatController({
        store: new MemoryStore(),
        providers: () => [{ id: 'fake', label: 'Fake', kind: 'remote' }],
        getProvider: async () => provider,
        settings: () => ({ providerId: 'fake', systemPrompt: '', modelFor: () => 'm1', endpointFor: () => 'fake.example', priceFor: () => undefined }),
        post: (m) => posted.push(structuredClone(m)),
      });
      return { provider, posted, controller };
    }

    it('sends the thinking so far as the assistant turn (in an open <think>), never an empty one, and the answer goes on in the same message', async () => {
      const { provider, posted, controller } = setup([
        [
          { type: 'reasoning', text: 'First, 17 is prime; ' },
          { type: 'reasoning', text: 'next check 19' },
          { type: 'finish', reason: 'length' },
        ],
        [
          { type: 'reasoning', text: ', also prime.' },
          { type: 'delta', text: 'Both are prime.' },
          { type: 'finish', reason: 'stop' },
        ],
      ]);
      await controller.send('Are 17 and 19 prime?');
      const cut = controller.current.messages[1];
      assert.equal(cut?.status, 'truncated');
      assert.equal(cut?.content, '', 'everything so far was thinking');

      await controller.continueAnswer(cut.id);
      const continuation = provider.requests[1]?.messages;
      assert.deepEqual(continuation, [
        { role: 'user', content: 'Are 17 and 19 prime?' },
        { role: 'assistant', content: '<think>\nFirst, 17 is prime; next check 19' },
        { role: 'user', content: continueThinkingInstruction },
      ]);
      assert.ok(continuation.every((m) => m.content.trim()), 'no empty turn');

      assert.equal(controller.current.messages.length, 2, 'the same message goes on');
      const answer = controller.current.messages[1];
      assert.equal(answer?.id, cut.id);
      assert.equal(answer?.reasoning, 'First, 17 is prime; next check 19, also prime.');
      assert.equal(answer?.content, 'Both are prime.');
      assert.equal(answer?.status, 'complete');
      const readded = posted.filter((m) => m.type === 'messageAdded' && m.message.id === cut.id).at(-1);
      assert.equal(readded?.type === 'messageAdded' && readded.message.reasoning, 'First, 17 is prime; next check 19', 'the panel gets the thinking so far back');
      assert.deepEqual(posted.flatMap((m) => (m.type === 'reasoningDelta' ? [m.text] : [])).slice(-1), [', also prime.']);
    });

    for (const [family, source] of [
      ['Qwen3', QWEN3_TEMPLATE],
      ['DeepSeek-R1-Distill', DEEPSEEK_R1_TEMPLATE],
    ] as const) {
      it(`the thinking so far reaches the model through ${family}'s template, which cuts earlier answers at </think>`, () => {
        const turns = continuationTurns({ content: '', reasoning: 'Step one: SECRET-SO-FAR' });
        const template = new ChatTemplate(source);
        const render = (messages: unknown[]) => template.render({ messages, add_generation_prompt: true, bos_token: '<s>', eos_token: '</s>' });
        const prompt = render([{ role: 'user', content: 'Q' }, ...turns]);
        assert.ok(prompt.includes('<think>\nStep one: SECRET-SO-FAR'), prompt);
        assert.ok(prompt.includes(continueThinkingInstruction), prompt);
        // The check can fail: a closed block is what these templates drop.
        const closed = render([{ role: 'user', content: 'Q' }, { role: 'assistant', content: '<think>\nStep one: SECRET-SO-FAR</think>' }]);
        assert.ok(!closed.includes('SECRET-SO-FAR'), closed);
      });
    }

    it('continues an answer cut mid-answer from its text alone (its thinking stays out, as in any later prompt)', async () => {
      const { provider, controller } = setup([
        [
          { type: 'reasoning', text: 'SECRET-THOUGHT' },
          { type: 'delta', text: 'The first half' },
          { type: 'finish', reason: 'length' },
        ],
        [
          { type: 'delta', text: ' and the rest.' },
          { type: 'finish', reason: 'stop' },
        ],
      ]);
      await controller.send('Q');
      await controller.continueAnswer(controller.current.messages[1]?.id ?? '');
      const continuation = provider.requests[1]?.messages ?? [];
      assert.deepEqual(continuation.slice(0, 2), [
        { role: 'user', content: 'Q' },
        { role: 'assistant', content: 'The first half' },
      ]);
      assert.match(continuation[2]?.content ?? '', /Continue it exactly where it stopped/);
      assert.ok(!JSON.stringify(continuation).includes('SECRET-THOUGHT'));
      assert.equal(controller.current.messages[1]?.content, 'The first half and the rest.');
    });

    it('asks the question again when the cut answer holds nothing at all', async () => {
      const { provider, controller } = setup([
        [{ type: 'finish', reason: 'length' }],
        [
          { type: 'delta', text: 'An answer.' },
          { type: 'finish', reason: 'stop' },
        ],
      ]);
      await controller.send('Q');
      const cut = controller.current.messages[1];
      assert.equal(cut?.status, 'truncated');
      await controller.continueAnswer(cut?.id ?? '');
      assert.deepEqual(provider.requests[1]?.messages, [{ role: 'user', content: 'Q' }], 'no empty assistant turn, no instruction to continue nothing');
      assert.equal(controller.current.messages[1]?.content, 'An answer.');
    });
  });

  it('buildPrompt sends an answer without its reasoning, and skips one that is only reasoning', () => {
    const at = 1_700_000_000_000;
    const messages: StoredMessage[] = [
      { id: 'u1', role: 'user', content: 'Q1', createdAt: at, status: 'complete' },
      { id: 'a1', role: 'assistant', content: 'A1', reasoning: 'thinking about Q1', createdAt: at, status: 'complete' },
      { id: 'u2', role: 'user', content: 'Q2', createdAt: at, status: 'complete' },
      // Stopped while still thinking: nothing of it was an answer.
      { id: 'a2', role: 'assistant', content: '', reasoning: 'half a thought', createdAt: at, status: 'stopped' },
      { id: 'u3', role: 'user', content: 'Q3', createdAt: at, status: 'complete' },
    ];
    assert.deepEqual(buildPrompt('', messages), [
      { role: 'user', content: 'Q1' },
      { role: 'assistant', content: 'A1' },
      { role: 'user', content: 'Q2' },
      { role: 'user', content: 'Q3' },
    ]);
  });

  it('exports the thinking as a quote above the answer, every line quoted', () => {
    const markdown = conversationToMarkdown({
      version: 1,
      id: 'c',
      title: 'T',
      createdAt: 0,
      updatedAt: 0,
      messages: [{ id: 'a', role: 'assistant', content: 'The answer.', reasoning: 'First **this**.\n\n```\nnever closed', createdAt: 0, status: 'complete' }],
    });
    assert.ok(markdown.includes('## Assistant\n\n> **Thinking**\n>\n> First **this**.\n>\n> ```\n> never closed\n\nThe answer.\n'), markdown);
  });

  describe('stored conversations', () => {
    let dir: string;
    let store: ConversationStore;
    beforeEach(async () => {
      dir = await mkdtemp(join(tmpdir(), 'hearth-reasoning-'));
      store = new ConversationStore(dir, { onProblem: (p) => assert.fail(`store problem: ${JSON.stringify(p)}`) });
    });
    afterEach(async () => {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    });

    it('loads a file written before reasoning existed, and round-trips one with reasoning', async () => {
      // As Hearth wrote it before: no reasoning, no reasoningTokens, no thinkingMs.
      const old = {
        version: 1,
        id: 'old',
        title: 'Before',
        createdAt: 1,
        updatedAt: 2,
        messages: [
          { id: 'm1', role: 'user', content: 'hi', createdAt: 1, status: 'complete' },
          { id: 'm2', role: 'assistant', content: 'hello', createdAt: 2, status: 'complete', usage: { promptTokens: 1, completionTokens: 1 }, stats: { tokensPerSecond: 9 } },
        ],
      };
      await mkdir(join(dir, 'conversations'), { recursive: true });
      await writeFile(join(dir, 'conversations', 'old.json'), JSON.stringify(old));
      const loaded = await store.load('old');
      assert.equal(loaded?.messages[1]?.content, 'hello');
      assert.equal(loaded?.messages[1]?.reasoning, undefined);

      const withReasoning: Conversation = {
        ...ConversationSchema.parse(old),
        id: 'new',
        messages: [
          ...ConversationSchema.parse(old).messages.slice(0, 1),
          { id: 'm2', role: 'assistant', content: 'hello', reasoning: 'They greet.', createdAt: 2, status: 'complete', usage: { promptTokens: 1, completionTokens: 5, reasoningTokens: 4 }, stats: { thinkingMs: 1200 } },
        ],
      };
      await store.save(withReasoning);
      const back = await store.load('new');
      assert.deepEqual(back?.messages[1], withReasoning.messages[1]);
    });
  });
});
