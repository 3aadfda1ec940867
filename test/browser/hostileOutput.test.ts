// Model output is untrusted: >100 hostile payloads streamed as answers must run no script,
// fetch nothing, and leave no handler, dangerous URL or active element in the DOM. It runs
// under the extension's strict CSP and again with no CSP, where the sanitizer stands alone.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HostToWebview } from '../../src/protocol/webviewMessages';
import { EVIL_ORIGIN, HOSTILE_PAYLOADS } from './fixtures/hostilePayloads';
import { bundleSnippet } from './harness/buildWebview';
import { init, streamedAnswer, userMessage } from './harness/hostMessages';
import { useWebview } from './harness/useWebview';

const monitorSource = readFileSync(join(__dirname, 'fixtures', 'domMonitor.js'), 'utf8');
const OWN_FILES = ['/webview.html', '/dist/webview.js', '/media/chat.css', '/codicons/codicon.css', '/codicons/codicon.ttf', '/fixtures/vscodeApiDouble.js'];

declare global {
  interface Window {
    __domViolations(): string[];
    __sanitize(html: string): DocumentFragment;
  }
}

/** Raw HTML as if markdown-it's escaping had failed: DOMPurify must stop it on its own. */
const RAW_HTML = [
  '<script>__pwned(1)</script>',
  '<img src="http://evil.example/x.png" onerror="__pwned(2)">',
  '<a href="javascript:__pwned(3)" onclick="__pwned(4)">x</a>',
  '<a href="data:text/html,<script>__pwned(5)</script>">x</a>',
  '<a href="vbscript:msgbox(1)">x</a>',
  '<a href="command:workbench.action.openSettings">x</a>',
  '<a href="/relative">x</a>',
  '<svg onload="__pwned(6)"><script>__pwned(7)</script></svg>',
  '<math><mtext><table><mglyph><style><img src=x onerror=__pwned(8)>',
  '<iframe src="http://evil.example"></iframe><object data="x"></object><embed src="x">',
  '<p style="background:url(http://evil.example/s)">styled</p><style>*{}</style>',
  '<form action="http://evil.example"><input name="q"><button formaction="javascript:__pwned(9)">b</button></form>',
  '<meta http-equiv="refresh" content="0;url=http://evil.example"><base href="http://evil.example/"><link rel="stylesheet" href="http://evil.example/c.css">',
  '<noscript><p title="</noscript><img src=x onerror=__pwned(10)>">',
  '<div data-x="1" aria-label="x" id="messages" name="prompt">clobber</div>',
];

for (const csp of [true, false]) {
  describe(`hostile model output (${csp ? 'strict CSP' : 'no CSP: sanitizer alone'})`, () => {
    const fixture = useWebview({ csp });

    it(`streams ${HOSTILE_PAYLOADS.length} hostile payloads without running, fetching or injecting anything`, async function () {
      this.timeout(180_000);
      assert.ok(HOSTILE_PAYLOADS.length >= 100);
      const { view } = fixture;
      await view.page.evaluate(monitorSource);
      await view.deliver(init([userMessage('u0', 'Say something nasty')], { generating: true }));

      for (const [index, payload] of HOSTILE_PAYLOADS.entries()) {
        // Several chunks, one per frame: every half-written state is rendered too.
        const chunk = Math.max(1, Math.ceil(payload.length / 5));
        const messages: HostToWebview[] = streamedAnswer(`h${index}`, payload, chunk);
        await view.deliverEachFrame(messages);
      }
      await view.page.locator(`.message[data-id="h${HOSTILE_PAYLOADS.length - 1}"][data-status="complete"]`).waitFor();

      assert.deepEqual(await view.page.evaluate(() => window.__hearth.pwned), [], 'a payload ran script');
      assert.deepEqual(view.dialogs, [], 'a payload opened a dialog');
      assert.deepEqual(await view.page.evaluate(() => window.__domViolations()), [], 'dangerous DOM appeared');
      const paths = view.requests.map((url) => new URL(url)).filter((url) => url.origin !== EVIL_ORIGIN);
      assert.deepEqual(view.foreignRequests(), [], 'the page fetched a remote resource');
      assert.deepEqual([...new Set(paths.map((u) => u.pathname))].sort(), [...OWN_FILES].sort(), 'the page fetched something besides its own files');
      assert.equal(view.page.url().startsWith('http://127.0.0.1'), true, 'the page navigated');
    });

    it('the DOM monitor catches planted violations (the check itself can fail)', async () => {
      const { view } = fixture;
      await view.page.evaluate(monitorSource);
      await view.deliver(init([userMessage('u1', 'hi')]));
      await view.page.evaluate(() => {
        const body = document.querySelector('.message-body');
        const planted = document.createElement('span');
        planted.setAttribute('onclick', 'x()');
        body?.append(planted, document.createElement('iframe'));
      });
      const violations = await view.page.evaluate(() => window.__domViolations());
      assert.ok(violations.includes('onclick attribute on <span>'), violations.join('; '));
      assert.ok(violations.includes('<iframe> in a message'), violations.join('; '));
    });

    it('the sanitizer alone strips raw hostile HTML (second line of defence)', async () => {
      const { view } = fixture;
      await view.page.evaluate(
        await bundleSnippet(
          "import { sanitizeToFragment } from './src/webview/markdown/sanitize';\n" +
            '(window as unknown as { __sanitize: typeof sanitizeToFragment }).__sanitize = sanitizeToFragment;',
        ),
      );
      const findings = await view.page.evaluate((payloads) => {
        const found: string[] = [];
        for (const html of payloads) {
          for (const element of window.__sanitize(html).querySelectorAll('*')) {
            if (!['a', 'p', 'div', 'span', 'table', 'tbody', 'tr', 'td'].includes(element.localName)) found.push(`<${element.localName}>`);
            for (const attribute of element.attributes) {
              const allowed = attribute.name === 'href' ? /^https?:\/\//.test(attribute.value) : attribute.name === 'title' || attribute.name === 'class';
              if (!allowed) found.push(`${attribute.name}="${attribute.value}"`);
            }
          }
        }
        return found;
      }, RAW_HTML);
      assert.deepEqual(findings, []);
      assert.deepEqual(await view.page.evaluate(() => window.__hearth.pwned), []);
    });

    it('shows hostile markup as visible text instead of dropping it', async () => {
      const { view } = fixture;
      await view.deliverEachFrame([init([]), ...streamedAnswer('a1', '<script>__pwned("x")</script> and <img src=x onerror=y>', 7)]);
      const text = await view.page.locator('.message[data-id="a1"][data-status="complete"] .message-body').textContent();
      assert.equal(text?.trim(), '<script>__pwned("x")</script> and <img src=x onerror=y>');
    });

    it('keeps javascript: reference links and command: URIs as plain text', async () => {
      const { view } = fixture;
      const answer = '[one][r]\n\n[r]: javascript:__pwned(1)\n\n[two](command:workbench.action.openSettings) [three](vscode://x)';
      await view.deliverEachFrame([init([]), ...streamedAnswer('a1', answer, 9)]);
      const body = view.page.locator('.message[data-id="a1"][data-status="complete"] .message-body');
      assert.equal(await body.locator('a').count(), 0);
      assert.match((await body.textContent()) ?? '', /\[one\]\[r\]/);
    });
  });
}
