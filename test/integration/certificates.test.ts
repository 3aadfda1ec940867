// Remote requests trust the certificate authorities the user trusts. The runner (scripts/runIntegration.ts) made two CAs
// at test time and started code-server with NODE_EXTRA_CA_CERTS naming one of them, as a user behind a company CA
// would; VS Code's own fetch leaves that variable out, so this fails unless Hearth adds it back. The other CA is
// trusted nowhere: the panel must say the certificate is not trusted and what to do, not "fetch failed".
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { startFakeOpenAiServer, type FakeOpenAiServer } from '../support/fakeOpenAiServer';
import { readTestCertificates } from '../support/testCertificates';
import { type ChatSession, is, openChat, printTranscriptIfFailed, startTurn } from './support/hearth';

describe('https endpoints with certificates from a CA the user trusts', function () {
  this.timeout(60_000);
  let trusted: FakeOpenAiServer | undefined;
  let untrusted: FakeOpenAiServer | undefined;
  let chat: ChatSession | undefined;

  before(async function () {
    const dir = process.env.HEARTH_TEST_TLS_DIR;
    if (!dir) {
      console.log('HEARTH_TEST_TLS_DIR is not set: the runner could not make test certificates (is openssl installed?).');
      this.skip();
    }
    trusted = await startFakeOpenAiServer({ tls: readTestCertificates(join(dir, 'trusted')).server });
    untrusted = await startFakeOpenAiServer({ tls: readTestCertificates(join(dir, 'untrusted')).server });
    chat = await openChat({
      'hearth.provider': 'endpoint:tls-trusted',
      'hearth.remote.firstTokenTimeoutSeconds': 20,
      'hearth.endpoints': [
        { id: 'tls-trusted', baseUrl: trusted.baseUrl, model: 'fake-model' },
        { id: 'tls-untrusted', baseUrl: untrusted.baseUrl, model: 'fake-model' },
      ],
    });
  });

  afterEach(function () {
    printTranscriptIfFailed(this.currentTest, chat?.transcript);
  });

  after(async () => {
    await chat?.close();
    await trusted?.close();
    await untrusted?.close();
  });

  it('answers over https from a server whose CA is in NODE_EXTRA_CA_CERTS', async () => {
    assert.ok(chat && trusted);
    assert.match(trusted.baseUrl, /^https:\/\//);
    const turn = await startTurn(chat.transcript, 'Hello over https');
    const done = await turn.done;
    assert.equal(done.status, 'complete', JSON.stringify(done));
    assert.match(turn.text(), /Hello over https/);
    assert.ok(trusted.requests.some((r) => r.path === '/v1/chat/completions'), 'the chat request reached the https server');
  });

  it('says the certificate is not trusted and what to do, for a CA nobody trusts', async () => {
    assert.ok(chat && untrusted);
    const picked = chat.transcript.waitFor(is('status', (m) => m.status.providerId === 'endpoint:tls-untrusted'), chat.transcript.messages.length);
    await chat.transcript.send({ type: 'selectProvider', providerId: 'endpoint:tls-untrusted' });
    await picked;
    const turn = await startTurn(chat.transcript, 'Hello, untrusted server');
    const done = await turn.done;
    assert.equal(done.status, 'error', JSON.stringify(done));
    assert.equal(done.error?.kind, 'network');
    const shown = `${done.error?.message ?? ''} ${done.error?.action ?? ''}`;
    assert.match(shown, /certificate of 127\.0\.0\.1:\d+ is not trusted/, shown);
    assert.match(shown, /NODE_EXTRA_CA_CERTS/, shown);
    assert.doesNotMatch(shown, /fetch failed/, shown);
    assert.equal(untrusted.requests.length, 0, 'no request got through the failed handshake');
  });
});
