// Certificates: which failures mean what (classification), which `ca` list remote requests get, and a real https
// fake server whose certificate is signed by a CA made here: answers once the CA is trusted the way NODE_EXTRA_CA_CERTS
// trusts it, and a clear "not trusted" error that says what to do when it is not.
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tls from 'node:tls';
import { OpenAiProvider } from '../../../src/providers/openai/openAiProvider';
import { AnthropicProvider } from '../../../src/providers/anthropic/anthropicProvider';
import { toProviderError } from '../../../src/providers/openai/openAiErrors';
import { classifyTlsCode, tlsFailure } from '../../../src/providers/shared/tlsErrors';
import { nodeCaStore, readPemFile, trustedCaFetch, trustedCaList, type CaStore } from '../../../src/providers/shared/trustedCaFetch';
import { collect } from '../../support/chatEvents';
import { startFakeOpenAiServer, type FakeOpenAiServer } from '../../support/fakeOpenAiServer';
import { startFakeAnthropicServer, type FakeAnthropicServer } from '../../support/fakeAnthropicServer';
import { makeTestCertificates, type TestCertificates } from '../../support/testCertificates';
import { contractQuestion, fastRetries } from './remoteProviderContract';
import { APIConnectionError } from 'openai';

describe('TLS failures told straight', () => {
  it('classifies the codes Node and OpenSSL use', () => {
    for (const code of ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY']) {
      assert.equal(classifyTlsCode(code), 'untrustedAuthority', code);
    }
    assert.equal(classifyTlsCode('CERT_HAS_EXPIRED'), 'expired');
    assert.equal(classifyTlsCode('CERT_NOT_YET_VALID'), 'expired');
    assert.equal(classifyTlsCode('ERR_TLS_CERT_ALTNAME_INVALID'), 'wrongName');
    assert.equal(classifyTlsCode('ERR_SSL_WRONG_VERSION_NUMBER'), 'notTls');
    assert.equal(classifyTlsCode('ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE'), 'other');
    for (const code of ['ECONNREFUSED', 'ENOTFOUND', 'UND_ERR_CONNECT_TIMEOUT', 'ECONNRESET']) assert.equal(classifyTlsCode(code), undefined, code);
  });

  it('says which host, why, and what to do, never "fetch failed"', () => {
    const untrusted = tlsFailure('SELF_SIGNED_CERT_IN_CHAIN', 'https://llm.corp.example/v1');
    assert.match(untrusted?.message ?? '', /certificate of llm\.corp\.example is not trusted.*SELF_SIGNED_CERT_IN_CHAIN/);
    assert.match(untrusted?.action ?? '', /NODE_EXTRA_CA_CERTS/);
    assert.match(untrusted?.action ?? '', /http\.systemCertificates/);
    assert.match(tlsFailure('CERT_HAS_EXPIRED', 'https://a.example')?.message ?? '', /out of date/);
    assert.match(tlsFailure('CERT_HAS_EXPIRED', 'https://a.example')?.action ?? '', /clock/);
    assert.match(tlsFailure('ERR_TLS_CERT_ALTNAME_INVALID', 'https://a.example')?.message ?? '', /another name/);
    assert.match(tlsFailure('ERR_SSL_WRONG_VERSION_NUMBER', 'https://127.0.0.1:8080/v1')?.action ?? '', /http:\/\//);
    assert.equal(tlsFailure('ECONNREFUSED', 'https://a.example'), undefined);
  });

  it('maps an SDK connection error whose cause chain ends in a certificate code', () => {
    const cause = Object.assign(new Error('unable to verify the first certificate'), { code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' });
    const err = toProviderError(new APIConnectionError({ cause: new TypeError('fetch failed', { cause }) }), { baseUrl: 'https://llm.corp.example/v1', model: 'm' });
    assert.equal(err.kind, 'network');
    assert.match(err.message, /llm\.corp\.example is not trusted/);
    assert.doesNotMatch(err.message, /fetch failed/);
  });
});

describe('the certificate authorities remote requests trust', () => {
  const store: CaStore = { bundled: ['B1', 'B2'], extra: ['X1'], system: ['S1', 'B1'] };

  it('leaves the default alone when nothing extra was added', () => {
    assert.equal(trustedCaList({ ...store, extra: [] }, true), undefined);
  });

  it('adds NODE_EXTRA_CA_CERTS to the bundled roots, and the OS store while http.systemCertificates is on', () => {
    assert.deepEqual(trustedCaList(store, true), ['B1', 'B2', 'X1', 'S1']);
    assert.deepEqual(trustedCaList(store, false), ['B1', 'B2', 'X1']);
  });

  it('keeps the default where the OS store is wanted but this Node cannot read it (an explicit list would drop it)', () => {
    assert.equal(trustedCaList({ bundled: ['B1'], extra: ['X1'] }, true), undefined);
    assert.deepEqual(trustedCaList({ bundled: ['B1'], extra: ['X1'] }, false), ['B1', 'X1']);
  });

  it('reads the certificates of a PEM file, and none from a missing one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hearth-pem-'));
    try {
      const pem = `-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n`;
      writeFileSync(join(dir, 'two.pem'), `${pem}junk\n${pem.replace('AAAA', 'BBBB')}`);
      assert.equal(readPemFile(join(dir, 'two.pem')).length, 2);
      assert.deepEqual(readPemFile(join(dir, 'missing.pem')), []);
      assert.deepEqual(readPemFile(undefined), []);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("reads this Node's store", () => {
    const here = nodeCaStore({});
    assert.ok(here.bundled.length > 50, `bundled roots: ${here.bundled.length}`);
  });
});

describe('a remote API behind a certificate from a CA made here', function () {
  this.timeout(60_000);
  let dir: string;
  let certs: TestCertificates;
  let openAi: FakeOpenAiServer;
  let anthropic: FakeAnthropicServer;
  const apiKey = 'sk-tls-test-0123456789';
  /** Node's bundled roots plus the test CA, as NODE_EXTRA_CA_CERTS=<its file> would make them. */
  const trusting = (): CaStore => ({ bundled: tls.rootCertificates, extra: [certs.caPem], system: [] });
  const notTrusting = (): CaStore => ({ bundled: tls.rootCertificates, extra: [], system: [] });

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hearth-tls-'));
    certs = makeTestCertificates(dir, 'Hearth unit test CA');
    openAi = await startFakeOpenAiServer({ apiKey, tls: certs.server });
    anthropic = await startFakeAnthropicServer({ apiKey, tls: certs.server });
  });
  after(async () => {
    await openAi?.close();
    await anthropic?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const openAiProvider = (store: () => CaStore) =>
    new OpenAiProvider({
      getSettings: () => ({ baseUrl: openAi.baseUrl, model: 'fake-model' }),
      getApiKey: async () => apiKey,
      retry: fastRetries,
      fetch: trustedCaFetch({ useSystemCertificates: () => false, store }),
    });

  it('answers over https once the CA is trusted (OpenAI-compatible)', async () => {
    assert.match(openAi.baseUrl, /^https:/);
    const { text, error } = await collect(openAiProvider(trusting).chat(contractQuestion));
    assert.equal(error, undefined, error?.message);
    assert.match(text, /fake/);
  });

  it('answers over https once the CA is trusted (Anthropic)', async () => {
    const provider = new AnthropicProvider({
      getSettings: () => ({ baseUrl: anthropic.baseUrl, model: 'claude-fake-1', maxTokens: 64 }),
      getApiKey: async () => apiKey,
      retry: fastRetries,
      fetch: trustedCaFetch({ useSystemCertificates: () => false, store: trusting }),
    });
    const { text, error } = await collect(provider.chat(contractQuestion));
    assert.equal(error, undefined, error?.message);
    assert.ok(text.length > 0);
  });

  it('says the certificate is not trusted, and what to do, when the CA is not', async () => {
    const { error } = await collect(openAiProvider(notTrusting).chat(contractQuestion));
    assert.equal(error?.kind, 'network');
    assert.match(error?.message ?? '', /certificate of 127\.0\.0\.1:\d+ is not trusted/);
    assert.match(error?.action ?? '', /NODE_EXTRA_CA_CERTS/);
  });

  it("keeps a caller's own dispatcher", async () => {
    const seen: unknown[] = [];
    const fetch = trustedCaFetch({ useSystemCertificates: () => false, store: trusting, fetch: async (_input, init) => (seen.push(init), new Response('ok')) });
    const own = { dispatch: () => true };
    await fetch('https://example.test/', { dispatcher: own } as RequestInit);
    await fetch('https://example.test/');
    assert.equal((seen[0] as { dispatcher: unknown }).dispatcher, own);
    assert.ok((seen[1] as { dispatcher?: unknown }).dispatcher, 'an agent with the trusted CA list');
  });
});
