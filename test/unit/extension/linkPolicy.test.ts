import * as assert from 'node:assert/strict';
import { followLink, judgeLink, localPlace, type LinkActions } from '../../../src/extension/linkPolicy';

describe('link policy (host side)', () => {
  it('opens https links to public hosts straight away', () => {
    assert.deepEqual(judgeLink('https://code.visualstudio.com/docs'), { kind: 'open', url: 'https://code.visualstudio.com/docs' });
    assert.deepEqual(judgeLink('https://8.8.8.8/'), { kind: 'open', url: 'https://8.8.8.8/' });
  });

  it('shows loopback, private, link-local, single-label and non-https links in full first', () => {
    const confirmed: Array<[string, RegExp]> = [
      ['http://127.0.0.1:8080/reset', /this computer/],
      ['https://127.0.0.1/', /this computer/],
      ['http://2130706433/', /this computer/], // 127.0.0.1 written as one number
      ['http://0x7f.1/', /this computer/],
      ['https://localhost:3000', /this computer/],
      ['https://app.localhost/', /this computer/],
      ['http://[::1]:9000/', /this computer/],
      ['http://[::ffff:127.0.0.1]/', /this computer/],
      ['https://0.0.0.0/', /this computer/],
      ['https://10.0.0.1/admin', /private/],
      ['https://172.20.1.1/', /private/],
      ['https://192.168.1.1/reboot', /private/],
      ['https://100.100.0.1/', /private/],
      ['https://[fd00::1]/', /private/],
      ['https://169.254.169.254/latest/meta-data', /link-local/],
      ['https://[fe80::1]/', /link-local/],
      ['https://router/', /local network/],
      ['https://printer.local/', /local network/],
      ['http://example.com/', /not encrypted/],
      ['mailto:someone@example.com', /email/],
    ];
    for (const [url, reason] of confirmed) {
      const verdict = judgeLink(url);
      assert.equal(verdict.kind, 'confirm', url);
      if (verdict.kind === 'confirm') assert.match(verdict.reason, reason, url);
    }
    assert.equal(localPlace('172.32.0.1'), undefined, 'outside 172.16/12');
    assert.equal(localPlace('example.com'), undefined);
  });

  it('refuses anything but http, https and mailto', () => {
    for (const url of ['javascript:alert(1)', 'command:workbench.action.openSettings', 'file:///etc/passwd', 'vscode://x', 'not a url']) {
      assert.deepEqual(judgeLink(url), { kind: 'refuse' }, url);
    }
  });

  it('one click opens one target once, and only after Open when it asks', async () => {
    const calls: string[] = [];
    const actions = (answer: 'open' | 'copy' | undefined): LinkActions => ({
      confirm: async (url, reason) => {
        calls.push(`confirm ${url} (${reason})`);
        return answer;
      },
      open: async (url) => void calls.push(`open ${url}`),
      copy: async (text) => void calls.push(`copy ${text}`),
      refused: (raw) => void calls.push(`refused ${raw}`),
    });
    await followLink('https://example.com/a', actions('open'));
    assert.deepEqual(calls.splice(0), ['open https://example.com/a']);
    await followLink('http://127.0.0.1:8080/reset', actions('open'));
    assert.deepEqual(calls.splice(0), ['confirm http://127.0.0.1:8080/reset (It points to this computer)', 'open http://127.0.0.1:8080/reset']);
    await followLink('http://127.0.0.1:8080/reset', actions('copy'));
    assert.deepEqual(calls.splice(0), ['confirm http://127.0.0.1:8080/reset (It points to this computer)', 'copy http://127.0.0.1:8080/reset']);
    await followLink('http://192.168.0.1/', actions(undefined));
    assert.deepEqual(calls.splice(0), ['confirm http://192.168.0.1/ (It points to a private network address)']);
    await followLink('javascript:x', actions('open'));
    assert.deepEqual(calls.splice(0), ['refused javascript:x']);
  });
});
