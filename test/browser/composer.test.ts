// The prompt's keyboard contract and Stop.
import * as assert from 'node:assert/strict';
import { assistantMessage, init, userMessage } from './harness/hostMessages';
import { useWebview } from './harness/useWebview';

describe('webview composer', () => {
  const fixture = useWebview();

  it('Enter sends, Shift+Enter adds a line', async () => {
    const { view } = fixture;
    await view.deliver(init([]));
    const prompt = view.page.locator('#prompt');
    assert.ok(await prompt.getAttribute('aria-label'));
    await prompt.fill('line one');
    await prompt.press('Shift+Enter');
    await prompt.pressSequentially('line two');
    assert.equal(await prompt.inputValue(), 'line one\nline two');
    assert.ok(!(await view.posted()).some((m) => m.type === 'send'), 'Shift+Enter sent the prompt');
    assert.deepEqual(await view.expectPost('send', () => prompt.press('Enter')), { type: 'send', text: 'line one\nline two' });
    assert.equal(await prompt.inputValue(), '');
  });

  it('the Send button sends; an empty prompt sends nothing', async () => {
    const { view } = fixture;
    await view.deliver(init([]));
    await view.page.locator('#prompt').press('Enter');
    await view.page.locator('#send').click();
    assert.ok(!(await view.posted()).some((m) => m.type === 'send'));
    await view.page.locator('#prompt').fill('hello');
    assert.deepEqual(await view.expectPost('send', () => view.page.locator('#send').click()), { type: 'send', text: 'hello' });
  });

  it('Compare posts the prompt as it is, without sending or clearing it', async () => {
    const { view } = fixture;
    await view.deliver(init([]));
    await view.page.locator('#prompt').fill('Which is faster?');
    assert.deepEqual(await view.expectPost('compare', () => view.page.locator('#compare').click()), { type: 'compare', text: 'Which is faster?' });
    assert.equal(await view.page.locator('#prompt').inputValue(), 'Which is faster?');
    assert.ok(!(await view.posted()).some((m) => m.type === 'send'));
  });

  it('keeps the draft in the view state, not the conversation', async () => {
    const { view } = fixture;
    await view.deliver(init([]));
    await view.page.locator('#prompt').fill('half-written');
    const state = await view.page.evaluate(() => window.__hearth.getState());
    assert.deepEqual(state, { draft: 'half-written' });
  });

  it('shows Stop while generating; Stop and Escape post stop', async () => {
    const { view } = fixture;
    const page = view.page;
    await view.deliver(init([userMessage('u1', 'hi'), assistantMessage('a1', '', 'streaming')], { generating: true }));
    assert.ok(await page.locator('#stop').isVisible());
    assert.ok(await page.locator('#send').isDisabled());
    assert.deepEqual(await view.expectPost('stop', () => page.locator('#stop').click()), { type: 'stop' });
    assert.deepEqual(await view.expectPost('stop', () => page.locator('#prompt').press('Escape')), { type: 'stop' });
    await view.deliver({ type: 'generating', generating: false });
    assert.equal(await page.locator('#stop').isVisible(), false);
    assert.equal(await page.locator('#send').isDisabled(), false);
  });

  it('Stop takes Send\'s place while an answer streams, and the keyboard focus goes with it', async () => {
    const { view } = fixture;
    const page = view.page;
    await view.deliver(init([userMessage('u1', 'hi')]));
    await page.locator('#send').focus();
    await view.deliver({ type: 'generating', generating: true });
    assert.equal(await page.locator('#send').isVisible(), false, 'one of the two at a time, as in VS Code\'s chat');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'stop');
    await view.deliver({ type: 'generating', generating: false });
    assert.equal(await page.locator('#stop').isVisible(), false);
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'send');
  });

  it('Up on an empty prompt edits the last user message', async () => {
    const { view } = fixture;
    const page = view.page;
    await view.deliver(init([userMessage('u1', 'old'), assistantMessage('a1', 'x'), userMessage('u2', 'latest question'), assistantMessage('a2', 'y')]));
    await page.locator('#prompt').press('ArrowUp');
    const editor = page.locator('.message[data-id="u2"] .edit-input');
    assert.ok(await editor.isVisible());
    assert.equal(await editor.inputValue(), 'latest question');
    assert.equal(await editor.evaluate((el) => el === document.activeElement), true);
    await editor.press('Escape');
    assert.equal(await page.locator('.message-editor').count(), 0);
    assert.equal(await page.locator('.message[data-id="u2"] .message-body').isVisible(), true);
  });
});
