// The composer's completion list: /commands at the start, #mentions, #file: paths from the host;
// keyboard (↑/↓, Enter/Tab, Escape), the listbox roles, and the mentions' chips.
import * as assert from 'node:assert/strict';
import type { Locator } from 'playwright-core';
import type { HostToWebview } from '../../src/protocol/webviewMessages';
import { init } from './harness/hostMessages';
import { useWebview } from './harness/useWebview';

const commands: HostToWebview = {
  type: 'composerCommands',
  commands: [
    { slash: '/explain', label: 'Explain', description: 'Explain what the code does and how' },
    { slash: '/fix', label: 'Fix', description: 'Find and fix the problems in the code' },
    { slash: '/tests', label: 'Write Tests', description: 'Write unit tests for the code' },
    { slash: '/doc', label: 'Add Docs', description: 'Add documentation comments to the code' },
    { slash: '/review', label: 'Review', description: 'Review the code for bugs, risks and style' },
  ],
};

async function optionLabels(list: Locator): Promise<string[]> {
  return list.locator('[role="option"] .completion-label').allTextContents();
}

describe('webview composer completion', () => {
  const fixture = useWebview();

  async function open() {
    const { view } = fixture;
    await view.deliver(init([]), commands);
    const prompt = view.page.locator('#prompt');
    const list = view.page.locator('#composer-completions');
    return { view, page: view.page, prompt, list };
  }

  it('/ at the start offers the five commands as a listbox, filtered as you type', async () => {
    const { prompt, list } = await open();
    assert.equal(await list.isVisible(), false);
    await prompt.pressSequentially('/');
    assert.equal(await list.getAttribute('role'), 'listbox');
    assert.deepEqual(await optionLabels(list), ['/explain', '/fix', '/tests', '/doc', '/review']);
    assert.equal(await prompt.getAttribute('aria-controls'), 'composer-completions');
    assert.equal(await prompt.getAttribute('aria-activedescendant'), 'composer-completion-0');
    await prompt.pressSequentially('f');
    assert.deepEqual(await optionLabels(list), ['/fix']);
    await prompt.pressSequentially('x');
    assert.equal(await list.isVisible(), false, 'nothing matches /fx');
  });

  it('↑/↓ move the active option, Enter accepts it without sending, and the rest becomes the request', async () => {
    const { view, prompt, list } = await open();
    await prompt.pressSequentially('/');
    await prompt.press('ArrowDown');
    await prompt.press('ArrowDown');
    assert.equal(await prompt.getAttribute('aria-activedescendant'), 'composer-completion-2');
    assert.equal(await list.locator('[aria-selected="true"] .completion-label').textContent(), '/tests');
    await prompt.press('ArrowUp');
    await prompt.press('ArrowUp');
    await prompt.press('ArrowUp'); // wraps to the last
    assert.equal(await list.locator('[aria-selected="true"] .completion-label').textContent(), '/review');
    await prompt.press('Enter');
    assert.equal(await prompt.inputValue(), '/review ');
    assert.equal(await list.isVisible(), false);
    assert.ok(!(await view.posted()).some((m) => m.type === 'send'), 'accepting a command sent the message');
    await prompt.pressSequentially('the error handling');
    assert.deepEqual(await view.expectPost('send', () => prompt.press('Enter')), { type: 'send', text: '/review the error handling' });
  });

  it('Tab accepts too; Escape closes the list and does not stop or send', async () => {
    const { view, prompt, list } = await open();
    await prompt.pressSequentially('/d');
    await prompt.press('Tab');
    assert.equal(await prompt.inputValue(), '/doc ');
    await view.page.locator('#prompt').fill('');
    await prompt.pressSequentially('/');
    await prompt.press('Escape');
    assert.equal(await list.isVisible(), false);
    assert.equal(await prompt.inputValue(), '/');
    assert.equal(await prompt.evaluate((el) => el.hasAttribute('aria-activedescendant')), false);
    assert.ok(!(await view.posted()).some((m) => m.type === 'stop' || m.type === 'send'));
  });

  it('a slash that is not at the start of the message offers nothing', async () => {
    const { prompt, list } = await open();
    await prompt.pressSequentially('what does a/b or /fix mean');
    assert.equal(await list.isVisible(), false);
  });

  it('# offers the mentions; accepting one shows it as a chip that × removes from the text', async () => {
    const { page, prompt, list } = await open();
    await prompt.pressSequentially('explain #');
    assert.deepEqual(await optionLabels(list), ['#file:', '#selection', '#problems']);
    await prompt.pressSequentially('s');
    await prompt.press('Enter');
    assert.equal(await prompt.inputValue(), 'explain #selection ');
    const chips = page.locator('#mention-chips .chip');
    assert.deepEqual(await chips.locator('.chip-label').allTextContents(), ['Selection']);
    await prompt.pressSequentially('and #problems');
    assert.deepEqual(await chips.locator('.chip-label').allTextContents(), ['Selection'], 'a mention still being typed is no chip yet');
    await prompt.pressSequentially(' now');
    assert.deepEqual(await chips.locator('.chip-label').allTextContents(), ['Selection', 'Problems']);
    await chips.first().locator('.chip-remove').click();
    assert.equal(await prompt.inputValue(), 'explain and #problems now');
    assert.deepEqual(await chips.locator('.chip-label').allTextContents(), ['Problems']);
  });

  it('#file: asks the host for files (one request per pause), drops a stale answer and inserts the pick', async () => {
    const { view, page, prompt, list } = await open();
    await prompt.pressSequentially('see #fi');
    await prompt.press('Enter');
    assert.equal(await prompt.inputValue(), 'see #file:');
    const from = await view.postedCount();
    await prompt.pressSequentially('app', { delay: 10 });
    const request = await view.waitForPosted('findFiles', from);
    assert.equal(request.query, 'app');
    const requests = (await view.posted()).slice(from).filter((m) => m.type === 'findFiles');
    assert.equal(requests.length, 1, 'keystrokes in quick succession make one search');
    assert.equal(await page.locator('#mention-chips .chip').count(), 0, 'no chip for a path still being typed');

    await view.deliver({ type: 'fileMatches', requestId: request.requestId - 1, files: ['stale/answer.ts'] });
    assert.equal(await list.isVisible(), false, 'an answer to an older request is dropped');
    await view.deliver({ type: 'fileMatches', requestId: request.requestId, files: ['src/webview/app.ts', 'docs/My App.md'] });
    assert.deepEqual(await optionLabels(list), ['src/webview/app.ts', 'docs/My App.md']);
    await prompt.press('ArrowDown');
    await prompt.press('Enter');
    assert.equal(await prompt.inputValue(), 'see #file:"docs/My App.md" ');
    assert.deepEqual(await page.locator('#mention-chips .chip-label').allTextContents(), ['docs/My App.md']);
    assert.deepEqual(await view.expectPost('send', () => prompt.press('Enter')), { type: 'send', text: 'see #file:"docs/My App.md" ' });
    assert.equal(await page.locator('#mention-chips .chip').count(), 0, 'the chips go with the sent text');
  });

  it('a click on an option accepts it', async () => {
    const { page, prompt } = await open();
    await prompt.pressSequentially('/');
    await page.locator('#composer-completions [role="option"]', { hasText: '/explain' }).click();
    assert.equal(await prompt.inputValue(), '/explain ');
    assert.equal(await prompt.evaluate((el) => el === document.activeElement), true);
  });

  it('a message the host gives back (it could not attach a mention) returns to the composer', async () => {
    const { view, page, prompt } = await open();
    await view.deliver({ type: 'restoreDraft', text: 'read #file:huge.log' });
    assert.equal(await prompt.inputValue(), 'read #file:huge.log');
    assert.deepEqual(await page.locator('#mention-chips .chip-label').allTextContents(), ['huge.log']);
    assert.deepEqual(await page.evaluate(() => window.__hearth.getState()), { draft: 'read #file:huge.log' });
  });
});
