// The Anthropic provider against a local server that speaks the real Messages streaming wire format.
import * as assert from 'node:assert/strict';
import { AnthropicProvider, type AnthropicSettings } from '../../../src/providers/anthropic/anthropicProvider';
import type { ProviderError } from '../../../src/providers/types';
import { startFakeAnthropicServer, type FakeAnthropicServer } from '../../support/fakeAnthropicServer';
import { collect, finishOf } from '../../support/chatEvents';
import { anthropicProviderId, registerAnthropicProvider } from '../../../src/providers/anthropic/registerAnthropicProvider';
import { contractQuestion, describeRemoteProviderContract, fastRetries } from './remoteProviderContract';

const apiKey = 'sk-ant-test-SECRET-0123456789';

const question = contractQuestion;

describe('AnthropicProvider', () => {
  let server: FakeAnthropicServer;
  let settings: AnthropicSettings;
  let provider: AnthropicProvider;

  beforeEach(async () => {
    server = await startFakeAnthropicServer({ apiKey });
    settings = { baseUrl: server.baseUrl, model: 'claude-fake-1', maxTokens: 4096 };
    provider = new AnthropicProvider({ getSettings: () => settings, getApiKey: async () => apiKey, retry: fastRetries });
  });
  afterEach(async () => {
    await server.close();
  });

  it('sends the system prompt as `system`, max_tokens, stream:true and the key', async () => {
    await collect(provider.chat({ ...question, model: 'claude-other', temperature: 0.3 }));
    const [request] = await server.waitForRequests(1);
    assert.equal(request?.path, '/v1/messages');
    const auth = request?.headers['x-api-key'] ?? request?.headers.authorization;
    assert.match(String(auth), new RegExp(apiKey));
    assert.deepEqual(request?.body, {
      model: 'claude-other',
      max_tokens: 4096,
      messages: [{ role: 'user', content: 'How do I reverse a list in Python?' }],
      stream: true,
      system: 'Be brief.',
      temperature: 0.3,
    });
  });

  it('merges consecutive same-role messages so the roles alternate as the API requires', async () => {
    const { error } = await collect(
      provider.chat({
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'First question' },
          { role: 'user', content: 'Second question' },
          { role: 'assistant', content: 'An answer' },
          { role: 'system', content: 'Use Python.' },
          { role: 'user', content: 'Third' },
        ],
      }),
    );
    assert.equal(error, undefined);
    const body = server.requests[0]?.body as { system?: string; messages?: unknown };
    assert.equal(body.system, 'Be brief.\n\nUse Python.');
    assert.deepEqual(body.messages, [
      { role: 'user', content: 'First question\n\nSecond question' },
      { role: 'assistant', content: 'An answer' },
      { role: 'user', content: 'Third' },
    ]);
  });

  it('streams thinking blocks as reasoning apart from the answer and counts cached input in the prompt tokens', async () => {
    server.setScenario({ kind: 'ok', chunks: ['Hel', 'lo'], thinkingChunks: ['Let me ', 'think...'], usage: { input_tokens: 5, output_tokens: 7, cache_read_input_tokens: 100 } });
    const { events, text, error } = await collect(provider.chat(question));
    assert.equal(error, undefined);
    assert.equal(text, 'Hello');
    assert.deepEqual(events.flatMap((e) => (e.type === 'reasoning' ? [e.text] : [])), ['Let me ', 'think...']);
    assert.ok(events.findIndex((e) => e.type === 'reasoning') < events.findIndex((e) => e.type === 'delta'), 'thinking comes first');
    // output_tokens includes the thinking; its share is estimated from the text: 15 of 20 characters.
    assert.deepEqual(events.find((e) => e.type === 'usage'), { type: 'usage', usage: { promptTokens: 105, completionTokens: 7, reasoningTokens: 5 } });
  });

  it("reports max_tokens as finish 'length' with a notice naming the setting", async () => {
    server.setScenario({ kind: 'ok', chunks: ['cut'], stopReason: 'max_tokens' });
    const { events } = await collect(provider.chat(question));
    assert.equal(finishOf(events), 'length');
    assert.ok(events.some((e) => e.type === 'notice' && /hearth\.anthropic\.maxTokens/.test(e.text)));
  });

  it('asks for a key, without any request, when none is set', async () => {
    const keyless = new AnthropicProvider({ getSettings: () => settings, getApiKey: async () => undefined });
    const { error } = await collect(keyless.chat(question));
    assert.equal(error?.kind, 'auth');
    assert.match(error?.action ?? '', /Set API Key/);
    assert.equal(server.requests.length, 0);
  });

  it('retries 529 overloaded before the first token, each retry announced, then says the server is overloaded', async () => {
    const retrying = new AnthropicProvider({ getSettings: () => settings, getApiKey: async () => apiKey, retry: { maxRetries: 2, baseDelayMs: 1, maxWaitMs: 20_000 } });
    server.setScenario({ kind: 'status', status: 529 });
    const { events, error } = await collect(retrying.chat(question));
    assert.equal(error?.kind, 'server');
    assert.equal(error?.status, 529);
    assert.match(error?.message ?? '', /overloaded/i);
    assert.equal(server.requests.length, 3, 'the first attempt and two retries');
    assert.deepEqual(events.filter((e) => e.type === 'notice').map((e) => e.type === 'notice' && e.text), [
      'The server answered 529; retrying in 1 s (1 of 2).',
      'The server answered 529; retrying in 1 s (2 of 2).',
    ]);

    server.setScenario({ kind: 'ok' });
    server.queueScenarios({ kind: 'status', status: 529 });
    const recovered = await collect(retrying.chat(question));
    assert.equal(recovered.error, undefined, 'an overload that passes is invisible but for the notice');
    assert.match(recovered.text, /fake/);
  });

  it('maps "prompt is too long" (400) to contextTooLong', async () => {
    server.setScenario({ kind: 'status', status: 400 });
    const { error } = await collect(provider.chat(question));
    assert.equal(error?.kind, 'contextTooLong');
    assert.match(error?.message ?? '', /prompt is too long/);
    assert.match(error?.action ?? '', /new conversation/);
  });

  it('maps another 400 to badRequest with the server explanation', async () => {
    server.setScenario({ kind: 'status', status: 400, message: 'temperature: range: 0..1' });
    const { error } = await collect(provider.chat(question));
    assert.equal(error?.kind, 'badRequest');
    assert.match(error?.message ?? '', /temperature: range/);
  });

  it('maps a non-JSON error page to server with a short excerpt and no HTML', async () => {
    server.setScenario({ kind: 'nonJson' });
    const { error } = await collect(provider.chat(question));
    assert.equal(error?.kind, 'server');
    assert.match(error?.message ?? '', /502 Bad Gateway/);
    assert.ok(!/[<>]/.test(error?.message ?? ''));
    assert.match(error?.action ?? '', /hearth\.anthropic\.baseUrl/);
  });

  it('keeps partial text and maps an in-stream overloaded error to server', async () => {
    server.setScenario({ kind: 'streamError', chunks: ['partial '] });
    const { text, error, events } = await collect(provider.chat(question));
    assert.equal(text, 'partial ');
    assert.equal(error?.kind, 'server');
    assert.match(error?.message ?? '', /overloaded/i);
    assert.equal(events.some((e) => e.type === 'finish'), false);
  });

  it('rejects a malformed base URL and a bad maxTokens with clear errors and no request', async () => {
    settings = { ...settings, baseUrl: 'api.anthropic.com' };
    const badUrl = await collect(provider.chat(question));
    assert.equal(badUrl.error?.kind, 'badRequest');
    assert.match(badUrl.error?.message ?? '', /hearth\.anthropic\.baseUrl/);
    settings = { ...settings, baseUrl: server.baseUrl, maxTokens: 0 };
    const badMax = await collect(provider.chat(question));
    assert.equal(badMax.error?.kind, 'badRequest');
    assert.match(badMax.error?.message ?? '', /hearth\.anthropic\.maxTokens/);
    assert.equal(server.requests.length, 0);
  });

  it('accepts a base URL that ends in /v1', async () => {
    settings = { ...settings, baseUrl: `${server.baseUrl}/v1/` };
    const { error } = await collect(provider.chat(question));
    assert.equal(error, undefined);
    assert.equal(server.requests[0]?.path, '/v1/messages');
  });

  it('lists models with names and context windows, and says why when it cannot', async () => {
    assert.deepEqual(await provider.models(), [
      { id: 'claude-fake-1', label: 'Claude claude-fake-1', contextWindow: 200000 },
      { id: 'claude-fake-mini', label: 'Claude claude-fake-mini', contextWindow: 200000 },
    ]);
    const keyless = new AnthropicProvider({ getSettings: () => settings, getApiKey: async () => undefined });
    await assert.rejects(keyless.models(), (err: ProviderError) => err.kind === 'auth' && /No Anthropic API key is set/.test(err.message));
    server.setScenario({ kind: 'status', status: 401 });
    settings = { ...settings, baseUrl: 'http://127.0.0.1:1' };
    await assert.rejects(provider.models(), (err: ProviderError) => err.kind === 'network' && /Could not reach http:\/\/127\.0\.0\.1:1/.test(err.message));
  });

});

describeRemoteProviderContract('AnthropicProvider', {
  namespace: 'anthropic',
  apiKey,
  wrongKey: 'sk-ant-wrong-KEY-9876543210',
  chatPath: '/v1/messages',
  model: 'claude-fake-1',
  start: (options) => startFakeAnthropicServer(options),
  reasoningScenario: (thoughts, chunks) => ({ kind: 'ok', thinkingChunks: thoughts, chunks }),
  settings: (baseUrl): AnthropicSettings => ({ baseUrl, model: 'claude-fake-1', maxTokens: 4096 }),
  create: (options) => new AnthropicProvider(options),
  registration: {
    module: 'src/providers/anthropic/registerAnthropicProvider.ts',
    fn: 'registerAnthropicProvider',
    id: anthropicProviderId,
    sdkDir: 'node_modules/@anthropic-ai/sdk/',
    register: registerAnthropicProvider,
  },
  sentKey: (request) => String(request?.headers['x-api-key'] ?? request?.headers.authorization ?? ''),
});
