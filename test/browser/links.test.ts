// One click on a link in an answer: exactly one openLink to the host, and nothing for VS Code's
// own webview link handler (a click listener on the window, which opens links as trusted).
import * as assert from 'node:assert/strict';
import { assistantMessage, init } from './harness/hostMessages';
import { useWebview } from './harness/useWebview';

declare global {
  interface Window {
    __windowClicks: string[];
  }
}

/** What VS Code's webview host does (pre/index.html): window click/auxclick listeners that open any <a href>. */
const VSCODE_LINK_HANDLER = `
window.__windowClicks = [];
const record = (event) => {
  const link = event.composedPath().find((node) => node.tagName === 'A' && node.href);
  window.__windowClicks.push(link ? 'link:' + link.href : 'other:' + (event.target.className || event.target.tagName));
};
window.addEventListener('click', record);
window.addEventListener('auxclick', record);
`;

describe('webview: links open once, only through the host', () => {
  const fixture = useWebview();

  it('left, ctrl, middle and keyboard clicks each post one openLink and never reach the window', async () => {
    const { view } = fixture;
    const page = view.page;
    await page.evaluate(VSCODE_LINK_HANDLER);
    await view.deliver(init([assistantMessage('a1', 'A [local admin page](http://127.0.0.1:8080/reset) and https://docs.example.com/x')]));
    const links = page.locator('.message[data-id="a1"] a');

    const from = await view.postedCount();
    await links.nth(0).click();
    await links.nth(1).click({ modifiers: ['Control'] });
    await links.nth(0).click({ button: 'middle' });
    await links.nth(1).focus();
    await page.keyboard.press('Enter');
    // A click that is not on a link does reach the window: the listener itself works.
    await page.locator('.message[data-id="a1"] .message-action[data-action="copy"]').dispatchEvent('click');
    await view.waitForPosted('copyText', from);

    const opened = (await view.posted()).slice(from).filter((m) => m.type === 'openLink');
    assert.deepEqual(
      opened.map((m) => m.type === 'openLink' && m.url),
      ['http://127.0.0.1:8080/reset', 'https://docs.example.com/x', 'https://docs.example.com/x'],
      'left and ctrl click and Enter post once each; a middle click opens nothing',
    );
    assert.deepEqual(await page.evaluate(() => window.__windowClicks), ['other:message-action']);
  });
});
