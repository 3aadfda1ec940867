import * as assert from 'node:assert/strict';
import { loadModel, type LoadedModel } from '../../../src/engine';
import { EngineError } from '../../../src/engine/errors';
import type { ChatMessage } from '../../../src/protocol/chat';
import type { EngineMessage } from '../../../src/protocol/engine';
import { answer, greedy, modelDir } from './engineTestSupport';

const system: ChatMessage = { role: 'system', content: 'You are terse.' };
const user1: ChatMessage = { role: 'user', content: 'Tell me about the weather in the mountains.' };
const user2: ChatMessage = { role: 'user', content: 'And what about the sea?' };

/**
 * The prefix cache must never change an answer: follow-up, edit and regenerate equal a cold run.
 * Run on both KV layouts (packed tensors per step; GroupQueryAttention's in-place buffers).
 */
function prefixCacheSpecs(model: () => LoadedModel): void {
  it('a follow-up turn served from the prefix cache gives the same tokens as a cold run', async () => {
    const turn1 = await answer(model(), { conversationId: 'follow-up', messages: [system, user1], maxNewTokens: 20, sampling: greedy });
    const history = [system, user1, { role: 'assistant' as const, content: turn1.text }, user2];
    const warm = await answer(model(), { conversationId: 'follow-up', messages: history, maxNewTokens: 20, sampling: greedy });
    const cold = await answer(model(), { messages: history, maxNewTokens: 20, sampling: greedy });
    assert.ok(
      warm.result.usage.cachedTokens >= turn1.result.usage.promptTokens,
      `only ${warm.result.usage.cachedTokens} of ${warm.result.usage.promptTokens} prompt tokens came from the cache`,
    );
    assert.equal(cold.result.usage.cachedTokens, 0);
    assert.ok(warm.text.length > 0);
    assert.equal(warm.text, cold.text);
    assert.equal(warm.result.usage.completionTokens, cold.result.usage.completionTokens);
  });

  it('an edited earlier message reuses only the common prefix and gives the cold answer', async () => {
    const id = 'edit';
    const first = await answer(model(), { conversationId: id, messages: [system, user1], maxNewTokens: 12, sampling: greedy });
    const long = [system, user1, { role: 'assistant' as const, content: first.text }, user2];
    await answer(model(), { conversationId: id, messages: long, maxNewTokens: 12, sampling: greedy });

    const edited = [system, { role: 'user' as const, content: 'Tell me about the snow in the mountains.' }];
    const warm = await answer(model(), { conversationId: id, messages: edited, maxNewTokens: 12, sampling: greedy });
    const cold = await answer(model(), { messages: edited, maxNewTokens: 12, sampling: greedy });
    // The system prompt and "Tell me about the " are shared with the cached turns.
    assert.ok(warm.result.usage.cachedTokens > model().text.encode(system.content).length);
    assert.ok(warm.result.usage.cachedTokens < warm.result.usage.promptTokens - 1, 'the edited part must be recomputed');
    assert.equal(warm.text, cold.text);
  });

  it('regenerating the last answer reuses the whole prompt and gives the cold answer', async () => {
    const id = 'regenerate';
    const messages = [system, user1];
    const first = await answer(model(), { conversationId: id, messages, maxNewTokens: 15, sampling: greedy });
    const again = await answer(model(), { conversationId: id, messages, maxNewTokens: 15, sampling: greedy });
    assert.equal(again.result.usage.cachedTokens, again.result.usage.promptTokens - 1);
    assert.equal(again.text, first.text);
  });

}

/** The in-place cache gives the packed layout's greedy answer, while it grows several times. */
function longAnswerSpec(name: 'tiny-standard-tjs' | 'tiny-gqa-tjs', model: () => LoadedModel): void {
  it('a long answer (the cache grows several times) equals the packed layout\'s answer', async () => {
    const packed = await loadModel(await modelDir(name), { device: 'cpu', threads: 1, kvCache: 'packed' });
    try {
      assert.equal(packed.decoder.kvLayout, 'packed');
      const request = { messages: [system, user1], maxNewTokens: 300, minNewTokens: 300, sampling: greedy };
      const inPlace = await answer(model(), request);
      const reference = await answer(packed, request);
      assert.equal(inPlace.result.usage.completionTokens, 300);
      assert.equal(inPlace.text, reference.text);
    } finally {
      await packed.dispose();
    }
  });
}

