// Named endpoints: presets resolve to a base URL, API and quirks; bad entries are reported, not dropped in
// silence; context windows come from where each server says them; a remote prompt keeps inside its window.
import * as assert from 'node:assert/strict';
import { endpointPresets, resolveEndpoints } from '../../../src/providers/endpointPresets';
import { discoverContextWindow } from '../../../src/providers/openai/contextWindow';
import { OpenAiProvider } from '../../../src/providers/openai/openAiProvider';
import { answerReserve, estimateTokens, fitRemotePrompt } from '../../../src/providers/shared/remoteBudget';
import type { ChatMessage } from '../../../src/protocol/chat';
import type { ProviderError } from '../../../src/providers/types';
import { collect } from '../../support/chatEvents';
import { startFakeOpenAiServer, type FakeOpenAiServer } from '../../support/fakeOpenAiServer';

const fetchImpl = (input: string | URL | Request, init?: RequestInit) => globalThis.fetch(input, init);

describe('endpoint presets', () => {
  it('covers every service the panel offers, with https for remote ones and loopback for local servers', () => {
    const ids = endpointPresets.map((p) => p.id);
    for (const id of ['openai', 'azure-openai', 'anthropic', 'gemini', 'deepseek', 'dashscope', 'moonshot', 'zhipu', 'qianfan', 'ark', 'minimax', 'siliconflow', 'mistral', 'groq', 'openrouter', 'together', 'ollama', 'lmstudio', 'vllm', 'llama-server']) {
      assert.ok(ids.includes(id), `a preset for ${id}`);
    }
    assert.equal(new Set(ids).size, ids.length, 'ids are unique');
    for (const p of endpointPresets) {
      if (!p.baseUrl) continue;
      const url = new URL(p.baseUrl);
      if (p.local) assert.equal(url.hostname, '127.0.0.1', `${p.id} runs on this computer`);
      else assert.equal(url.protocol, 'https:', `${p.id} is reached over https`);
      assert.equal(p.keyRequired, !p.local, `${p.id}: remote services want a key, local servers do not`);
    }
  });

  it('resolves entries against their preset and lets the user override any field', () => {
    const { endpoints, problems } = resolveEndpoints([
      { id: 'ds', preset: 'deepseek' },
      { id: 'box', preset: 'vllm', baseUrl: 'https://gpu-box.example/v1', model: 'qwen', contextWindow: 32768, label: 'GPU box' },
      { id: 'own', baseUrl: 'https://llm.example.com/v1', inputPrice: 0.5, outputPrice: 1.5, currency: 'CNY' },
    ]);
    assert.deepEqual(problems, []);
    const [ds, box, own] = endpoints;
    assert.equal(ds?.baseUrl, 'https://api.deepseek.com/v1');
    assert.equal(ds?.label, 'DeepSeek');
    assert.equal(ds?.model, 'deepseek-chat');
    assert.equal(ds?.price, undefined, 'no price is made up for a remote service');
    assert.equal(box?.baseUrl, 'https://gpu-box.example/v1');
    assert.equal(box?.contextWindow, 32768);
    assert.deepEqual(box?.price, { input: 0, output: 0, currency: 'USD' }, 'a local server preset costs nothing per token');
    assert.deepEqual(own?.price, { input: 0.5, output: 1.5, currency: 'CNY' });
    assert.equal(own?.api, 'openai');
  });

  it('reports each bad entry with what is wrong, and keeps the good ones', () => {
    const { endpoints, problems } = resolveEndpoints([
      { id: 'ok', preset: 'groq' },
      { id: 'azure', preset: 'azure-openai' },
      { id: 'typo', preset: 'deepsek' },
      { id: 'ok', preset: 'mistral' },
      { preset: 'openai' },
      { id: 'extra', preset: 'openai', apiKey: 'sk-do-not-put-keys-here' },
    ]);
    assert.deepEqual(endpoints.map((e) => e.id), ['ok']);
    assert.deepEqual(problems.map((p) => p.index), [1, 2, 3, 4, 5]);
    assert.match(problems[0]?.message ?? '', /needs a baseUrl.*Azure OpenAI/);
    assert.match(problems[1]?.message ?? '', /unknown preset "deepsek"/);
    assert.match(problems[2]?.message ?? '', /used twice/);
    assert.match(problems[4]?.message ?? '', /apiKey/, 'a key in settings is refused, not silently used');
    assert.deepEqual(resolveEndpoints({ id: 'x' }).problems.map((p) => p.index), [-1]);
  });
});

