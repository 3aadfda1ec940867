// Error mapping for cases the fake server cannot easily produce: TLS, timeouts, in-stream errors, odd bodies.
import * as assert from 'node:assert/strict';
import { APIConnectionError, APIConnectionTimeoutError, APIError } from 'openai';
import { displayUrl, redact, toProviderError, toStreamError } from '../../../src/providers/openai/openAiErrors';
import { parseRetryAfterMs } from '../../../src/providers/shared/retryAfter';

const ctx = { baseUrl: 'https://user:pw@api.example.com/v1?key=abc', model: 'm1', apiKey: 'sk-abcdef123456' };

describe('OpenAI error mapping', () => {
  it('explains an untrusted TLS certificate', () => {
    const cause = Object.assign(new Error('self-signed certificate in certificate chain'), { code: 'SELF_SIGNED_CERT_IN_CHAIN' });
    const err = toProviderError(new APIConnectionError({ cause: new TypeError('fetch failed', { cause }) }), ctx);
    assert.equal(err.kind, 'network');
    assert.match(err.message, /SELF_SIGNED_CERT_IN_CHAIN/);
    assert.match(err.action ?? '', /certificate/);
  });

  it('maps a timeout to network naming the URL without credentials or query', () => {
    const err = toProviderError(new APIConnectionTimeoutError(), ctx);
    assert.equal(err.kind, 'network');
    assert.match(err.message, /timed out/);
    assert.ok(!/user|pw|key=abc/.test(`${err.message} ${err.action}`), err.message);
  });

  it("reads Ollama's string error and maps an in-stream error event", () => {
    const ollama = toProviderError(new APIError(404, "model 'llama9' not found", undefined, new Headers()), ctx);
    assert.equal(ollama.kind, 'badModel');
    assert.match(ollama.message, /model 'llama9' not found/);
    const inStream = toStreamError(new APIError(undefined, { message: 'overloaded', type: 'server_error' }, undefined, undefined), ctx);
    assert.equal(inStream.kind, 'server');
    assert.match(inStream.message, /overloaded/);
  });

  it('maps context_length_exceeded by code and insufficient_quota to a billing hint', () => {
    const byCode = toProviderError(new APIError(400, { message: 'too big', code: 'context_length_exceeded' }, undefined, new Headers()), ctx);
    assert.equal(byCode.kind, 'contextTooLong');
    const quota = toProviderError(new APIError(429, { message: 'You exceeded your current quota', code: 'insufficient_quota' }, undefined, new Headers()), ctx);
    assert.equal(quota.kind, 'rateLimit');
    assert.match(quota.action ?? '', /billing/);
  });

  it('treats a stream that breaks with an unknown error as a closed connection', () => {
    const err = toStreamError(new TypeError('terminated'), ctx);
    assert.equal(err.kind, 'network');
    assert.match(err.message, /closed before the answer finished/);
  });

  it('redacts the key and bearer tokens', () => {
    assert.equal(redact('key sk-abcdef123456 and Authorization: Bearer xyz.123', ctx.apiKey), 'key [redacted] and Authorization: Bearer [redacted]');
    assert.equal(displayUrl(ctx.baseUrl), 'https://api.example.com/v1');
  });

  it('parses retry-after in ms, seconds and HTTP dates', () => {
    assert.equal(parseRetryAfterMs(new Headers({ 'retry-after-ms': '1500' })), 1500);
    assert.equal(parseRetryAfterMs(new Headers({ 'retry-after': '3' })), 3000);
    const now = Date.parse('2025-01-01T00:00:00Z');
    assert.equal(parseRetryAfterMs(new Headers({ 'retry-after': 'Wed, 01 Jan 2025 00:00:05 GMT' }), now), 5000);
    assert.equal(parseRetryAfterMs(new Headers()), undefined);
  });
});
