// The fake Anthropic server itself: the wire format and request checks the provider tests rely on.
import * as assert from 'node:assert/strict';
import { startFakeAnthropicServer, type FakeAnthropicServer } from '../../support/fakeAnthropicServer';

const key = 'k-fake-1234';

function post(server: FakeAnthropicServer, body: unknown, apiKey = key): Promise<Response> {
  return fetch(`${server.baseUrl}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': apiKey, 'anthropic-version': '2023-06-01' },
    body: JSON.stringify(body),
  });
}

/** `event:` names in order, with each data's `type` (which must match the event name). */
function eventNames(sse: string): string[] {
  return sse
    .split('\n\n')
    .filter(Boolean)
    .map((block) => {
      const event = /^event: (.+)$/m.exec(block)?.[1] ?? '';
      const data = JSON.parse(/^data: (.+)$/m.exec(block)?.[1] ?? '{}') as { type?: string };
      assert.equal(data.type, event, `event ${event} carries type ${data.type}`);
      return event;
    });
}

const valid = { model: 'claude-fake-1', max_tokens: 16, stream: true, messages: [{ role: 'user', content: 'hi there' }] };

describe('fake Anthropic server', () => {
  let server: FakeAnthropicServer;
  beforeEach(async () => {
    server = await startFakeAnthropicServer({ apiKey: key });
  });
  afterEach(() => server.close());

  it('streams message_start, a text block with ping and deltas, message_delta and message_stop', async () => {
    server.setScenario({ kind: 'ok', chunks: ['a', 'b'] });
    const res = await post(server, valid);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /text\/event-stream/);
    assert.deepEqual(eventNames(await res.text()), [
      'message_start',
      'content_block_start',
      'ping',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
  });

  it('answers errors in the {type:"error", error:{type,message}} shape, with retry-after', async () => {
    server.setScenario({ kind: 'status', status: 429, retryAfter: 7 });
    const res = await post(server, valid);
    assert.equal(res.status, 429);
    assert.equal(res.headers.get('retry-after'), '7');
    const body = (await res.json()) as { type: string; error: { type: string; message: string } };
    assert.equal(body.type, 'error');
    assert.equal(body.error.type, 'rate_limit_error');
  });

  it('rejects a wrong key, a system role in messages, same-role neighbours and a missing max_tokens', async () => {
    assert.equal((await post(server, valid, 'nope')).status, 401);
    const bad = [
      { ...valid, messages: [{ role: 'system', content: 's' }, { role: 'user', content: 'u' }] },
      { ...valid, messages: [{ role: 'user', content: 'a' }, { role: 'user', content: 'b' }] },
      { ...valid, max_tokens: undefined },
    ];
    const answers = await Promise.all(bad.map(async (b) => {
      const res = await post(server, b);
      const body = (await res.json()) as { error: { type: string; message: string } };
      return [res.status, body.error.type];
    }));
    assert.deepEqual(answers, [[400, 'invalid_request_error'], [400, 'invalid_request_error'], [400, 'invalid_request_error']]);
  });

  it('reports a client that disconnects from a slow stream', async () => {
    server.setScenario({ kind: 'slow', intervalMs: 5 });
    const controller = new AbortController();
    const res = await fetch(`${server.baseUrl}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': key },
      body: JSON.stringify(valid),
      signal: controller.signal,
    });
    const reader = res.body?.getReader();
    await reader?.read();
    controller.abort();
    const dropped = await server.waitForDisconnect();
    assert.equal(dropped.clientDisconnected, true);
  });
});