describe('remote context budget', () => {
  const m = (role: ChatMessage['role'], words: number): ChatMessage => ({ role, content: 'word '.repeat(words) });

  it('estimates CJK text as about a token per character', () => {
    assert.ok(estimateTokens({ role: 'user', content: '你好世界你好世界你好世界' }) >= 12);
    assert.ok(estimateTokens({ role: 'user', content: 'hello world, hello world' }) < 12);
  });

  it('leaves out the oldest turns, whole, never the system prompt or the newest message', () => {
    const messages = [m('system', 10), m('user', 400), m('assistant', 400), m('user', 400), m('assistant', 400), m('user', 50)];
    const fitted = fitRemotePrompt(messages, 2000, 500);
    assert.deepEqual(fitted.messages.map((x) => x.role), ['system', 'user', 'assistant', 'user']);
    assert.equal(fitted.dropped, 2, 'one question with its answer');
    assert.ok(fitted.estimatedTokens <= 1500);
    assert.deepEqual(fitRemotePrompt(messages, 100_000, 500).messages, messages, 'nothing is dropped when it fits');
  });

  it('says what to do when even the newest message cannot fit', () => {
    assert.throws(() => fitRemotePrompt([m('system', 10), m('user', 5000)], 2000, 500), (err: ProviderError) => err.kind === 'contextTooLong' && /context window is 2000 tokens/.test(err.message));
    assert.equal(answerReserve(4096, 8192), 1024, 'never more than a quarter of a small window');
    assert.equal(answerReserve(200_000, 8192), 8192);
  });
});

