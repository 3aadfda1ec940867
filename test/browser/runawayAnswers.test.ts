// Answers that are one block which never closes (a looping model), pathological nesting, and
// bidi controls: every character stays visible, streamed looks like whole, the panel keeps
// answering its buttons. Timing is measured by `npm run bench:render`, not here.
import * as assert from 'node:assert/strict';
import { SINGLE_BLOCKS } from '../../bench/render/singleBlocks';
import type { HostToWebview } from '../../src/protocol/webviewMessages';
import { assistantMessage, init, userMessage } from './harness/hostMessages';
import { useWebview } from './harness/useWebview';
import type { WebviewPage } from './harness/webviewPage';

const SHAPE_CHARS = 24 * 1024;

function deltasOf(id: string, text: string, size: number): HostToWebview[] {
  const out: HostToWebview[] = [];
  for (let at = 0, i = 0; at < text.length; i++) {
    // Uneven sizes, so lines and fences are cut at every kind of place.
    const n = size + ((i * 37) % 23);
    out.push({ type: 'delta', messageId: id, text: text.slice(at, at + n) });
    at += n;
  }
  return out;
}

/** The message body's HTML with chunk wrappers unwrapped. */
function bodyHtml(view: WebviewPage, id: string): Promise<string> {
  return view.page.evaluate((messageId) => {
    const body = document.querySelector(`.message[data-id="${messageId}"] .message-body`)?.cloneNode(true);
    if (!(body instanceof HTMLElement)) return '';
    for (const chunk of body.querySelectorAll('.md-chunk')) chunk.replaceWith(...chunk.childNodes);
    return body.innerHTML;
  }, id);
}

function bodyText(view: WebviewPage, id: string): Promise<string> {
  return view.page.locator(`.message[data-id="${id}"] .message-body`).evaluate((el) => el.textContent ?? '');
}

