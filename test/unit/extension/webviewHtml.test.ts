import * as assert from 'node:assert/strict';
import { openableUrl } from '../../../src/extension/linkPolicy';
import { renderChatHtml } from '../../../src/extension/webviewHtml';

const parts = {
  cspSource: 'https://file+.vscode-resource.vscode-cdn.net',
  scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview.js',
  styleUris: ['https://file+.vscode-resource.vscode-cdn.net/ext/media/chat.css'],
};

function csp(html: string): Map<string, string> {
  const content = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1];
  assert.ok(content, 'the page declares a CSP');
  return new Map(content.split(';').map((d) => {
    const [name = '', ...values] = d.trim().split(/\s+/);
    return [name, values.join(' ')];
  }));
}

describe('chat webview HTML', () => {
  it('denies everything by default and allows scripts only with its nonce', () => {
    const html = renderChatHtml(parts);
    const policy = csp(html);
    assert.equal(policy.get('default-src'), "'none'");
    const nonce = /script-src 'nonce-([^']+)'/.exec(html)?.[1];
    assert.ok(nonce && nonce.length >= 16);
    assert.equal(policy.get('script-src'), `'nonce-${nonce}'`);
    const scripts = [...html.matchAll(/<script\b([^>]*)>/g)].map((m) => m[1] ?? '');
    assert.equal(scripts.length, 1);
    assert.ok(scripts.every((attrs) => attrs.includes(`nonce="${nonce}"`)));
  });

  it('loads styles, images and fonts only from the extension, and nothing remote', () => {
    const policy = csp(renderChatHtml(parts));
    assert.equal(policy.get('style-src'), parts.cspSource);
    assert.equal(policy.get('img-src'), `${parts.cspSource} data:`);
    assert.equal(policy.get('font-src'), parts.cspSource);
    assert.equal(policy.get('connect-src'), undefined, 'no fetch/XHR/WebSocket: default-src none applies');
    assert.ok(!/unsafe-(inline|eval)/.test(renderChatHtml(parts)));
  });

  it('has no inline event handlers or inline scripts', () => {
    const html = renderChatHtml(parts);
    assert.ok(!/\son[a-z]+=/i.test(html));
    assert.ok(!/<script[^>]*>[^<]+<\/script>/.test(html));
  });

  it('uses a fresh nonce for every render', () => {
    const nonceOf = (html: string) => /'nonce-([^']+)'/.exec(html)?.[1];
    assert.notEqual(nonceOf(renderChatHtml(parts)), nonceOf(renderChatHtml(parts)));
  });
});

describe('link policy', () => {
  it('opens only http, https and mailto', () => {
    assert.equal(openableUrl('https://example.com/a?b=1')?.hostname, 'example.com');
    assert.equal(openableUrl('http://localhost:8080')?.port, '8080');
    assert.equal(openableUrl('mailto:a@b.c')?.protocol, 'mailto:');
    for (const bad of ['javascript:alert(1)', 'JAVASCRIPT:alert(1)', 'data:text/html,<b>', 'command:foo', 'vscode://x', 'file:///etc/passwd', 'not a url', '']) {
      assert.equal(openableUrl(bad), undefined, bad);
    }
  });
});