describe('context windows as servers report them', () => {
  let server: FakeOpenAiServer;
  afterEach(async () => {
    await server?.close();
  });

  it("reads llama-server's /props", async () => {
    server = await startFakeOpenAiServer({ props: { default_generation_settings: { n_ctx: 8192 } } });
    assert.equal(await discoverContextWindow({ baseUrl: server.baseUrl, model: 'any', source: 'llama-server-props', headers: {}, fetch: fetchImpl }), 8192);
  });

  it("reads Ollama's num_ctx, else the model's trained length", async () => {
    server = await startFakeOpenAiServer({ ollamaShow: { parameters: 'stop "<|im_end|>"\nnum_ctx 16384', model_info: { 'qwen2.context_length': 32768 } } });
    assert.equal(await discoverContextWindow({ baseUrl: server.baseUrl, model: 'qwen2.5', source: 'ollama-show', headers: {}, fetch: fetchImpl }), 16384);
    await server.close();
    server = await startFakeOpenAiServer({ ollamaShow: { parameters: '', model_info: { 'qwen2.context_length': 32768 } } });
    assert.equal(await discoverContextWindow({ baseUrl: server.baseUrl, model: 'qwen2.5', source: 'ollama-show', headers: {}, fetch: fetchImpl }), 32768);
  });

  it('reads a /models entry that carries it (vLLM max_model_len, OpenRouter context_length), and knows when none does', async () => {
    server = await startFakeOpenAiServer({ modelFields: { max_model_len: 4096 } });
    assert.equal(await discoverContextWindow({ baseUrl: server.baseUrl, model: 'fake-model', source: 'models-list', headers: {}, fetch: fetchImpl }), 4096);
    assert.equal(await discoverContextWindow({ baseUrl: server.baseUrl, model: 'not-listed', source: 'models-list', headers: {}, fetch: fetchImpl }), undefined);
    await server.close();
    server = await startFakeOpenAiServer({ modelFields: { context_length: 131072 } });
    assert.equal(await discoverContextWindow({ baseUrl: server.baseUrl, model: 'fake-model', source: 'models-list', headers: {}, fetch: fetchImpl }), 131072);
  });

  it("fits a long conversation into the server's window, with a notice, and reports the window", async () => {
    server = await startFakeOpenAiServer({ props: { default_generation_settings: { n_ctx: 2048 } } });
    const provider = new OpenAiProvider({ getSettings: () => ({ baseUrl: server.baseUrl, model: 'fake-model', maxTokens: 256, contextSource: 'llama-server-props' }), getApiKey: async () => undefined });
    const history: ChatMessage[] = [{ role: 'system', content: 'Be brief.' }];
    for (let i = 0; i < 10; i++) history.push({ role: 'user', content: `question ${i} ${'x'.repeat(1200)}` }, { role: 'assistant', content: `answer ${i} ${'y'.repeat(1200)}` });
    history.push({ role: 'user', content: 'The newest question' });
    const { events, error } = await collect(provider.chat({ messages: history }));
    assert.equal(error, undefined);
    const notice = events.find((e) => e.type === 'notice');
    assert.match(notice?.type === 'notice' ? notice.text : '', /^Left out the \d+ oldest messages to fit fake-model's context window \(2,048 tokens\)\.$/);
    const sent = (await server.waitForRequests(2)).find((r) => r.path.endsWith('/chat/completions'))?.body as { messages: ChatMessage[] };
    assert.equal(sent.messages[0]?.content, 'Be brief.');
    assert.equal(sent.messages.at(-1)?.content, 'The newest question');
    assert.ok(sent.messages.length < history.length && sent.messages.length >= 3, `${sent.messages.length} messages sent`);
    assert.equal(await provider.contextWindow('fake-model'), 2048);
  });

  it("sends a preset's token-limit field: max_completion_tokens where the service wants it", async () => {
    server = await startFakeOpenAiServer();
    const [minimax, deepseek] = resolveEndpoints([
      { id: 'mm', preset: 'minimax', baseUrl: server.baseUrl, model: 'MiniMax-M2' },
      { id: 'ds', preset: 'deepseek', baseUrl: server.baseUrl },
    ]).endpoints;
    for (const endpoint of [minimax, deepseek]) {
      assert.ok(endpoint);
      const provider = new OpenAiProvider({
        getSettings: () => ({ baseUrl: endpoint.baseUrl, model: endpoint.model ?? '', maxTokens: 100, ...(endpoint.maxTokensField ? { maxTokensField: endpoint.maxTokensField } : {}) }),
        getApiKey: async () => undefined,
      });
      assert.equal((await collect(provider.chat({ messages: [{ role: 'user', content: 'hi' }] }))).error, undefined);
    }
    const bodies = server.requests.filter((r) => r.path.endsWith('/chat/completions')).map((r) => r.body as Record<string, unknown>);
    assert.equal(bodies[0]?.max_completion_tokens, 100);
    assert.equal(bodies[0]?.max_tokens, undefined);
    assert.equal(bodies[1]?.max_tokens, 100);
    assert.equal(bodies[1]?.model, 'deepseek-chat', "the preset's default model");
  });

  it('asks for a model when an endpoint has none, instead of sending an empty name', async () => {
    server = await startFakeOpenAiServer();
    const provider = new OpenAiProvider({ getSettings: () => ({ baseUrl: server.baseUrl, model: '' }), getApiKey: async () => undefined });
    const { error } = await collect(provider.chat({ messages: [{ role: 'user', content: 'hi' }] }));
    assert.equal(error?.kind, 'badModel');
    assert.match(error?.action ?? '', /model picker/);
    assert.deepEqual(server.requests, []);
  });
});
