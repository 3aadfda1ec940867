// What every remote API provider promises, run once per provider against its fake server: the answer
// streams in order and ends with usage, stats and finish; a wrong key, a missing model and a rate limit
// are explained with what to do; a dropped stream keeps what was shown; Stop is immediate and closes
// the connection; keys are never echoed. Provider-specific behaviour stays in each provider's own spec.
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { ProviderRegistry } from '../../../src/providers/registry';
import type { FetchLike, RemoteProviderOptions } from '../../../src/providers/shared/remoteProviderOptions';
import type { RetryPolicy } from '../../../src/providers/shared/retryPolicy';
import type { ChatProvider, ChatRequest, ProviderError } from '../../../src/providers/types';
import { collect, finishOf } from '../../support/chatEvents';
import type { FakeApiServer, RecordedRequest } from '../../support/recordingHttpServer';
import { defaultAnswerChunks } from '../../support/fakeOpenAiServer';

/** The scenarios every fake server plays the same way. */
export type ContractScenario =
  | { kind: 'status'; status: number; retryAfter?: number }
  | { kind: 'drop'; chunks?: string[] }
  | { kind: 'slow'; intervalMs?: number }
  /** An answer with reasoning first, in the API's own field (OpenAI-compatible `reasoning_content`, Anthropic thinking blocks). */
  | { kind: 'ok'; chunks: string[]; reasoningChunks: string[] }
  | { kind: 'ok'; chunks: string[]; thinkingChunks: string[] };