describe('webview: runaway answers and pathological markdown', () => {
  const fixture = useWebview();

  for (const [shape, make] of Object.entries(SINGLE_BLOCKS)) {
    it(`a single growing ${shape} keeps every character visible and renders as it would whole`, async function () {
      this.timeout(180_000);
      const { view } = fixture;
      const text = `Intro paragraph.\n\n${make().slice(0, SHAPE_CHARS)}`;
      await view.deliver(init([userMessage('u1', 'go'), assistantMessage('whole', text)], { generating: true }), {
        type: 'messageAdded',
        message: assistantMessage('streamed', '', 'streaming'),
      });
      await view.deliverEachFrame([...deltasOf('streamed', text, 400), { type: 'messageDone', messageId: 'streamed', status: 'complete' }]);
      await view.page.locator('.message[data-id="streamed"][data-status="complete"]').waitFor();

      assert.equal(await bodyHtml(view, 'streamed'), await bodyHtml(view, 'whole'));
      const shown = await bodyText(view, 'streamed');
      assert.ok(shown.includes(text.slice(-300)), 'the end of the block is shown verbatim');
      assert.ok(shown.startsWith('Intro paragraph.'));
      // The block grew past what is re-rendered as markdown: the rest is in fixed-size segments.
      const segments = await view.page.locator('.message[data-id="streamed"] .raw-segment').count();
      assert.ok(segments >= 2 && segments <= SHAPE_CHARS / 512, `expected a bounded number of segments, got ${segments}`);
      assert.deepEqual(await view.expectPost('copyText', () => view.page.locator('.message[data-id="streamed"] .message-action[data-action="copy"]').dispatchEvent('click')), {
        type: 'copyText',
        text,
      });
    });
  }

  it('markdown after a long block is formatted again once the block ends', async function () {
    this.timeout(180_000);
    const { view } = fixture;
    const table = SINGLE_BLOCKS.table().slice(0, 20 * 1024).replace(/[^\n]*$/, '');
    const text = `${table}\nAfter the **table**.\n\n\`\`\`js\nconst tail = 1;\n\`\`\`\n`;
    await view.deliver(init([userMessage('u1', 'go')], { generating: true }), { type: 'messageAdded', message: assistantMessage('a1', '', 'streaming') });
    await view.deliverEachFrame([...deltasOf('a1', text, 700), { type: 'messageDone', messageId: 'a1', status: 'complete' }]);
    const message = view.page.locator('.message[data-id="a1"][data-status="complete"]');
    assert.equal(await message.locator('strong').last().textContent(), 'table');
    assert.equal(await message.locator('pre code.language-js').textContent(), 'const tail = 1;\n');
    assert.equal(await message.locator('table').count(), 1, 'the first part of the table stays a table');
  });

  it('a long code block stays one highlighted code block with its toolbar, and Copy copies all of it', async function () {
    this.timeout(180_000);
    const { view } = fixture;
    const code = SINGLE_BLOCKS['code block']().slice(6, 30 * 1024).replace(/[^\n]*$/, '');
    const text = `\`\`\`ts\n${code}\`\`\`\n\nDone.`;
    await view.deliver(init([userMessage('u1', 'go')], { generating: true }), { type: 'messageAdded', message: assistantMessage('a1', '', 'streaming') });
    await view.deliverEachFrame([...deltasOf('a1', text, 600), { type: 'messageDone', messageId: 'a1', status: 'complete' }]);
    const message = view.page.locator('.message[data-id="a1"][data-status="complete"]');
    assert.equal(await message.locator('.code-frame').count(), 1);
    assert.ok((await message.locator('.raw-segment .hljs-keyword').count()) > 100, 'the segments are highlighted');
    const copied = await view.expectPost('copyText', () => message.getByRole('button', { name: 'Copy code' }).click());
    assert.deepEqual(copied, { type: 'copyText', text: code });
    assert.equal(await message.locator('.message-body p').last().textContent(), 'Done.');
  });

  it('2,000 nested quotes and a 1,000-deep list render their text instead of an empty message', async () => {
    const { view } = fixture;
    const quotes = `${'>'.repeat(2000)} deep quote text`;
    const list = Array.from({ length: 1000 }, (_, i) => `${'  '.repeat(i)}- level ${i}`).join('\n');
    await view.deliver(init([assistantMessage('q', quotes), assistantMessage('l', list)]));
    assert.match(await bodyText(view, 'q'), /deep quote text/);
    const listText = await bodyText(view, 'l');
    assert.match(listText, /level 0/);
    assert.match(listText, /level 999/);
    assert.ok((await view.page.locator('.message[data-id="q"] .md-unparsed').count()) === 1, 'what the parser gave up on is shown as text');
  });

  it('an answer that arrives faster than it renders still completes, and the panel answers Stop meanwhile', async function () {
    this.timeout(180_000);
    const { view } = fixture;
    const table = SINGLE_BLOCKS.table();
    await view.deliver(init([userMessage('u1', 'go')], { generating: true }), { type: 'messageAdded', message: assistantMessage('a1', '', 'streaming') });
    // 200 KB in one task, then Stop: the click is handled while the backlog renders.
    await view.deliver(...deltasOf('a1', table, 2000));
    assert.deepEqual(await view.expectPost('stop', () => view.page.locator('#stop').click()), { type: 'stop' });
    await view.deliver({ type: 'messageDone', messageId: 'a1', status: 'stopped' }, { type: 'generating', generating: false });
    await view.page.locator('.message[data-id="a1"][data-status="stopped"]').waitFor();
    assert.ok((await bodyText(view, 'a1')).includes(table.slice(-200)));
  });

  it('bidi controls cannot reorder a link or its destination, and are shown where they are', async () => {
    const { view } = fixture;
    const answer = 'Get it from [\u202Eexe.tnemhcatta](https://evil.example/payload) today. Also \u2067hidden\u2069 here.';
    await view.deliver(init([assistantMessage('a1', answer)]));
    const link = view.page.locator('.message[data-id="a1"] a.md-link');
    assert.equal(await link.locator('.bidi-control').getAttribute('data-code-point'), 'U+202E');
    assert.equal(await view.page.locator('.message[data-id="a1"] .bidi-control').count(), 3);
    for (const selector of ['a.md-link', '.link-destination', '.bidi-control']) {
      const isolation = await view.page.locator(`.message[data-id="a1"] ${selector}`).first().evaluate((el) => getComputedStyle(el).unicodeBidi);
      assert.equal(isolation, 'isolate', `${selector} is isolated`);
    }
    assert.equal(await view.page.locator('.message[data-id="a1"] .link-destination').textContent(), ' (evil.example)');
    assert.deepEqual(await view.expectPost('copyText', () => view.page.locator('.message[data-id="a1"] .message-action[data-action="copy"]').dispatchEvent('click')), {
      type: 'copyText',
      text: answer,
    });
  });
});
