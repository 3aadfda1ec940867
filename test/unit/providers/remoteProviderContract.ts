// What every remote API provider promises, run once per provider against its fake server: the answer
// streams in order and ends with usage, stats and finish; a wrong key, a missing model and a rate limit
// are explained with what to do; a dropped stream keeps what was shown; Stop is immediate and closes
// the connection; keys are never echoed. Provider-specific behaviour stays in each provider's own spec.
import * as assert from 'node:assert/strict';
import type { ChatProvider, ChatRequest } from '../../../src/providers/types';
import type { FetchLike } from '../../../src/providers/shared/remoteProviderOptions';
import { collect, finishOf } from '../../support/chatEvents';
import type { FakeApiServer, RecordedRequest } from '../../support/recordingHttpServer';
import { defaultAnswerChunks } from '../../support/fakeOpenAiServer';

/** The scenarios every fake server plays the same way. */
export type ContractScenario = { kind: 'status'; status: number; retryAfter?: number } | { kind: 'drop'; chunks?: string[] } | { kind: 'slow'; intervalMs?: number };

export interface RemoteProviderHarness {
  /** The settings namespace, as in `hearth.<namespace>.baseUrl`. */
  namespace: 'openai' | 'anthropic';
  /** The key the fake server accepts. */
  apiKey: string;
  /** A key it refuses, shaped like a real one. */
  wrongKey: string;
  /** The path a chat request is sent to. */
  chatPath: string;
  start(options: { apiKey?: string }): Promise<FakeApiServer<ContractScenario>>;
  /** A provider whose settings point at `baseUrl()` at each request. */
  create(baseUrl: () => string, apiKey: string | undefined, fetch?: FetchLike): ChatProvider;
  /** The model the settings name. */
  model: string;
  /** The key as the request carried it (header name differs per API). */
  sentKey(request: RecordedRequest | undefined): string;
}

export const contractQuestion: ChatRequest = {
  messages: [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content: 'How do I reverse a list in Python?' },
  ],
};
const question = contractQuestion;

