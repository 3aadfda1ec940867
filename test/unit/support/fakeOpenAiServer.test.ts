// The fake server must speak OpenAI's wire format, or every test built on it proves nothing.
import * as assert from 'node:assert/strict';
import { defaultAnswerText, startFakeOpenAiServer, type FakeOpenAiServer } from '../../support/fakeOpenAiServer';

interface SseResult {
  status: number;
  contentType: string | null;
  events: string[];
}

async function postChat(server: FakeOpenAiServer, body: unknown, headers: Record<string, string> = {}): Promise<SseResult> {
  const res = await fetch(`${server.baseUrl}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  const events = text
    .split('\n\n')
    .filter((block) => block.startsWith('data: '))
    .map((block) => block.slice('data: '.length));
  return { status: res.status, contentType: res.headers.get('content-type'), events };
}

const chatBody = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  model: 'fake-model',
  stream: true,
  messages: [{ role: 'user', content: 'Explain closures in JS' }],
  ...extra,
});

describe('fake OpenAI server', () => {
  let server: FakeOpenAiServer;
  beforeEach(async () => {
    server = await startFakeOpenAiServer();
  });
  afterEach(async () => {
    await server.close();
  });

  it('streams a role chunk, content deltas, a finish chunk, a usage chunk and [DONE]', async () => {
    const { status, contentType, events } = await postChat(server, chatBody({ stream_options: { include_usage: true } }));
    assert.equal(status, 200);
    assert.match(contentType ?? '', /^text\/event-stream/);
    assert.equal(events.at(-1), '[DONE]');
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e) as {
      object: string;
      choices: Array<{ delta: { role?: string; content?: string }; finish_reason: string | null }>;
      usage?: { prompt_tokens: number; completion_tokens: number; total_tokens: number } | null;
    });
    assert.ok(chunks.every((c) => c.object === 'chat.completion.chunk'));
    assert.equal(chunks[0]?.choices[0]?.delta.role, 'assistant');
    const text = chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');
    assert.equal(text, defaultAnswerText('Explain closures in JS'));
    assert.equal(chunks.at(-2)?.choices[0]?.finish_reason, 'stop');
    const usageChunk = chunks.at(-1);
    assert.deepEqual(usageChunk?.choices, []);
    assert.ok((usageChunk?.usage?.completion_tokens ?? 0) > 0);
  });

  it('omits usage unless stream_options.include_usage is set', async () => {
    const { events } = await postChat(server, chatBody());
    const parsed = events.slice(0, -1).map((e) => JSON.parse(e) as { usage?: unknown; choices: unknown[] });
    assert.ok(parsed.every((c) => c.usage === undefined && c.choices.length === 1));
  });

  it('records requests and resolves waitForRequests', async () => {
    const waiting = server.waitForRequests(2);
    await postChat(server, chatBody());
    await postChat(server, chatBody());
    const seen = await waiting;
    assert.equal(seen.length, 2);
    assert.equal(seen[0]?.path, '/v1/chat/completions');
    assert.deepEqual((seen[0]?.body as { model: string }).model, 'fake-model');
  });

  it('lists models', async () => {
    const res = await fetch(`${server.baseUrl}/models`);
    const body = (await res.json()) as { data: Array<{ id: string }> };
    assert.deepEqual(body.data.map((m) => m.id), ['fake-model', 'fake-model-mini']);
  });

  it('answers a status scenario with an OpenAI error body and retry-after', async () => {
    server.setScenario({ kind: 'status', status: 429, retryAfter: 7 });
    const res = await fetch(`${server.baseUrl}/chat/completions`, { method: 'POST', body: JSON.stringify(chatBody()) });
    assert.equal(res.status, 429);
    assert.equal(res.headers.get('retry-after'), '7');
    const body = (await res.json()) as { error: { message: string; type: string; code: string } };
    assert.equal(body.error.code, 'rate_limit_exceeded');
  });

  it('rejects a wrong key with 401 when apiKey is set', async () => {
    const keyed = await startFakeOpenAiServer({ apiKey: 'sk-right' });
    try {
      assert.equal((await postChat(keyed, chatBody(), { authorization: 'Bearer sk-wrong' })).status, 401);
      assert.equal((await postChat(keyed, chatBody(), { authorization: 'Bearer sk-right' })).status, 200);
    } finally {
      await keyed.close();
    }
  });

  it('reports a client that disconnects from a slow stream', async () => {
    server.setScenario({ kind: 'slow', intervalMs: 5 });
    const controller = new AbortController();
    const res = await fetch(`${server.baseUrl}/chat/completions`, {
      method: 'POST',
      body: JSON.stringify(chatBody()),
      signal: controller.signal,
    });
    const reader = res.body?.getReader();
    assert.ok(reader);
    await reader.read();
    const disconnect = server.waitForDisconnect();
    controller.abort();
    const request = await disconnect;
    assert.equal(request.clientDisconnected, true);
  });

  it('drops the connection after partial chunks', async () => {
    server.setScenario({ kind: 'drop', chunks: ['a ', 'b '] });
    const res = await fetch(`${server.baseUrl}/chat/completions`, { method: 'POST', body: JSON.stringify(chatBody()) });
    await assert.rejects(res.text());
  });
});
