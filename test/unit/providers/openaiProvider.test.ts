// The OpenAI-compatible provider against a local server that speaks the real wire format.
import * as assert from 'node:assert/strict';
import { OpenAiProvider, type OpenAiSettings } from '../../../src/providers/openai/openAiProvider';
import { startFakeOpenAiServer, type FakeOpenAiServer } from '../../support/fakeOpenAiServer';
import { collect, finishOf } from '../../support/chatEvents';
import { openAiProviderId, registerOpenAiProvider } from '../../../src/providers/openai/registerOpenAiProvider';
import { contractQuestion, describeRemoteProviderContract, fastRetries } from './remoteProviderContract';

const apiKey = 'sk-test-SECRET-0123456789';

const question = contractQuestion;

describe('OpenAiProvider', () => {
  let server: FakeOpenAiServer;
  let settings: OpenAiSettings;
  let provider: OpenAiProvider;

  beforeEach(async () => {
    server = await startFakeOpenAiServer({ apiKey });
    settings = { baseUrl: server.baseUrl, model: 'fake-model' };
    provider = new OpenAiProvider({ getSettings: () => settings, getApiKey: async () => apiKey, retry: fastRetries });
  });
  afterEach(async () => {
    await server.close();
  });

  it('sends model, messages, stream:true, include_usage and the key as a Bearer token', async () => {
    settings = { ...settings, maxTokens: 64, temperature: 0.2 };
    await collect(provider.chat({ ...question, model: 'other-model' }));
    const [request] = await server.waitForRequests(1);
    assert.equal(request?.headers.authorization, `Bearer ${apiKey}`);
    assert.deepEqual(request?.body, {
      model: 'other-model',
      messages: question.messages,
      stream: true,
      stream_options: { include_usage: true },
      max_tokens: 64,
      temperature: 0.2,
    });
  });

  it('tolerates servers without a role chunk or usage, and keeps reasoning_content out of the answer', async () => {
    server.setScenario({ kind: 'ok', chunks: ['Hel', 'lo'], omitRoleChunk: true, usage: false, reasoningChunks: ['thinking...'] });
    const { events, text, error } = await collect(provider.chat(question));
    assert.equal(error, undefined);
    assert.equal(text, 'Hello');
    assert.equal(events.some((e) => e.type === 'usage'), false);
    assert.equal(finishOf(events), 'stop');
  });

  for (const field of ['reasoning_content', 'reasoning'] as const) {
    it(`streams \`delta.${field}\` as reasoning events before the answer, with the reasoning tokens the server reports`, async () => {
      server.setScenario({
        kind: 'ok',
        reasoningField: field,
        reasoningChunks: ['The user ', 'asks **x**.'],
        chunks: ['Hel', 'lo'],
        usage: { prompt_tokens: 9, completion_tokens: 30, completion_tokens_details: { reasoning_tokens: 22 } },
      });
      const { events, text, error } = await collect(provider.chat(question));
      assert.equal(error, undefined);
      assert.equal(text, 'Hello');
      assert.deepEqual(
        events.flatMap((e) => (e.type === 'reasoning' || e.type === 'delta' ? [`${e.type}:${e.text}`] : [])),
        ['reasoning:The user ', 'reasoning:asks **x**.', 'delta:Hel', 'delta:lo'],
      );
      assert.deepEqual(events.find((e) => e.type === 'usage'), { type: 'usage', usage: { promptTokens: 9, completionTokens: 30, reasoningTokens: 22 } });
      const stats = events.find((e) => e.type === 'stats');
      assert.ok(stats?.type === 'stats' && stats.stats.timeToFirstTokenMs !== undefined, 'the first thought is the first token');
    });
  }

  describe('inline <think>…</think> in the answer text (a reasoning model served without a reasoning parser)', () => {
    const pieces = (events: readonly { type: string; text?: string }[]): string[] =>
      events.flatMap((e) => (e.type === 'reasoning' || e.type === 'delta' ? [`${e.type}:${e.text}`] : []));

    it('streams the block as reasoning and the rest as the answer, with the tags cut anywhere across chunks', async () => {
      server.setScenario({
        kind: 'ok',
        chunks: ['\n<', 'thi', 'nk>\nThe user wants ', 'a list </th', 'in', 'k', '>\n\nUse ', '`reversed()`.'],
        usage: { prompt_tokens: 5, completion_tokens: 20 },
      });
      const { events, text, error } = await collect(provider.chat(question));
      assert.equal(error, undefined);
      assert.equal(text, 'Use `reversed()`.', 'no tag and no thinking in the answer');
      assert.deepEqual(pieces(events), ['reasoning:The user wants ', 'reasoning:a list ', 'delta:Use ', 'delta:`reversed()`.']);
      const usage = events.find((e) => e.type === 'usage');
      assert.ok(usage?.type === 'usage' && usage.usage.reasoningTokens !== undefined && usage.usage.reasoningTokens > 0 && usage.usage.reasoningTokens < 20, JSON.stringify(usage));
      assert.equal(finishOf(events), 'stop');
    });

    it('keeps an answer cut at the length limit inside the block as thinking, and flushes a tail held back as a possible tag', async () => {
      server.setScenario({ kind: 'ok', chunks: ['<think>Step one. Step two', '</thi'], finishReason: 'length' });
      const { events, text } = await collect(provider.chat(question));
      assert.equal(text, '');
      assert.deepEqual(pieces(events), ['reasoning:Step one. Step two', 'reasoning:</thi']);
      assert.equal(finishOf(events), 'length');
    });

    it('leaves a <think> that does not open the answer in the answer, as written', async () => {
      server.setScenario({ kind: 'ok', chunks: ['Models write ', '<think>', ' first.'] });
      const { events, text } = await collect(provider.chat(question));
      assert.equal(text, 'Models write <think> first.');
      assert.ok(!events.some((e) => e.type === 'reasoning'));
    });

    it('passes answer text on as it arrives when the answer starts with no tag, even with a "<"', async () => {
      server.setScenario({ kind: 'ok', chunks: ['<', 'b> is bold'] });
      const { events, text } = await collect(provider.chat(question));
      assert.equal(text, '<b> is bold');
      assert.deepEqual(pieces(events), ['delta:<b> is bold']);
    });

    it('a lone </think> (the server\'s template opened the block) turns the text before it into thinking', async () => {
      server.setScenario({
        kind: 'ok',
        chunks: ['Okay, the user', ' asks.\n</th', 'ink>', '\n\n', 'Use ', '`reversed()`.'],
        usage: { prompt_tokens: 5, completion_tokens: 20 },
      });
      const { events, text, error } = await collect(provider.chat(question));
      assert.equal(error, undefined);
      assert.deepEqual(
        events.flatMap((e) => (e.type === 'reasoning' || e.type === 'delta' ? [`${e.type}:${e.text}`] : e.type === 'answerWasReasoning' ? [e.type] : [])),
        ['delta:Okay, the user', 'delta: asks.\n', 'answerWasReasoning', 'delta:Use ', 'delta:`reversed()`.'],
      );
      // What a consumer keeps: the text before the rewind was thinking.
      assert.equal(text.slice('Okay, the user asks.\n'.length), 'Use `reversed()`.');
      const usage = events.find((e) => e.type === 'usage');
      assert.ok(usage?.type === 'usage' && (usage.usage.reasoningTokens ?? 0) > 10, `the thinking counts as thinking: ${JSON.stringify(usage)}`);
    });

    it('leaves a </think> in the answer when a <think> came before it, or when reasoning came in its own field', async () => {
      server.setScenario({ kind: 'ok', chunks: ['Write ', '<think>, then ', '</think>.'] });
      const first = await collect(provider.chat(question));
      assert.equal(first.text, 'Write <think>, then </think>.');
      assert.ok(!first.events.some((e) => e.type === 'answerWasReasoning' || e.type === 'reasoning'));

      server.setScenario({ kind: 'ok', reasoningChunks: ['Thought.'], chunks: ['Close with </think>.'] });
      const second = await collect(provider.chat(question));
      assert.equal(second.text, 'Close with </think>.');
      assert.ok(!second.events.some((e) => e.type === 'answerWasReasoning'));
    });

    it('keeps the reasoning_content a server sends apart, and splits the answer text after it as usual', async () => {
      server.setScenario({ kind: 'ok', reasoningChunks: ['From the field.'], chunks: ['\n\n', 'The answer.'] });
      const { events, text } = await collect(provider.chat(question));
      assert.equal(text, '\n\nThe answer.');
      assert.deepEqual(pieces(events), ['reasoning:From the field.', 'delta:\n\nThe answer.']);
    });
  });

  it('estimates the reasoning tokens from the text when the server reports none', async () => {
    server.setScenario({ kind: 'ok', reasoningChunks: ['abcdefghijklmnop'], chunks: ['abcd'], usage: { prompt_tokens: 1, completion_tokens: 10 } });
    const { events } = await collect(provider.chat(question));
    assert.deepEqual(events.find((e) => e.type === 'usage'), { type: 'usage', usage: { promptTokens: 1, completionTokens: 10, reasoningTokens: 8 } });
  });

  it("reports finish reason 'length' when the answer hit max tokens", async () => {
    server.setScenario({ kind: 'ok', chunks: ['cut'], finishReason: 'length' });
    assert.equal(finishOf((await collect(provider.chat(question))).events), 'length');
  });

  it('retries a 429 once when retry-after is short, with a notice', async () => {
    server.queueScenarios({ kind: 'status', status: 429, retryAfter: 0 });
    const { events, text, error } = await collect(provider.chat(question));
    assert.equal(error, undefined);
    assert.match(text, /fake/);
    assert.ok(events.some((e) => e.type === 'notice' && /Rate limited/.test(e.text)));
    assert.equal(server.requests.length, 2);
  });

  it('maps a context-length 400 to contextTooLong', async () => {
    server.setScenario({ kind: 'status', status: 400 });
    const { error } = await collect(provider.chat(question));
    assert.equal(error?.kind, 'contextTooLong');
    assert.match(error?.action ?? '', /new conversation/);
  });

  it('retries 5xx before the first token with a growing backoff, announced, then maps 500 to server', async () => {
    const waits: number[] = [];
    const retrying = new OpenAiProvider({ getSettings: () => settings, getApiKey: async () => apiKey, retry: { maxRetries: 3, baseDelayMs: 1, maxWaitMs: 20_000 } });
    server.setScenario({ kind: 'status', status: 500 });
    const { events, error } = await collect(retrying.chat(question), (e) => {
      if (e.type === 'notice') waits.push(Number(/retrying in (\d+) s/.exec(e.text)?.[1]));
    });
    assert.equal(error?.kind, 'server');
    assert.equal(error?.status, 500);
    assert.equal(server.requests.length, 4, 'the first attempt and three retries');
    assert.equal(events.filter((e) => e.type === 'notice').length, 3, 'no silent retries');
    assert.deepEqual(waits, [1, 1, 1]);
  });

  it('never retries after text has streamed, and never an insufficient_quota 429', async () => {
    const retrying = new OpenAiProvider({ getSettings: () => settings, getApiKey: async () => apiKey, retry: { maxRetries: 3, baseDelayMs: 1, maxWaitMs: 20_000 } });
    server.setScenario({ kind: 'drop', chunks: ['partial '] });
    const dropped = await collect(retrying.chat(question));
    assert.equal(dropped.error?.kind, 'network');
    assert.equal(server.requests.length, 1);
    server.setScenario({ kind: 'status', status: 429, code: 'insufficient_quota', message: 'You exceeded your current quota.' });
    const quota = await collect(retrying.chat(question));
    assert.equal(quota.error?.kind, 'rateLimit');
    assert.match(quota.error?.action ?? '', /billing/);
    assert.equal(server.requests.length, 2);
  });

  it("shows a server's error sent inside the stream, in each of its forms, keeping the partial answer", async () => {
    for (const style of ['llama', 'data', 'event'] as const) {
      server.setScenario({ kind: 'streamError', style, chunks: ['partial '], error: { code: 500, message: 'the model crashed while generating', type: 'server_error' } });
      const { text, error } = await collect(provider.chat(question));
      assert.equal(text, 'partial ', style);
      assert.equal(error?.kind, 'server', style);
      assert.match(error?.message ?? '', /the model crashed while generating/, `${style}: the server's own words, not "connection closed"`);
      assert.match(error?.action ?? '', /partial answer is kept/, style);
    }
  });

  it("maps llama-server's context overflow inside the stream to contextTooLong", async () => {
    server.setScenario({
      kind: 'streamError',
      style: 'llama',
      chunks: [],
      error: { code: 400, message: 'the request exceeds the available context size, try increasing it', type: 'exceed_context_size_error' },
    });
    const { error } = await collect(provider.chat(question));
    assert.equal(error?.kind, 'contextTooLong');
    assert.match(error?.message ?? '', /exceeds the available context size/);
    assert.match(error?.action ?? '', /new conversation/);
  });

  it('ends a request the server accepted and never answered, and one that went quiet midway', async () => {
    let timeouts = { firstChunkMs: 100, idleMs: 100 };
    const watched = new OpenAiProvider({ getSettings: () => ({ ...settings, timeouts }), getApiKey: async () => apiKey });
    for (const headers of [false, true]) {
      server.setScenario({ kind: 'silent', headers });
      const { error } = await collect(watched.chat(question));
      assert.equal(error?.kind, 'network', `headers: ${headers}`);
      assert.match(error?.message ?? '', /accepted the request but sent nothing/);
    }
    // A first chunk that must arrive, however busy this machine is: only the idle limit is short.
    timeouts = { firstChunkMs: 10_000, idleMs: 100 };
    server.setScenario({ kind: 'stall', chunks: ['half an '] });
    const stalled = await collect(watched.chat(question));
    assert.equal(stalled.text, 'half an ');
    assert.match(stalled.error?.message ?? '', /stopped sending in the middle of the answer/);
    const disconnects = await server.waitForDisconnect(3);
    assert.equal(disconnects.clientDisconnected, true, 'each quiet request was closed, not left hanging');
  });

  it('maps a non-JSON error body to server with a short excerpt', async () => {
    server.setScenario({ kind: 'nonJson' });
    const { error } = await collect(provider.chat(question));
    assert.equal(error?.kind, 'server');
    assert.match(error?.message ?? '', /502/);
    assert.match(error?.message ?? '', /502 Bad Gateway/);
    assert.ok(!/[<>]/.test(error?.message ?? ''), 'no HTML tags in the message');
    assert.match(error?.action ?? '', /hearth\.openai\.baseUrl/);
  });

  it('rejects a malformed base URL with a clear error and no request', async () => {
    settings = { ...settings, baseUrl: 'localhost:11434' };
    const { error } = await collect(provider.chat(question));
    assert.equal(error?.kind, 'badRequest');
    assert.match(error?.message ?? '', /hearth\.openai\.baseUrl/);
  });

  it('retries once without stream_options when the server rejects it, and remembers', async () => {
    server.setScenario({ kind: 'ok', chunks: ['ok'], rejectStreamOptions: true });
    const first = await collect(provider.chat(question));
    assert.equal(first.error, undefined);
    assert.equal(first.text, 'ok');
    const second = await collect(provider.chat(question));
    assert.equal(second.text, 'ok');
    const sent = server.requests.map((r) => 'stream_options' in (r.body as object));
    assert.deepEqual(sent, [true, false, false]);
  });

  it("lists the server's models", async () => {
    assert.deepEqual(await provider.models(), [{ id: 'fake-model' }, { id: 'fake-model-mini' }]);
  });
});