describe('generation (tiny model)', () => {
  let model: LoadedModel;
  before(async () => {
    model = await loadModel(await modelDir('tiny-standard-tjs'), { device: 'cpu', threads: 1 });
  });
  after(() => model.dispose());

  it('keeps the KV cache in place (standard attention: new rows after the masked buffer)', () => {
    assert.equal(model.decoder.kvLayout, 'appended');
    assert.equal(model.decoder.io.kvRowsAfter, 'capacity');
  });
  prefixCacheSpecs(() => model);
  longAnswerSpec('tiny-standard-tjs', () => model);

  it('greedy output is deterministic', async () => {
    const request = { messages: [system, user1], maxNewTokens: 30, minNewTokens: 30, sampling: greedy };
    const a = await answer(model, request);
    const b = await answer(model, request);
    assert.equal(a.result.usage.completionTokens, 30);
    assert.equal(a.result.finishReason, 'length');
    assert.equal(a.text, b.text);
  });

  it('sampling with a seed is reproducible, and another seed differs', async () => {
    const request = (seed: number) => ({
      messages: [system, user1],
      maxNewTokens: 30,
      minNewTokens: 30,
      sampling: { temperature: 1, topK: 0, seed },
    });
    const a = await answer(model, request(11));
    const b = await answer(model, request(11));
    const c = await answer(model, request(12));
    assert.equal(a.text, b.text);
    assert.notEqual(a.text, c.text);
  });

  it('stops on a stop string without emitting it', async () => {
    const full = await answer(model, { messages: [user1], maxNewTokens: 30, minNewTokens: 30, sampling: greedy });
    const stop = full.text.slice(10, 14);
    const cut = full.text.indexOf(stop);
    assert.ok(cut > 0);
    const stopped = await answer(model, { messages: [user1], maxNewTokens: 30, minNewTokens: 30, stop: [stop], sampling: greedy });
    assert.equal(stopped.result.finishReason, 'stop');
    assert.equal(stopped.text, full.text.slice(0, cut));
  });

  it('cancellation lands within one token', async () => {
    let forwards = 0;
    const forward = model.decoder.forward.bind(model.decoder);
    model.decoder.forward = (ids, past) => {
      forwards++;
      return forward(ids, past);
    };
    try {
      const controller = new AbortController();
      let forwardsAtAbort = -1;
      let deltasAfterAbort = 0;
      let result;
      for await (const event of model.generate({ messages: [user1], maxNewTokens: 500, minNewTokens: 500, sampling: greedy }, controller.signal)) {
        if (event.type === 'delta') {
          if (controller.signal.aborted) deltasAfterAbort++;
          else if (forwards >= 5) {
            forwardsAtAbort = forwards;
            controller.abort();
          }
        }
        if (event.type === 'done') result = event.result;
      }
      assert.equal(result?.finishReason, 'cancelled');
      assert.equal(forwards, forwardsAtAbort, 'no forward pass may start after the abort');
      assert.ok(deltasAfterAbort <= 1, 'at most the held-back tail may follow');
      assert.ok((result?.usage.completionTokens ?? 0) < 500);
    } finally {
      model.decoder.forward = forward;
    }
  });

  it('an answer aborted before it starts does no work', async () => {
    const controller = new AbortController();
    controller.abort();
    const a = await answer(model, { messages: [user1], maxNewTokens: 50, sampling: greedy }, controller.signal);
    assert.equal(a.result.finishReason, 'cancelled');
    assert.equal(a.result.usage.completionTokens, 0);
  });

  it('drops the oldest turns to fit the context window, with a notice, keeping the system prompt', async () => {
    const long = (i: number): string => `Turn ${i}: ` + 'the quick brown fox jumps over the lazy dog. '.repeat(40);
    const messages: ChatMessage[] = [system];
    for (let i = 0; i < 12; i++) messages.push({ role: 'user', content: long(i) }, { role: 'assistant', content: long(i) });
    messages.push({ role: 'user', content: 'Last question?' });
    assert.ok(model.countTokens(messages) > model.info.contextWindow, 'the conversation must overflow the window');

    let rendered: readonly EngineMessage[] = [];
    const renderChat = model.text.renderChat.bind(model.text);
    model.text.renderChat = (m) => {
      rendered = m;
      return renderChat(m);
    };
    try {
      const a = await answer(model, { messages, maxNewTokens: 8, sampling: greedy });
      assert.equal(a.notices.length, 1);
      assert.match(a.notices[0] ?? '', new RegExp(`Left out the ${a.result.droppedMessages} oldest messages`));
      assert.ok(a.result.droppedMessages >= 2 && a.result.droppedMessages % 2 === 0, 'whole turns are dropped');
      assert.ok(a.result.usage.promptTokens <= model.info.contextWindow - 8);
      assert.deepEqual(rendered[0], system);
      assert.equal(rendered.at(-1)?.content, 'Last question?');
      assert.equal(rendered[1]?.role, 'user');
    } finally {
      model.text.renderChat = renderChat;
    }
  });

  it('fails with contextTooLong when the newest message alone does not fit', async () => {
    const huge = 'lorem ipsum dolor sit amet '.repeat(600);
    await assert.rejects(
      answer(model, { messages: [system, { role: 'user', content: huge }], maxNewTokens: 8 }),
      (err: unknown) => err instanceof EngineError && err.kind === 'contextTooLong' && err.action !== undefined,
    );
  });

  it('queues concurrent answers instead of mixing them', async () => {
    const request = { messages: [user1], maxNewTokens: 10, minNewTokens: 10, sampling: greedy };
    const [a, b] = await Promise.all([answer(model, request), answer(model, request)]);
    assert.equal(a.text, b.text);
  });
});

describe('generation (tiny GroupQueryAttention model, in-place KV cache)', () => {
  let model: LoadedModel;
  before(async () => {
    model = await loadModel(await modelDir('tiny-gqa-tjs'), { device: 'cpu', threads: 1 });
  });
  after(() => model.dispose());

  it('keeps the KV cache in place', () => assert.equal(model.decoder.kvLayout, 'appended'));
  prefixCacheSpecs(() => model);

  longAnswerSpec('tiny-gqa-tjs', () => model);
});

describe('generation (demo model)', () => {
  let model: LoadedModel;
  before(async () => {
    model = await loadModel(await modelDir('demo-tjs'), { device: 'cpu' });
  });
  after(() => model.dispose());

  it('writes the demo sentence and stops at EOS', async () => {
    const a = await answer(model, { messages: [{ role: 'user', content: 'Hi!' }] });
    assert.equal(a.result.finishReason, 'stop');
    assert.match(a.text, /Hearth/);
    assert.ok(a.result.stats.timeToFirstTokenMs !== undefined && a.result.stats.tokensPerSecond !== undefined);
    assert.equal(a.result.stats.device, 'cpu');
  });
});
