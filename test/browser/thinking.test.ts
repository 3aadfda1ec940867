// Reasoning output: a streamed answer's thinking shows live in a collapsed "Thinking" section above
// the answer, says how long it took once the answer begins, is rendered as untrusted markdown like
// the answer, and comes back the same from a saved conversation.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StoredMessage } from '../../src/protocol/chat';
import type { HostToWebview } from '../../src/protocol/webviewMessages';
import { HOSTILE_PAYLOADS } from './fixtures/hostilePayloads';
import { assistantMessage, init, userMessage } from './harness/hostMessages';
import { useWebview } from './harness/useWebview';

const monitorSource = readFileSync(join(__dirname, 'fixtures', 'domMonitor.js'), 'utf8');

declare global {
  interface Window {
    __domViolations(): string[];
  }
}

function thinkingAnswer(id: string, reasoning: string, content: string, thinkingMs: number): StoredMessage {
  return {
    ...assistantMessage(id, content),
    reasoning,
    endpoint: 'this computer',
    usage: { promptTokens: 10, completionTokens: 200, reasoningTokens: 120 },
    stats: { thinkingMs },
  };
}

describe('webview: the Thinking section', () => {
  const fixture = useWebview();

  it('streams reasoning live into a collapsed section above the answer, then says how long it thought', async () => {
    const { view } = fixture;
    const page = view.page;
    await view.deliver(init([userMessage('u1', 'Why?')], { generating: true }), { type: 'messageAdded', message: assistantMessage('a1', '', 'streaming') });
    await view.deliverEachFrame([
      { type: 'reasoningDelta', messageId: 'a1', text: 'The user asks **why**.' },
      { type: 'reasoningDelta', messageId: 'a1', text: ' I should explain.' },
    ]);
    const section = page.locator('.message[data-id="a1"] details.message-thinking');
    await section.locator('strong').waitFor({ state: 'attached' });
    assert.equal(await section.locator('summary').textContent(), 'Thinking…');
    assert.equal(await section.getAttribute('aria-busy'), 'true');
    assert.equal(await section.evaluate((d) => (d as HTMLDetailsElement).open), false, 'collapsed while it streams');
    assert.equal(await section.evaluate((d) => d.nextElementSibling?.classList.contains('message-body')), true, 'above the answer');
    assert.equal(await page.locator('.message[data-id="a1"] .message-body').textContent(), '', 'the thinking is not the answer');

    await view.deliverEachFrame([{ type: 'delta', messageId: 'a1', text: 'Because ' }]);
    assert.match((await section.locator('summary').textContent()) ?? '', /^Thought for \d+ s$/, 'the answer began: thinking is over');
    assert.equal(await section.getAttribute('aria-busy'), null);

    await view.deliverEachFrame([
      { type: 'delta', messageId: 'a1', text: 'it is.' },
      { type: 'messageDone', messageId: 'a1', status: 'complete', usage: { promptTokens: 5, completionTokens: 200, reasoningTokens: 120 }, stats: { thinkingMs: 3_400 } },
    ]);
    await page.locator('.message[data-id="a1"][data-status="complete"]').waitFor();
    assert.equal(await section.locator('summary').textContent(), 'Thought for 3 s', "the host's measure wins");
    assert.equal(await page.locator('.message[data-id="a1"] .message-tokens').textContent(), '120 thinking + 80 tokens');
    assert.equal((await page.locator('.message[data-id="a1"] .message-body').textContent())?.trim(), 'Because it is.');

    // Opened by the keyboard, like any disclosure: the summary is focusable and toggles it.
    await section.locator('summary').focus();
    await page.keyboard.press('Enter');
    assert.equal(await section.evaluate((d) => (d as HTMLDetailsElement).open), true);
    assert.equal(await section.locator('.message-thinking-body').innerText(), 'The user asks why. I should explain.');
  });

  it('shows a saved answer the same way: collapsed, with its time and tokens; an answer without reasoning has no section', async () => {
    const { view } = fixture;
    await view.deliver(init([userMessage('u1', 'Q'), thinkingAnswer('a1', 'Step 1: `x`', 'Done.', 61_000), assistantMessage('a2', 'Plain.')]));
    const section = view.page.locator('.message[data-id="a1"] details.message-thinking');
    assert.equal(await section.locator('summary').textContent(), 'Thought for 1 min 1 s');
    assert.equal(await section.evaluate((d) => (d as HTMLDetailsElement).open), false);
    assert.equal(await section.locator('.message-thinking-body code').textContent(), 'x');
    assert.equal(await view.page.locator('.message[data-id="a1"] .message-tokens').textContent(), '120 thinking + 80 tokens');
    assert.equal(await view.page.locator('.message[data-id="a2"] .message-thinking').count(), 0);
    assert.equal(await view.page.locator('.message[data-id="a2"] .message-tokens').count(), 0);
  });

  it('an answer cut while thinking offers Continue, and the continued thinking goes on in the same section, then the answer', async () => {
    const { view } = fixture;
    const page = view.page;
    const cut: StoredMessage = { ...assistantMessage('a1', '', 'truncated'), reasoning: 'Step one.', stats: { thinkingMs: 2_000 } };
    await view.deliver(init([userMessage('u1', 'Q'), cut]));
    const section = page.locator('.message[data-id="a1"] details.message-thinking');
    assert.equal(await section.locator('summary').textContent(), 'Thought for 2 s');
    const from = await view.postedCount();
    await page.locator('.message[data-id="a1"] .message-action[data-action="continue"]').click();
    assert.deepEqual(await view.waitForPosted('continue', from), { type: 'continue', messageId: 'a1' });

    // What the host sends for Continue: the message dropped, then back as streaming with its thinking so far.
    await view.deliverEachFrame([
      { type: 'generating', generating: true },
      { type: 'messagesTruncated', fromMessageId: 'a1' },
      { type: 'messageAdded', message: { ...cut, status: 'streaming' } },
      { type: 'reasoningDelta', messageId: 'a1', text: ' Step **two**.' },
    ]);
    await section.locator('strong').waitFor({ state: 'attached' });
    assert.equal(await page.locator('.message[data-id="a1"] details.message-thinking').count(), 1, 'one section, not a second one');
    assert.equal(await section.locator('summary').textContent(), 'Thinking…', 'thinking again');
    await view.deliverEachFrame([
      { type: 'delta', messageId: 'a1', text: 'The answer.' },
      { type: 'messageDone', messageId: 'a1', status: 'complete', stats: { thinkingMs: 5_000 } },
      { type: 'generating', generating: false },
    ]);
    await page.locator('.message[data-id="a1"][data-status="complete"]').waitFor();
    assert.equal(await section.locator('summary').textContent(), 'Thought for 5 s');
    assert.equal((await section.locator('.message-thinking-body').textContent())?.trim(), 'Step one. Step two.');
    assert.equal((await page.locator('.message[data-id="a1"] .message-body').textContent())?.trim(), 'The answer.');
    assert.equal(await page.locator('.message[data-id="a1"] .message-action[data-action="continue"]').isVisible(), false, 'nothing left to continue');
  });

  it('Copy copies the answer, not the thinking', async () => {
    const { view } = fixture;
    await view.deliver(init([thinkingAnswer('a1', 'secret musings', 'The answer.', 1000)]));
    const from = await view.postedCount();
    await view.page.locator('.message[data-id="a1"] .message-action[data-action="copy"]').click();
    assert.deepEqual(await view.waitForPosted('copyText', from), { type: 'copyText', text: 'The answer.' });
  });

  it('keeps hostile markdown in the thinking inert: no script, no remote fetch, no dangerous DOM', async function () {
    this.timeout(120_000);
    const { view } = fixture;
    await view.page.evaluate(monitorSource);
    await view.deliver(init([userMessage('u0', 'Think nasty thoughts')], { generating: true }));
    const payloads = HOSTILE_PAYLOADS.slice(0, 40);
    for (const [index, payload] of payloads.entries()) {
      const id = `t${index}`;
      const chunk = Math.max(1, Math.ceil(payload.length / 4));
      const messages: HostToWebview[] = [{ type: 'messageAdded', message: assistantMessage(id, '', 'streaming') }];
      for (let at = 0; at < payload.length; at += chunk) messages.push({ type: 'reasoningDelta', messageId: id, text: payload.slice(at, at + chunk) });
      messages.push({ type: 'delta', messageId: id, text: 'ok' }, { type: 'messageDone', messageId: id, status: 'complete' });
      await view.deliverEachFrame(messages);
    }
    await view.page.locator(`.message[data-id="t${payloads.length - 1}"][data-status="complete"]`).waitFor();
    // Opened, so that what a payload made is laid out and would load if it could.
    await view.page.evaluate(() => document.querySelectorAll('details.message-thinking').forEach((d) => ((d as HTMLDetailsElement).open = true)));
    await view.page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    // Older answers are virtualized away; the monitor saw each one as it was rendered.
    assert.equal(await view.page.locator(`.message[data-id="t${payloads.length - 1}"] details.message-thinking`).count(), 1);
    assert.deepEqual(await view.page.evaluate(() => window.__hearth.pwned), [], 'a payload ran script');
    assert.deepEqual(view.dialogs, [], 'a payload opened a dialog');
    assert.deepEqual(await view.page.evaluate(() => window.__domViolations()), [], 'dangerous DOM appeared');
    assert.deepEqual(view.foreignRequests(), [], 'the page fetched a remote resource');
  });
});