describeRemoteProviderContract('OpenAiProvider', {
  namespace: 'openai',
  apiKey,
  wrongKey: 'sk-wrong-KEY-9876543210',
  chatPath: '/v1/chat/completions',
  model: 'fake-model',
  start: (options) => startFakeOpenAiServer(options),
  reasoningScenario: (thoughts, chunks) => ({ kind: 'ok', reasoningChunks: thoughts, chunks }),
  settings: (baseUrl): OpenAiSettings => ({ baseUrl, model: 'fake-model' }),
  create: (options) => new OpenAiProvider(options),
  registration: {
    module: 'src/providers/openai/registerOpenAiProvider.ts',
    fn: 'registerOpenAiProvider',
    id: openAiProviderId,
    sdkDir: 'node_modules/openai/',
    register: registerOpenAiProvider,
  },
  sentKey: (request) => String(request?.headers.authorization ?? ''),
});

describe('OpenAiProvider with Azure-style URLs', () => {
  it('sends api-key and the api-version query for an Azure deployment URL', async () => {
    let seen: { url: string; headers: Headers } | undefined;
    const stub: typeof fetch = async (input, init) => {
      seen = { url: String(input), headers: new Headers(init?.headers) };
      return new Response(JSON.stringify({ error: { message: 'nope', type: 'invalid_request_error', code: '401' } }), {
        status: 401,
        headers: { 'content-type': 'application/json' },
      });
    };
    const provider = new OpenAiProvider({
      getSettings: () => ({
        baseUrl: 'https://my-res.openai.azure.com/openai/deployments/gpt4o?api-version=2024-10-21',
        model: 'gpt4o',
      }),
      getApiKey: async () => apiKey,
      fetch: stub,
    });
    const { error } = await collect(provider.chat(question));
    assert.equal(error?.kind, 'auth');
    assert.equal(seen?.url, 'https://my-res.openai.azure.com/openai/deployments/gpt4o/chat/completions?api-version=2024-10-21');
    assert.equal(seen?.headers.get('api-key'), apiKey);
    assert.ok(!(error?.message ?? '').includes('api-version'), 'the query is not shown');
  });
});
