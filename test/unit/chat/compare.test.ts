import * as assert from 'node:assert/strict';
import { dataWent, runComparison, type CompareDeps, type TargetDescription } from '../../../src/chat/compare';
import { CompareSession } from '../../../src/chat/compareSession';
import type { Conversation } from '../../../src/protocol/chat';
import type { CompareTarget, HostToCompare } from '../../../src/protocol/compareMessages';
import { ProviderError, type ChatEvent, type ChatProvider, type ChatRequest } from '../../../src/providers/types';

type Script = (request: ChatRequest, signal: AbortSignal) => AsyncIterable<ChatEvent>;

class FakeProvider implements ChatProvider {
  readonly label: string;
  readonly requests: ChatRequest[] = [];
  readonly signals: AbortSignal[] = [];
  constructor(
    readonly id: string,
    readonly kind: 'local' | 'remote',
    private readonly script: Script,
  ) {
    this.label = id;
  }
  async models() {
    return [];
  }
  chat(request: ChatRequest, signal?: AbortSignal): AsyncIterable<ChatEvent> {
    if (!signal) throw new Error('the comparison must pass a signal');
    this.requests.push(request);
    this.signals.push(signal);
    return this.script(request, signal);
  }
}

/** Resolves when the signal aborts; a provider that streams until stopped waits on this. */
function aborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true })));
}

