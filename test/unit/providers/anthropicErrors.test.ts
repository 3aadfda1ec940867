// Anthropic error mapping for cases the fake server cannot easily produce, and the prompt shaping.
// (The lazy registration is part of the remote provider contract, run in anthropicProvider.test.ts.)
import * as assert from 'node:assert/strict';
import { APIConnectionError, APIConnectionTimeoutError, APIError } from '@anthropic-ai/sdk';
import { normalizeAnthropicBaseUrl } from '../../../src/providers/anthropic/anthropicClient';
import { displayUrl, redact, toAnthropicError, toAnthropicStreamError } from '../../../src/providers/anthropic/anthropicErrors';
import { toAnthropicPrompt } from '../../../src/providers/anthropic/anthropicMessages';

const ctx = { baseUrl: 'https://user:pw@proxy.example.com?key=abc', model: 'claude-x', apiKey: 'sk-ant-abcdef123456' };

function apiError(status: number | undefined, type: string, message: string, headers: Headers | undefined = new Headers()): APIError {
  return new APIError(status, { type: 'error', error: { type, message } }, undefined, headers);
}

describe('Anthropic error mapping', () => {
  it('explains an untrusted TLS certificate', () => {
    const cause = Object.assign(new Error('self-signed certificate in certificate chain'), { code: 'SELF_SIGNED_CERT_IN_CHAIN' });
    const err = toAnthropicError(new APIConnectionError({ cause: new TypeError('fetch failed', { cause }) }), ctx);
    assert.equal(err.kind, 'network');
    assert.match(err.message, /SELF_SIGNED_CERT_IN_CHAIN/);
    assert.match(err.action ?? '', /certificate/);
  });

  it('maps a timeout to network naming the URL without credentials or query', () => {
    const err = toAnthropicError(new APIConnectionTimeoutError(), ctx);
    assert.equal(err.kind, 'network');
    assert.match(err.message, /timed out/);
    assert.ok(!/user|pw|key=abc/.test(`${err.message} ${err.action}`), err.message);
  });

  it('maps in-stream error events (no status) by their type', () => {
    const kinds = ['overloaded_error', 'rate_limit_error', 'authentication_error', 'api_error', 'invalid_request_error'].map(
      (type) => toAnthropicStreamError(apiError(undefined, type, `some ${type}`, undefined), ctx).kind,
    );
    assert.deepEqual(kinds, ['server', 'rateLimit', 'auth', 'server', 'badRequest']);
  });

  it('maps 403 permission, 402 billing and 413 too large', () => {
    assert.equal(toAnthropicError(apiError(403, 'permission_error', 'no access'), ctx).kind, 'auth');
    const billing = toAnthropicError(apiError(402, 'billing_error', 'credit balance too low'), ctx);
    assert.equal(billing.kind, 'rateLimit');
    assert.match(billing.action ?? '', /credit/);
    assert.equal(toAnthropicError(apiError(413, 'request_too_large', 'Request exceeds the maximum size'), ctx).kind, 'contextTooLong');
  });

  it('treats a stream that breaks with an unknown error as a closed connection', () => {
    const err = toAnthropicStreamError(new TypeError('terminated'), ctx);
    assert.equal(err.kind, 'network');
    assert.match(err.message, /closed before the answer finished/);
  });

  it('redacts the key, bearer tokens and x-api-key values', () => {
    assert.equal(
      redact('key sk-ant-abcdef123456, Authorization: Bearer xyz.123, x-api-key: other', ctx.apiKey),
      'key [redacted], Authorization: Bearer [redacted], x-api-key: [redacted]',
    );
    assert.equal(displayUrl(ctx.baseUrl), 'https://proxy.example.com');
  });
});

describe('Anthropic prompt shaping', () => {
  it('moves system text to `system`, merges same-role neighbours and drops empty messages', () => {
    assert.deepEqual(
      toAnthropicPrompt([
        { role: 'system', content: 'S1' },
        { role: 'user', content: 'a' },
        { role: 'assistant', content: '' },
        { role: 'user', content: 'b' },
        { role: 'assistant', content: 'c' },
      ]),
      { system: 'S1', messages: [{ role: 'user', content: 'a\n\nb' }, { role: 'assistant', content: 'c' }] },
    );
    assert.deepEqual(toAnthropicPrompt([{ role: 'user', content: 'hi' }]), { messages: [{ role: 'user', content: 'hi' }] });
  });

  it('normalizes base URLs the SDK would double /v1 on', () => {
    assert.equal(normalizeAnthropicBaseUrl('https://api.anthropic.com/v1/'), 'https://api.anthropic.com');
    assert.equal(normalizeAnthropicBaseUrl('https://api.deepseek.com/anthropic'), 'https://api.deepseek.com/anthropic');
    assert.throws(() => normalizeAnthropicBaseUrl('ftp://x'), /must start with http/);
  });
});