export interface RemoteProviderHarness<Settings> {
  /** The settings namespace, as in `hearth.<namespace>.baseUrl`. */
  namespace: 'openai' | 'anthropic';
  /** The key the fake server accepts. */
  apiKey: string;
  /** A key it refuses, shaped like a real one. */
  wrongKey: string;
  /** The path a chat request is sent to. */
  chatPath: string;
  start(options: { apiKey?: string }): Promise<FakeApiServer<ContractScenario>>;
  /** The provider's settings for a server at `baseUrl`; they name `model`. */
  settings(baseUrl: string): Settings;
  model: string;
  create(options: RemoteProviderOptions<Settings>): ChatProvider;
  /** How the extension registers it: without loading its SDK until first use. */
  registration: {
    /** Repository-relative module and the function in it. */
    module: string;
    fn: string;
    id: string;
    /** A path fragment of the SDK's files in require.cache, e.g. `node_modules/openai/`. */
    sdkDir: string;
    register(registry: ProviderRegistry, options: Omit<RemoteProviderOptions<Settings>, 'id' | 'label'>): void;
  };
  /** The scenario of an answer that streams `thoughts` as the API sends reasoning, then `chunks`. */
  reasoningScenario(thoughts: string[], chunks: string[]): ContractScenario;
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

/** The real policy's retries with millisecond waits, so tests of failures that are retried stay fast. */
export const fastRetries: RetryPolicy = { maxRetries: 3, baseDelayMs: 1, maxWaitMs: 20_000 };

const repoRoot = resolve(__dirname, '..', '..', '..');

export function describeRemoteProviderContract<Settings>(name: string, h: RemoteProviderHarness<Settings>): void {
  describe(`${name}: the remote provider contract`, () => {
    let server: FakeApiServer<ContractScenario>;
    let baseUrl: string;
    let provider: ChatProvider;
    const create = (apiKey: string | undefined, fetch?: FetchLike): ChatProvider => h.create({ getSettings: () => h.settings(baseUrl), getApiKey: async () => apiKey, fetch, retry: fastRetries });
    const setting = (key: string): string => `hearth.${h.namespace}.${key}`;

    beforeEach(async () => {
      server = await h.start({ apiKey: h.apiKey });
      baseUrl = server.baseUrl;
      provider = create(h.apiKey);
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

    it('streams the reasoning the API sends apart from the answer, first, and counts its tokens', async () => {
      server.setScenario(h.reasoningScenario(['Think ', 'hard.'], ['The ', 'answer.']));
      const { events, text, error } = await collect(provider.chat(question));
      assert.equal(error, undefined);
      assert.equal(text, 'The answer.');
      assert.deepEqual(
        events.flatMap((e) => (e.type === 'reasoning' || e.type === 'delta' ? [`${e.type}:${e.text}`] : [])),
        ['reasoning:Think ', 'reasoning:hard.', 'delta:The ', 'delta:answer.'],
      );
      const usage = events.find((e) => e.type === 'usage');
      assert.ok(usage?.type === 'usage' && (usage.usage.reasoningTokens ?? 0) > 0 && (usage.usage.reasoningTokens ?? 0) < usage.usage.completionTokens, JSON.stringify(usage));
    });

    it('streams a <think>…</think> that opens the answer text as reasoning (a model served without a reasoning parser)', async () => {
      server.setScenario(h.reasoningScenario([], ['<thi', 'nk>Think ', 'hard.</think>', '\n\nThe ', 'answer.']));
      const { events, text, error } = await collect(provider.chat(question));
      assert.equal(error, undefined);
      assert.equal(text, 'The answer.');
      assert.deepEqual(
        events.flatMap((e) => (e.type === 'reasoning' || e.type === 'delta' ? [`${e.type}:${e.text}`] : [])),
        ['reasoning:Think ', 'reasoning:hard.', 'delta:The ', 'delta:answer.'],
      );
    });

    it('maps a wrong key to auth with the Set API Key action, never echoing the key', async () => {
      const wrong = create(h.wrongKey);
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

    it('says why the model list could not be fetched, rather than showing an empty list', async () => {
      const wrong = create(h.wrongKey);
      await assert.rejects(wrong.models(), (err: ProviderError) => err.kind === 'auth' && !err.message.includes(h.wrongKey));
      baseUrl = 'http://127.0.0.1:1';
      await assert.rejects(provider.models(), (err: ProviderError) => err.kind === 'network' && /Could not reach/.test(err.message) && err.action?.includes(setting('baseUrl')) === true);
    });

    it('sends every request through an injected fetch', async () => {
      const urls: string[] = [];
      const recordingFetch: FetchLike = (input, init) => {
        urls.push(input instanceof Request ? input.url : String(input));
        return fetch(input, init);
      };
      const { text } = await collect(create(h.apiKey, recordingFetch).chat(question));
      assert.match(text, /fake/);
      assert.deepEqual(
        urls.map((u) => new URL(u).pathname),
        [h.chatPath],
      );
    });

    it('registers as a remote provider that works on first get', async () => {
      const registry = new ProviderRegistry();
      try {
        h.registration.register(registry, { getSettings: () => h.settings(baseUrl), getApiKey: async () => h.apiKey });
        assert.deepEqual(
          registry.list().map((d) => [d.id, d.kind]),
          [[h.registration.id, 'remote']],
        );
        const { text } = await collect((await registry.get(h.registration.id)).chat({ messages: [{ role: 'user', content: 'ping' }] }));
        assert.match(text, /You said: "ping"/);
      } finally {
        await registry.dispose();
      }
    });

    it('does not load its SDK until the provider is first used', async () => {
      const r = h.registration;
      const script = `
        const loaded = () => Object.keys(require.cache).some((k) => k.includes(${JSON.stringify(r.sdkDir)}));
        const { ProviderRegistry } = require(${JSON.stringify(join(repoRoot, 'src/providers/registry.ts'))});
        const { ${r.fn} } = require(${JSON.stringify(join(repoRoot, r.module))});
        const registry = new ProviderRegistry();
        ${r.fn}(registry, { getSettings: () => (${JSON.stringify(h.settings('http://127.0.0.1:1'))}), getApiKey: async () => undefined });
        const before = loaded();
        registry.get(${JSON.stringify(r.id)}).then(() => console.log(JSON.stringify({ before, after: loaded() })));
      `;
      const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '-e', script], { cwd: repoRoot });
      assert.deepEqual(JSON.parse(stdout.trim()), { before: false, after: true });
    });
  });
}