export function describeRemoteProviderContract(name: string, h: RemoteProviderHarness): void {
  describe(`${name}: the remote provider contract`, () => {
    let server: FakeApiServer<ContractScenario>;
    let baseUrl: string;
    let provider: ChatProvider;
    const setting = (key: string): string => `hearth.${h.namespace}.${key}`;

    beforeEach(async () => {
      server = await h.start({ apiKey: h.apiKey });
      baseUrl = server.baseUrl;
      provider = h.create(() => baseUrl, h.apiKey);
    });
    afterEach(async () => {
      await server.close();
    });

    it('streams the deltas in order, then usage, stats and finish', async () => {
      const { events, text, error } = await collect(provider.chat(question));
      assert.equal(error, undefined);
      const expected = defaultAnswerChunks('How do I reverse a list in Python?');
      assert.deepEqual(
        events.filter((e) => e.type === 'delta').map((e) => (e.type === 'delta' ? e.text : '')),
        expected,
      );
      assert.equal(text, expected.join(''));
      // The fakes count words of system + messages: "Be brief." (2) + the question (8).
      assert.deepEqual(events.find((e) => e.type === 'usage'), { type: 'usage', usage: { promptTokens: 10, completionTokens: expected.length } });
      const stats = events.find((e) => e.type === 'stats');
      assert.ok(stats?.type === 'stats' && (stats.stats.timeToFirstTokenMs ?? -1) >= 0);
      assert.equal(finishOf(events), 'stop');
    });

    it('maps a wrong key to auth with the Set API Key action, never echoing the key', async () => {
      const wrong = h.create(() => baseUrl, h.wrongKey);
      const { error } = await collect(wrong.chat(question));
      assert.equal(error?.kind, 'auth');
      assert.equal(error?.status, 401);
      assert.match(error?.action ?? '', /Hearth: Set API Key/);
      // The fakes quote the key they got, as real servers and proxies may: the provider must scrub it.
      assert.ok(h.sentKey(server.requests[0]).includes(h.wrongKey));
      const shown = `${error?.message} ${error?.action}`;
      assert.ok(!shown.includes(h.wrongKey), shown);
      assert.ok(!JSON.stringify(error?.toInfo()).includes(h.wrongKey));
      assert.match(error?.message ?? '', /\[redacted\]/);
    });

    it('maps 404 to badModel naming the model and its setting', async () => {
      server.setScenario({ kind: 'status', status: 404 });
      const { error } = await collect(provider.chat(question));
      assert.equal(error?.kind, 'badModel');
      assert.ok(error?.message.includes(h.model), error?.message);
      assert.ok(error?.action?.includes(setting('model')), error?.action);
    });

    it('maps 429 to rateLimit with the retry-after, and does not retry a long wait', async () => {
      server.setScenario({ kind: 'status', status: 429, retryAfter: 30 });
      const { error } = await collect(provider.chat(question));
      assert.equal(error?.kind, 'rateLimit');
      assert.match(error?.action ?? '', /30 s/);
      assert.equal(server.requests.length, 1);
    });

    it('keeps partial deltas and throws network when the connection drops mid-stream', async () => {
      server.setScenario({ kind: 'drop', chunks: ['partial ', 'answer '] });
      const { text, error, events } = await collect(provider.chat(question));
      assert.equal(text, 'partial answer ');
      assert.equal(error?.kind, 'network');
      assert.match(error?.message ?? '', /connection closed before the answer finished/);
      assert.match(error?.action ?? '', /partial answer is kept/);
      assert.equal(events.some((e) => e.type === 'finish'), false);
    });

    it('maps connection refused to network, naming the base URL setting', async () => {
      const closed = await h.start({});
      await closed.close();
      baseUrl = closed.baseUrl;
      const { error } = await collect(provider.chat(question));
      assert.equal(error?.kind, 'network');
      assert.match(error?.message ?? '', /ECONNREFUSED/);
      assert.ok(error?.action?.includes(`${setting('baseUrl')} (${closed.baseUrl})`), error?.action);
    });

    it('stops at once on abort, finishing as cancelled, and the server sees the disconnect', async () => {
      server.setScenario({ kind: 'slow', intervalMs: 10 });
      const controller = new AbortController();
      const disconnected = server.waitForDisconnect();
      let abortedAt = 0;
      const { events, error } = await collect(provider.chat(question, controller.signal), (e) => {
        if (e.type === 'delta' && abortedAt === 0) {
          abortedAt = performance.now();
          controller.abort();
        }
      });
      const endedAfterMs = performance.now() - abortedAt;
      assert.equal(error, undefined);
      assert.equal(finishOf(events), 'cancelled');
      assert.ok(endedAfterMs < 1000, `ended ${endedAfterMs} ms after abort`);
      const request = await disconnected;
      assert.equal(request.clientDisconnected, true);
      assert.equal(request.path, h.chatPath);
    });

    it('finishes as cancelled without a request when already aborted', async () => {
      const { events } = await collect(provider.chat(question, AbortSignal.abort()));
      assert.deepEqual(events, [{ type: 'finish', reason: 'cancelled' }]);
      assert.equal(server.requests.length, 0);
    });

    it('lists no models, rather than failing, when the server cannot be reached', async () => {
      baseUrl = 'http://127.0.0.1:1';
      assert.deepEqual(await provider.models(), []);
    });

    it('sends every request through an injected fetch', async () => {
      const urls: string[] = [];
      const recordingFetch: FetchLike = (input, init) => {
        urls.push(input instanceof Request ? input.url : String(input));
        return fetch(input, init);
      };
      const { text } = await collect(h.create(() => baseUrl, h.apiKey, recordingFetch).chat(question));
      assert.match(text, /fake/);
      assert.deepEqual(
        urls.map((u) => new URL(u).pathname),
        [h.chatPath],
      );
    });
  });
}