function deferred(): { promise: Promise<void>; resolve(): void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

const descriptions: Record<string, TargetDescription> = {
  local: { providerLabel: 'Local model', kind: 'local', endpoint: 'this computer', price: { input: 0, output: 0, currency: 'USD' } },
  'endpoint:api': { providerLabel: 'API', model: 'big-model', kind: 'remote', endpoint: 'api.example.com', price: { input: 2, output: 8, currency: 'USD' } },
  'endpoint:unpriced': { providerLabel: 'Unpriced', kind: 'remote', endpoint: 'other.example.com' },
  'endpoint:keyed': { providerLabel: 'Keyed', kind: 'remote', endpoint: 'keyed.example.com', keyed: true },
};

interface Harness {
  deps: CompareDeps;
  posted: HostToCompare[];
  saved: Map<string, Conversation>;
  scheduled: number;
}

function harness(providers: FakeProvider[], clock: () => number = Date.now): Harness {
  const posted: HostToCompare[] = [];
  const saved = new Map<string, Conversation>();
  const h: Harness = {
    posted,
    saved,
    scheduled: 0,
    deps: {
      getProvider: async (id) => {
        const found = providers.find((p) => p.id === id);
        if (!found) throw new ProviderError('badModel', `no provider ${id}`);
        return found;
      },
      describe: (target: CompareTarget) => {
        const d = descriptions[target.providerId] ?? { providerLabel: target.providerId, kind: 'remote', endpoint: 'nowhere' };
        return target.model ? { ...d, model: target.model } : d;
      },
      store: {
        save: async (c) => void saved.set(c.id, structuredClone(c)),
        scheduleSave: (c) => {
          h.scheduled++;
          saved.set(c.id, structuredClone(c));
        },
      },
      systemPrompt: () => 'Be brief.',
      post: (m) => posted.push(structuredClone(m)),
      now: clock,
    },
  };
  return h;
}

const targets: [CompareTarget, CompareTarget] = [{ providerId: 'local' }, { providerId: 'endpoint:api' }];

function textOf(posted: HostToCompare[], side: 0 | 1): string {
  return posted.flatMap((m) => (m.type === 'delta' && m.side === side ? [m.text] : [])).join('');
}

describe('compare models', () => {
  it('streams both sides at once and saves each as a tagged conversation with its provider and model pinned', async () => {
    const localStarted = deferred();
    const remoteStarted = deferred();
    // Each side waits for the other to have started: run one after the other, this would never finish.
    const local = new FakeProvider('local', 'local', async function* () {
      localStarted.resolve();
      await remoteStarted.promise;
      yield { type: 'delta', text: 'local ' };
      yield { type: 'delta', text: 'answer' };
      yield { type: 'usage', usage: { promptTokens: 5, completionTokens: 2 } };
      yield { type: 'finish', reason: 'stop' };
    });
    const remote = new FakeProvider('endpoint:api', 'remote', async function* () {
      remoteStarted.resolve();
      await localStarted.promise;
      yield { type: 'delta', text: 'remote answer' };
      yield { type: 'finish', reason: 'stop' };
    });
    const h = harness([local, remote]);
    const result = await runComparison(h.deps, 'Explain closures', targets, new AbortController().signal);

    assert.deepEqual(result.sides.map((s) => s.status), ['complete', 'complete']);
    assert.equal(textOf(h.posted, 0), 'local answer');
    assert.equal(textOf(h.posted, 1), 'remote answer');
    assert.deepEqual(h.posted.at(-1), { type: 'finished' });
    const started = h.posted.find((m) => m.type === 'started');
    assert.ok(started?.type === 'started');
    assert.deepEqual(started.sides.map((s) => s.dataWent), ['stayed on this machine', 'sent to api.example.com']);
    assert.equal(started.sides[1].model, 'big-model');

    const [a, b] = result.sides.map((s) => h.saved.get(s.conversationId));
    assert.ok(a && b);
    assert.equal(a.comparisonId, result.comparisonId);
    assert.equal(b.comparisonId, result.comparisonId);
    assert.notEqual(a.id, b.id);
    assert.equal(a.providerId, 'local');
    assert.equal(a.model, undefined);
    assert.equal(b.providerId, 'endpoint:api');
    assert.equal(b.model, 'big-model');
    assert.equal(b.title, 'Explain closures · API');
    assert.deepEqual(b.messages.map((m) => [m.role, m.content, m.status]), [
      ['user', 'Explain closures', 'complete'],
      ['assistant', 'remote answer', 'complete'],
    ]);
    assert.equal(b.messages[1]?.endpoint, 'api.example.com');
    assert.ok(h.scheduled >= 3, 'saved as the answers grew');
    // Both asked the same thing, with the system prompt, each in its own conversation.
    assert.deepEqual(local.requests[0]?.messages, [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Explain closures' },
    ]);
    assert.deepEqual(remote.requests[0]?.messages, local.requests[0]?.messages);
    assert.equal(remote.requests[0]?.model, 'big-model');
    assert.equal(local.requests[0]?.conversationId, a.id);
  });

  it('one side failing does not stop the other', async () => {
    const remoteFailed = deferred();
    const local = new FakeProvider('local', 'local', async function* () {
      yield { type: 'delta', text: 'still ' };
      await remoteFailed.promise;
      yield { type: 'delta', text: 'going' };
      yield { type: 'finish', reason: 'stop' };
    });
    const remote = new FakeProvider('endpoint:api', 'remote', async function* () {
      yield { type: 'delta', text: 'partial' };
      remoteFailed.resolve();
      throw new ProviderError('auth', 'The API rejected the key.', "Run 'Hearth: Set API Key'.", 401);
    });
    const h = harness([local, remote]);
    const result = await runComparison(h.deps, 'q', targets, new AbortController().signal);

    assert.deepEqual(result.sides.map((s) => s.status), ['complete', 'error']);
    const failed = h.posted.find((m) => m.type === 'sideDone' && m.side === 1);
    assert.ok(failed?.type === 'sideDone');
    assert.equal(failed.error?.kind, 'auth');
    assert.equal(textOf(h.posted, 0), 'still going');
    const saved = h.saved.get(result.sides[1].conversationId);
    assert.equal(saved?.messages[1]?.status, 'error');
    assert.equal(saved?.messages[1]?.content, 'partial');
    assert.equal(local.signals[0]?.aborted, false, 'the failure did not abort the other side');
  });

  it('a side whose provider cannot be created fails alone', async () => {
    const local = new FakeProvider('local', 'local', async function* () {
      yield { type: 'delta', text: 'fine' };
    });
    const h = harness([local]);
    const result = await runComparison(h.deps, 'q', [{ providerId: 'local' }, { providerId: 'endpoint:gone' }], new AbortController().signal);
    assert.deepEqual(result.sides.map((s) => s.status), ['complete', 'error']);
    assert.equal(textOf(h.posted, 0), 'fine');
  });

  it('Stop aborts both sides; each is saved as stopped with what it had', async () => {
    const bothStreaming = [deferred(), deferred()];
    const slow = (id: string, kind: 'local' | 'remote', index: number) =>
      new FakeProvider(id, kind, async function* (_request, signal) {
        yield { type: 'delta', text: `${id} tick` };
        bothStreaming[index]?.resolve();
        await aborted(signal);
        yield { type: 'finish', reason: 'cancelled' };
      });
    const local = slow('local', 'local', 0);
    const remote = slow('endpoint:api', 'remote', 1);
    const h = harness([local, remote]);
    const session = new CompareSession(h.deps);
    const running = session.run('q', targets);
    await Promise.all(bothStreaming.map((d) => d.promise));
    assert.equal(session.running, true);
    await session.stop();
    const result = await running;

    assert.equal(session.running, false);
    assert.deepEqual(result.sides.map((s) => s.status), ['stopped', 'stopped']);
    assert.deepEqual([local.signals[0]?.aborted, remote.signals[0]?.aborted], [true, true]);
    assert.equal(h.saved.get(result.sides[0].conversationId)?.messages[1]?.content, 'local tick');
    assert.equal(h.saved.get(result.sides[1].conversationId)?.messages[1]?.status, 'stopped');
    assert.equal(session.conversationId(1), result.sides[1].conversationId);
  });

  it('measures each side: time to first token, tokens/s, tokens in and out, cost', async () => {
    let t = 1000;
    const clock = () => t;
    const local = new FakeProvider('local', 'local', async function* () {
      t += 200; // the first token, 200 ms after the request
      yield { type: 'delta', text: 'a' };
      t += 500; // 10 more tokens in the next half second
      yield { type: 'delta', text: 'b' };
      yield { type: 'usage', usage: { promptTokens: 40, completionTokens: 10 } };
    });
    // The provider's decode speed wins; time to first token is the comparison's clock for both sides.
    // The remote side answers once the local side is done, so the two never move the clock at once.
    const localDone = deferred();
    const remote = new FakeProvider('endpoint:api', 'remote', async function* () {
      await localDone.promise;
      t += 1_500;
      yield { type: 'delta', text: 'x' };
      yield { type: 'usage', usage: { promptTokens: 1_000, completionTokens: 500 } };
      yield { type: 'stats', stats: { timeToFirstTokenMs: 321, tokensPerSecond: 77 } };
    });
    const unpriced = new FakeProvider('endpoint:unpriced', 'remote', async function* () {
      yield { type: 'delta', text: 'y' };
      yield { type: 'usage', usage: { promptTokens: 3, completionTokens: 1 } };
    });
    const h = harness([local, remote, unpriced], clock);
    const post = h.deps.post;
    h.deps.post = (m) => {
      post(m);
      if (m.type === 'sideDone' && m.side === 0) localDone.resolve();
    };
    const first = await runComparison(h.deps, 'q', targets, new AbortController().signal);
    assert.deepEqual(first.sides[0].stats, { timeToFirstTokenMs: 200, tokensPerSecond: 20, promptTokens: 40, completionTokens: 10, cost: { amount: 0, currency: 'USD' } });
    assert.deepEqual(first.sides[1].stats, {
      // Asked at 1000, answered after the local side's 700 ms and its own 1.5 s.
      timeToFirstTokenMs: 2_200,
      tokensPerSecond: 77,
      promptTokens: 1_000,
      completionTokens: 500,
      cost: { amount: (1_000 * 2 + 500 * 8) / 1_000_000, currency: 'USD' },
    });
    // Stored on the answer too, so the chat view shows the cost when the conversation is continued.
    assert.deepEqual(h.saved.get(first.sides[1].conversationId)?.messages[1]?.stats?.cost, first.sides[1].stats.cost);

    const second = await runComparison(h.deps, 'q', [{ providerId: 'local' }, { providerId: 'endpoint:unpriced' }], new AbortController().signal);
    assert.equal(second.sides[1].stats.cost, undefined, 'no prices set: no cost is made up');
    assert.equal(second.sides[1].stats.completionTokens, 1);
  });

  it("streams each side's thinking apart from its answer, measures it, and saves it with the answer", async () => {
    let t = 1000;
    const clock = () => t;
    const local = new FakeProvider('local', 'local', async function* () {
      t += 100;
      yield { type: 'reasoning', text: 'The user asks ' };
      t += 2_400;
      yield { type: 'reasoning', text: 'about closures.' };
      t += 500; // the answer begins 2.9 s after the first thought
      yield { type: 'delta', text: 'A closure keeps its scope.' };
      yield { type: 'usage', usage: { promptTokens: 5, completionTokens: 60, reasoningTokens: 40 } };
      yield { type: 'finish', reason: 'stop' };
    });
    const localDone = deferred();
    const remote = new FakeProvider('endpoint:api', 'remote', async function* () {
      await localDone.promise;
      yield { type: 'delta', text: 'No thinking here.' };
      yield { type: 'finish', reason: 'stop' };
    });
    const h = harness([local, remote], clock);
    const post = h.deps.post;
    h.deps.post = (m) => {
      post(m);
      if (m.type === 'sideDone' && m.side === 0) localDone.resolve();
    };
    const result = await runComparison(h.deps, 'q', targets, new AbortController().signal);

    const reasoning = (side: 0 | 1) => h.posted.flatMap((m) => (m.type === 'reasoningDelta' && m.side === side ? [m.text] : []));
    assert.deepEqual(reasoning(0), ['The user asks ', 'about closures.']);
    assert.deepEqual(reasoning(1), []);
    assert.equal(textOf(h.posted, 0), 'A closure keeps its scope.', 'the thinking is not the answer');
    assert.equal(result.sides[0].stats.thinkingMs, 2_900);
    assert.equal(result.sides[0].stats.reasoningTokens, 40);
    assert.equal(result.sides[0].stats.timeToFirstTokenMs, 100, 'the first thought is the first token');
    assert.equal(result.sides[1].stats.thinkingMs, undefined);
    assert.equal(result.sides[1].stats.reasoningTokens, undefined);
    const saved = h.saved.get(result.sides[0].conversationId)?.messages[1];
    assert.equal(saved?.reasoning, 'The user asks about closures.');
    assert.equal(saved?.content, 'A closure keeps its scope.');
    assert.equal(saved?.stats?.thinkingMs, 2_900, 'Continue in chat shows how long it thought');
  });

  it("moves a side's text into its thinking when the provider says it was thinking (a lone </think>)", async () => {
    let t = 1000;
    const local = new FakeProvider('local', 'local', async function* () {
      t += 100;
      yield { type: 'delta', text: 'Okay, the user asks.' };
      t += 1_000;
      yield { type: 'answerWasReasoning' };
      yield { type: 'delta', text: 'The answer.' };
      yield { type: 'finish', reason: 'stop' };
    });
    const remote = new FakeProvider('endpoint:api', 'remote', async function* () {
      yield { type: 'finish', reason: 'stop' };
    });
    const h = harness([local, remote], () => t);
    const result = await runComparison(h.deps, 'q', targets, new AbortController().signal);
    const events = h.posted.filter((m) => (m.type === 'delta' || m.type === 'answerWasReasoning') && m.side === 0);
    assert.deepEqual(events, [
      { type: 'delta', side: 0, text: 'Okay, the user asks.' },
      { type: 'answerWasReasoning', side: 0 },
      { type: 'delta', side: 0, text: 'The answer.' },
    ]);
    const saved = h.saved.get(result.sides[0].conversationId)?.messages[1];
    assert.equal(saved?.reasoning, 'Okay, the user asks.');
    assert.equal(saved?.content, 'The answer.');
    assert.equal(result.sides[0].stats.thinkingMs, 1_000, 'from the first text to the answer');
  });

  it('a failed side offers the fix that makes sense in the panel, and keeps the chat\'s with its answer', async () => {
    const failing = (id: string, error: ProviderError) =>
      new FakeProvider(id, 'remote', async function* () {
        yield* [];
        throw error;
      });
    const sideDone = (posted: HostToCompare[], side: 0 | 1) => posted.find((m): m is Extract<HostToCompare, { type: 'sideDone' }> => m.type === 'sideDone' && m.side === side);
    const savedError = (h: Harness, result: { sides: [{ conversationId: string }, { conversationId: string }] }, side: 0 | 1) =>
      h.saved.get(result.sides[side].conversationId)?.messages[1]?.error;

    const auth = () => new ProviderError('auth', 'No API key is stored.', "Run 'Hearth: Set API Key'.", 401);
    let h = harness([failing('endpoint:keyed', auth()), failing('endpoint:api', auth())]);
    const session = new CompareSession(h.deps);
    let result = await session.run('q', [{ providerId: 'endpoint:keyed' }, { providerId: 'endpoint:api' }]);
    assert.equal(sideDone(h.posted, 0)?.error?.remedy, 'setApiKey', "a key Set API Key keeps: the side's provider's");
    assert.equal(savedError(h, result, 0)?.remedy, 'setApiKey', 'Continue in chat shows it too');
    assert.equal(sideDone(h.posted, 1)?.error?.kind, 'auth');
    assert.equal(sideDone(h.posted, 1)?.error?.remedy, undefined, 'a provider whose key Hearth does not keep offers none');
    assert.deepEqual([session.providerId(0), session.providerId(1)], ['endpoint:keyed', 'endpoint:api'], 'the host knows whose key to ask for');

    h = harness([
      failing('endpoint:keyed', new ProviderError('contextTooLong', 'The prompt is too long for the model.')),
      failing('endpoint:api', new ProviderError('badModel', "Model 'big-model' was not found (404).")),
    ]);
    result = await runComparison(h.deps, 'q', [{ providerId: 'endpoint:keyed' }, { providerId: 'endpoint:api' }], new AbortController().signal);
    assert.equal(sideDone(h.posted, 0)?.error?.kind, 'contextTooLong');
    assert.equal(sideDone(h.posted, 0)?.error?.remedy, undefined, 'New Chat has no meaning in the panel');
    assert.equal(savedError(h, result, 0)?.remedy, 'newChat', 'but the continued conversation offers it in the chat');
    assert.equal(sideDone(h.posted, 1)?.error?.remedy, 'selectModel', "the side's own model field is the fix");
    assert.equal(savedError(h, result, 1)?.remedy, 'selectModel');
  });

  it('names where the data went', () => {
    assert.equal(dataWent({ providerLabel: 'Local', kind: 'local', endpoint: 'this computer' }), 'stayed on this machine');
    assert.equal(dataWent({ providerLabel: 'DeepSeek', kind: 'remote', endpoint: 'api.deepseek.com' }), 'sent to api.deepseek.com');
  });

  it('a new run stops the one still running first', async () => {
    const started = deferred();
    const endless = new FakeProvider('local', 'local', async function* (_request, signal) {
      started.resolve();
      await aborted(signal);
    });
    const quick = new FakeProvider('endpoint:api', 'remote', async function* () {
      yield { type: 'delta', text: 'ok' };
    });
    const h = harness([endless, quick]);
    const session = new CompareSession(h.deps);
    const first = session.run('one', targets);
    await started.promise;
    const second = session.run('two', [{ providerId: 'endpoint:api' }, { providerId: 'endpoint:api' }]);
    assert.equal((await first).sides[0].status, 'stopped');
    assert.deepEqual((await second).sides.map((s) => s.status), ['complete', 'complete']);
    assert.equal(session.running, false);
  });
});
