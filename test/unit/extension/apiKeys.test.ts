// Keys in SecretStorage are bound to an origin: stored, found and cleared per origin, never stored for plain
// http to another computer, and a key saved before binding moves to the origin of the user's own settings.
import * as assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import { ApiKeys } from '../../../src/extension/apiKeys';

/** SecretStorage as VS Code offers it, in memory. */
class MemorySecrets implements Pick<vscode.SecretStorage, 'get' | 'store' | 'delete'> {
  readonly values = new Map<string, string>();
  async get(key: string) {
    return this.values.get(key);
  }
  async store(key: string, value: string) {
    this.values.set(key, value);
  }
  async delete(key: string) {
    this.values.delete(key);
  }
}

function keysWith(secrets: MemorySecrets, userUrl: string | undefined = 'https://api.openai.com/v1'): ApiKeys {
  return new ApiKeys(secrets as unknown as vscode.SecretStorage, () => userUrl);
}

describe('ApiKeys', () => {
  it('finds a key only at the origin it was stored for', async () => {
    const keys = keysWith(new MemorySecrets());
    await keys.set('openai', 'https://api.deepseek.com/v1', 'sk-deepseek');
    assert.equal(await keys.get('openai', 'https://api.deepseek.com/chat/completions'), 'sk-deepseek', 'any path of the same origin');
    assert.equal(await keys.get('openai', 'https://api.deepseek.com.evil.example/v1'), undefined);
    assert.equal(await keys.get('openai', 'http://api.deepseek.com/v1'), undefined, 'not over plain http');
    assert.equal(await keys.get('openai', 'https://api.deepseek.com:8443/v1'), undefined, 'not on another port');
    assert.equal(await keys.get('anthropic', 'https://api.deepseek.com/v1'), undefined, 'not for another provider');
    await keys.clear('openai', 'https://api.deepseek.com');
    assert.equal(await keys.get('openai', 'https://api.deepseek.com/v1'), undefined);
  });

  it('refuses to store a key for plain http to another computer, and stores nothing', async () => {
    const secrets = new MemorySecrets();
    const keys = keysWith(secrets);
    await assert.rejects(keys.set('openai', 'http://192.168.1.20:8000/v1', 'sk-lan'), /only over https/);
    assert.deepEqual([...secrets.values.values()], []);
    await keys.set('openai', 'http://127.0.0.1:11434/v1', 'sk-loopback');
    assert.equal(await keys.get('openai', 'http://127.0.0.1:11434'), 'sk-loopback', 'plain http to this computer is fine');
  });

  it("moves a key saved without an origin to the origin of the user's settings", async () => {
    const secrets = new MemorySecrets();
    secrets.values.set('hearth.apiKey.openai', 'sk-legacy');
    const keys = keysWith(secrets, 'https://api.openai.com/v1');
    assert.equal(await keys.get('openai', 'https://evil.example/v1'), undefined, 'not to any other origin');
    assert.equal(await keys.get('openai', 'https://api.openai.com/v1'), 'sk-legacy');
    assert.equal(secrets.values.has('hearth.apiKey.openai'), false, 'the unbound copy is gone');
  });

  it('drops a key saved without an origin when the user settings point at plain http elsewhere', async () => {
    const secrets = new MemorySecrets();
    secrets.values.set('hearth.apiKey.openai', 'sk-legacy');
    const keys = keysWith(secrets, 'http://10.0.0.8/v1');
    assert.equal(await keys.get('openai', 'https://api.openai.com/v1'), undefined);
    assert.deepEqual([...secrets.values.values()], []);
  });
});
