// A key is bound to the origin it was entered for: providers ask for the key of the origin a request goes to,
// so a base URL pointed elsewhere finds no key, and no key ever travels over plain http to another computer.
import * as assert from 'node:assert/strict';
import { AnthropicProvider } from '../../../src/providers/anthropic/anthropicProvider';
import { OpenAiProvider, type OpenAiSettings } from '../../../src/providers/openai/openAiProvider';
import { isLoopbackHost, keyAction, keyForRequest, keyOrigin, mayCarryKey } from '../../../src/providers/shared/keyOrigin';
import type { ProviderError } from '../../../src/providers/types';
import { collect } from '../../support/chatEvents';
import { startFakeAnthropicServer, type FakeAnthropicServer } from '../../support/fakeAnthropicServer';
import { startFakeOpenAiServer, type FakeOpenAiServer } from '../../support/fakeOpenAiServer';
import { contractQuestion } from './remoteProviderContract';

const key = 'sk-bound-to-one-origin-5e1c';

describe('key origins', () => {
  it('normalizes a base URL to its origin: scheme, lower-case host, non-default port', () => {
    assert.equal(keyOrigin('https://API.OpenAI.com:443/v1?api-version=1'), 'https://api.openai.com');
    assert.equal(keyOrigin('http://127.0.0.1:11434/v1'), 'http://127.0.0.1:11434');
    assert.equal(keyOrigin('https://user:pass@example.com:8443/x'), 'https://example.com:8443');
    assert.notEqual(keyOrigin('https://api.openai.com'), keyOrigin('http://api.openai.com'), 'the scheme is part of the origin');
    assert.throws(() => keyOrigin('api.openai.com/v1'), /not a URL/);
    assert.throws(() => keyOrigin('file:///etc/passwd'), /not an http/);
  });

  it('knows which hosts are this computer, and is not fooled by look-alike names', () => {
    for (const host of ['localhost', 'LOCALHOST', '127.0.0.1', '127.8.9.10', '[::1]', '::1', '::ffff:127.0.0.1']) {
      assert.equal(isLoopbackHost(host), true, host);
    }
    for (const host of ['localhost.evil.example', '127.0.0.1.nip.io', '10.0.0.1', '192.168.1.2', '0.0.0.0', 'example.com', '::2']) {
      assert.equal(isLoopbackHost(host), false, host);
    }
  });

  it('lets a key travel over https anywhere and over plain http only to this computer', () => {
    assert.equal(mayCarryKey('https://api.deepseek.com'), true);
    assert.equal(mayCarryKey('http://127.0.0.1:1234'), true);
    assert.equal(mayCarryKey('http://localhost:11434'), true);
    assert.equal(mayCarryKey('http://192.168.1.20:8000'), false);
    assert.equal(mayCarryKey('http://api.openai.com'), false);
  });

  it('asks for the key of the origin the request goes to, and never for a plain-http remote one', async () => {
    const asked: string[] = [];
    const lookup = async (origin: string) => {
      asked.push(origin);
      return origin === 'https://api.example.com' ? key : undefined;
    };
    assert.deepEqual(await keyForRequest('https://api.example.com/v1', lookup), { origin: 'https://api.example.com', apiKey: key });
    assert.deepEqual(await keyForRequest('https://other.example.com/v1', lookup), { origin: 'https://other.example.com', apiKey: undefined });
    assert.deepEqual(await keyForRequest('http://10.1.2.3:8000/v1', lookup), { origin: 'http://10.1.2.3:8000', apiKey: undefined });
    assert.deepEqual(asked, ['https://api.example.com', 'https://other.example.com'], 'a plain-http remote origin is never even looked up');
  });

  it('says which origin lacks a key, or why none is sent', () => {
    const setKey = "Run 'Hearth: Set API Key'.";
    assert.equal(keyAction({ apiKey: key, keyOrigin: 'https://a.example' }, setKey), setKey);
    assert.match(keyAction({ keyOrigin: 'https://b.example' }, setKey), /No API key is stored for https:\/\/b\.example.*enter one for https:\/\/b\.example/);
    assert.match(keyAction({ keyOrigin: 'http://10.0.0.5:8000' }, setKey), /only over https.*http:\/\/10\.0\.0\.5:8000/);
  });
});

describe('providers send a key only to its origin', () => {
  let home: FakeOpenAiServer;
  let elsewhere: FakeOpenAiServer;

  beforeEach(async () => {
    // Two servers on this computer: different ports are different origins.
    home = await startFakeOpenAiServer({ apiKey: key });
    elsewhere = await startFakeOpenAiServer({ apiKey: 'sk-the-other-server-wants-its-own' });
  });
  afterEach(async () => {
    await home.close();
    await elsewhere.close();
  });

  it('OpenAI-compatible: a base URL moved to another origin goes without the key, and the error names that origin', async () => {
    const keys = new Map([[keyOrigin(home.baseUrl), key]]);
    let settings: OpenAiSettings = { baseUrl: home.baseUrl, model: 'fake-model' };
    const provider = new OpenAiProvider({ getSettings: () => settings, getApiKey: async (origin) => keys.get(origin) });

    const atHome = await collect(provider.chat(contractQuestion));
    assert.equal(atHome.error, undefined);
    assert.equal((await home.waitForRequests(1))[0]?.headers.authorization, `Bearer ${key}`);

    settings = { ...settings, baseUrl: elsewhere.baseUrl };
    const away = await collect(provider.chat(contractQuestion));
    const [request] = await elsewhere.waitForRequests(1);
    assert.ok(!JSON.stringify(request?.headers).includes(key), `the other origin never sees the key: ${JSON.stringify(request?.headers)}`);
    assert.equal(away.error?.kind, 'auth');
    assert.match(away.error?.action ?? '', new RegExp(`No API key is stored for ${keyOrigin(elsewhere.baseUrl).replace(/[.]/g, '\\.')}`));

    await assert.rejects(provider.models(), (err: ProviderError) => err.kind === 'auth' && err.action?.includes(keyOrigin(elsewhere.baseUrl)) === true, 'the model list of the other origin needs its own key too');
    assert.ok(elsewhere.requests.every((r) => !JSON.stringify(r.headers).includes(key)));
  });
});

describe('Anthropic sends a key only to its origin', () => {
  let home: FakeAnthropicServer;
  let elsewhere: FakeAnthropicServer;

  beforeEach(async () => {
    home = await startFakeAnthropicServer({ apiKey: key });
    elsewhere = await startFakeAnthropicServer({ apiKey: key });
  });
  afterEach(async () => {
    await home.close();
    await elsewhere.close();
  });

  it('asks for a key for the new origin instead of sending the stored one there', async () => {
    const keys = new Map([[keyOrigin(home.baseUrl), key]]);
    let baseUrl = home.baseUrl;
    const provider = new AnthropicProvider({ getSettings: () => ({ baseUrl, model: 'claude-test', maxTokens: 64 }), getApiKey: async (origin) => keys.get(origin) });
    assert.equal((await collect(provider.chat(contractQuestion))).error, undefined);
    assert.ok(JSON.stringify((await home.waitForRequests(1))[0]?.headers).includes(key), 'its own origin gets the key');

    baseUrl = elsewhere.baseUrl;
    const away = await collect(provider.chat(contractQuestion));
    assert.equal(away.error?.kind, 'auth');
    assert.match(`${away.error?.message} ${away.error?.action}`, new RegExp(keyOrigin(elsewhere.baseUrl).replace(/[.]/g, '\\.')));
    assert.deepEqual(elsewhere.requests, [], 'nothing at all was sent to the other origin');
  });
});
