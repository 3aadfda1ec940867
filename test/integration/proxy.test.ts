// Remote requests go through the proxy VS Code is configured with (`http.proxy`): the endpoint's host exists
// only behind the test proxy, so an answer can only arrive through it.
import * as assert from 'node:assert/strict';
import { startFakeOpenAiServer, type FakeOpenAiServer } from '../support/fakeOpenAiServer';
import { startForwardProxy, type ForwardProxy } from '../support/forwardProxy';
import { type ChatSession, openChat, printTranscriptIfFailed, startTurn } from './support/hearth';

describe('remote requests through the HTTP proxy VS Code is configured with', function () {
  this.timeout(60_000);
  let server: FakeOpenAiServer;
  let proxy: ForwardProxy;
  let chat: ChatSession | undefined;

  before(async () => {
    server = await startFakeOpenAiServer();
    proxy = await startForwardProxy({ 'api.behind-proxy.test': `127.0.0.1:${new URL(server.baseUrl).port}` });
    chat = await openChat({
      'http.proxy': proxy.url,
      // A request that never reaches the server fails in seconds, not at the default limit.
      'hearth.remote.firstTokenTimeoutSeconds': 20,
      'hearth.provider': 'endpoint:proxied',
      'hearth.endpoints': [{ id: 'proxied', baseUrl: 'http://api.behind-proxy.test/v1', model: 'fake-model' }],
    });
  });

  afterEach(function () {
    printTranscriptIfFailed(this.currentTest, chat?.transcript);
  });

  after(async () => {
    await chat?.close();
    await proxy?.close();
    await server?.close();
  });

  it('reaches a host that only the proxy knows, and the proxy saw the chat request', async () => {
    assert.ok(chat);
    const turn = await startTurn(chat.transcript, 'Hello through the proxy');
    const done = await turn.done;
    assert.equal(done.status, 'complete', JSON.stringify(done));
    assert.match(turn.text(), /Hello through the proxy/);
    assert.ok(
      proxy.requests.some((r) => (r.method === 'POST' && r.url === 'http://api.behind-proxy.test/v1/chat/completions') || (r.method === 'CONNECT' && r.url === 'api.behind-proxy.test:80')),
      `the proxy carried the chat request: ${JSON.stringify(proxy.requests)}`,
    );
  });
});
