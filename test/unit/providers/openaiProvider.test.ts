// The OpenAI-compatible provider against a local server that speaks the real wire format.
import * as assert from 'node:assert/strict';
import { OpenAiProvider, type OpenAiSettings } from '../../../src/providers/openai/openAiProvider';
import { startFakeOpenAiServer, type FakeOpenAiServer } from '../../support/fakeOpenAiServer';
import { collect, finishOf } from '../../support/chatEvents';
import { openAiProviderId, registerOpenAiProvider } from '../../../src/providers/openai/registerOpenAiProvider';
import { contractQuestion, describeRemoteProviderContract } from './remoteProviderContract';

const apiKey = 'sk-test-SECRET-0123456789';

const question = contractQuestion;

describe('OpenAiProvider', () => {
  let server: FakeOpenAiServer;
  let settings: OpenAiSettings;
  let provider: OpenAiProvider;

  beforeEach(async () => {
    server = await startFakeOpenAiServer({ apiKey });
    settings = { baseUrl: server.baseUrl, model: 'fake-model' };
    provider = new OpenAiProvider({ getSettings: () => settings, getApiKey: async () => apiKey });
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

  it('tolerates servers without a role chunk or usage, and ignores reasoning_content', async () => {
    server.setScenario({ kind: 'ok', chunks: ['Hel', 'lo'], omitRoleChunk: true, usage: false, reasoningChunks: ['thinking...'] });
    const { events, text, error } = await collect(provider.chat(question));
    assert.equal(error, undefined);
    assert.equal(text, 'Hello');
    assert.equal(events.some((e) => e.type === 'usage'), false);
    assert.equal(finishOf(events), 'stop');
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

  it('maps 500 to server', async () => {
    server.setScenario({ kind: 'status', status: 500 });
    const { error } = await collect(provider.chat(question));
    assert.equal(error?.kind, 'server');
    assert.equal(error?.status, 500);
    assert.equal(server.requests.length, 1, 'no silent retries');
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
