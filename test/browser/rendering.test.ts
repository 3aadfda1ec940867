// Rendering of conversations and streamed answers, and the message/code-block actions.
import * as assert from 'node:assert/strict';
import { assistantMessage, init, streamedAnswer, userMessage } from './harness/hostMessages';
import { useWebview } from './harness/useWebview';
import type { WebviewPage } from './harness/webviewPage';

/**
 * Shows `answer` twice: whole (as a loaded conversation) and streamed in uneven deltas, one per
 * frame, so blocks are cut at every kind of place. Returns both message bodies' HTML, chunks unwrapped.
 */
async function streamedAndWhole(view: WebviewPage, answer: string): Promise<[string, string]> {
  const sizes = [1, 7, 3, 12, 5, 2, 9];
  const deltas = [];
  for (let at = 0, i = 0; at < answer.length; i++) {
    const size = sizes[i % sizes.length];
    deltas.push({ type: 'delta' as const, messageId: 'streamed', text: answer.slice(at, at + size) });
    at += size;
  }
  await view.deliver(init([assistantMessage('whole', answer)]), { type: 'messageAdded', message: assistantMessage('streamed', '', 'streaming') });
  await view.deliverEachFrame([...deltas, { type: 'messageDone', messageId: 'streamed', status: 'complete' }]);
  const [whole = '', streamed = ''] = await view.page.evaluate(() =>
    ['whole', 'streamed'].map((id) => {
      const body = document.querySelector(`.message[data-id="${id}"] .message-body`)?.cloneNode(true);
      if (!(body instanceof HTMLElement)) return '';
      for (const chunk of body.querySelectorAll('.md-chunk')) chunk.replaceWith(...chunk.childNodes);
      return body.innerHTML;
    }),
  );
  return [whole, streamed];
}

describe('webview rendering', () => {
  const fixture = useWebview();

  it('renders an init snapshot: messages by role, markdown, highlighted code, status', async () => {
    const { view } = fixture;
    await view.deliver(
      init([
        userMessage('u1', 'How do I add *two* numbers?'),
        assistantMessage('a1', 'Use `+`:\n\n```ts\nconst sum = 1 + 2;\n```'),
      ]),
    );
    const page = view.page;
    await page.locator('.message[data-id="a1"] pre code.language-ts').waitFor();
    assert.equal(await page.locator('#messages .message[data-role="user"][data-status="complete"][data-id="u1"] .message-body').textContent(), 'How do I add *two* numbers?');
    assert.equal(await page.locator('.message[data-id="a1"] .message-body code').first().textContent(), '+');
    assert.ok((await page.locator('.message[data-id="a1"] .hljs-keyword').count()) > 0, 'code is highlighted');
    assert.equal(await page.locator('#status-model').textContent(), 'Local · tiny-test-model');
    assert.equal(await page.locator('#status-device').getAttribute('title'), 'No GPU found; running on 8 CPU threads');
    assert.equal(await page.locator('#status-context').textContent(), '1,234 / 4,096 tokens');
    assert.equal(await page.locator('#status-speed').textContent(), '42.5 tok/s · first token 180 ms');
    assert.equal(await page.locator('#empty-state').isVisible(), false);
    assert.equal(await page.locator('#stop').isVisible(), false);
  });

  it('shows a newcomer what to do first when the conversation is empty', async () => {
    const { view } = fixture;
    await view.deliver(init([]));
    const text = await view.page.locator('#empty-state').textContent();
    assert.match(text ?? '', /Type a question/);
    assert.match(text ?? '', /provider/);
    assert.match(text ?? '', /Set API Key/);
    assert.ok(await view.page.locator('#empty-state').isVisible());
  });

  it('streams deltas as markdown, keeping finished blocks and re-rendering only the open one', async () => {
    const { view } = fixture;
    const page = view.page;
    await view.deliver(init([userMessage('u1', 'hi')], { generating: true }));
    await view.deliver({ type: 'messageAdded', message: assistantMessage('a1', '', 'streaming') });
    await view.deliverEachFrame([
      { type: 'delta', messageId: 'a1', text: '# Head' },
      { type: 'delta', messageId: 'a1', text: 'ing\n\nFirst **bold** para' },
    ]);
    const heading = page.locator('.message[data-id="a1"][data-status="streaming"] .message-body h1');
    assert.equal(await heading.textContent(), 'Heading');
    assert.equal(await page.locator('.message[data-id="a1"] strong').textContent(), 'bold');
    // Tag the finished heading's node: it must survive every later delta untouched.
    await page.evaluate(() => document.querySelector('.message[data-id="a1"] h1')?.classList.add('kept'));

    await view.deliverEachFrame([
      { type: 'delta', messageId: 'a1', text: 'graph.\n\n```py\nprint(1)\n' },
      { type: 'delta', messageId: 'a1', text: 'print(2)\n' },
    ]);
    // The fence is not closed yet, but it already renders as code.
    assert.equal(await page.locator('.message[data-id="a1"] pre code.language-py').textContent(), 'print(1)\nprint(2)\n');
    assert.equal(await page.locator('.message[data-id="a1"] h1.kept').count(), 1, 'the finished heading was re-rendered');
    assert.equal(await page.locator('.message[data-id="a1"] p').first().textContent(), 'First bold paragraph.');

    await view.deliver(
      { type: 'delta', messageId: 'a1', text: '```\n\nDone.' },
      { type: 'messageDone', messageId: 'a1', status: 'complete' },
      { type: 'generating', generating: false },
    );
    await page.locator('.message[data-id="a1"][data-status="complete"]').waitFor();
    assert.equal(await page.locator('.message[data-id="a1"] h1.kept').count(), 1);
    assert.equal(await page.locator('.message[data-id="a1"] .message-body p').last().textContent(), 'Done.');
    assert.equal(await page.locator('#live').textContent().then((t) => t?.trim()), 'Answer complete');
  });

  it('renders a streamed answer exactly like the same answer rendered whole', async () => {
    const answer = [
      'Intro paragraph\nwith a second line',
      '- a\n- b\n\n  continued item',
      '1. one\n2. two',
      '> quote\nlazy continuation',
      'Setext heading\n===',
      '| a | b |\n|:--|--:|\n| 1 | 2 |',
      '```js\nlet x = 1;\n```',
      '    indented code',
      '[r]: https://r.example/ref',
      'A [ref link][r], *em*, **strong**, `code`, https://auto.example and ![img](https://i.example/x.png)',
      '---',
      '```python\nprint("unclosed at the end")',
    ].join('\n\n');
    const html = await streamedAndWhole(fixture.view, answer);
    assert.ok(html[0].includes('<a class="md-link" href="https://r.example/ref"'), 'reference link resolved');
    assert.equal(html[1], html[0]);
  });

  it('resolves a reference link that streamed in before its definition once the answer is done', async () => {
    const answer = ['See [the docs][d] first.', 'More text with `code`.', '[d]: https://d.example/docs', 'Tail.'].join('\n\n');
    const html = await streamedAndWhole(fixture.view, answer);
    assert.ok(html[0].includes('<a class="md-link" href="https://d.example/docs"'), 'reference link resolved');
    assert.equal(html[1], html[0]);
  });

  it('coalesces many deltas into one render per frame', async () => {
    const { view } = fixture;
    await view.deliver(init([]), { type: 'messageAdded', message: assistantMessage('a1', '', 'streaming') });
    const renders = await view.page.evaluate(() => {
      const body = document.querySelector('.message[data-id="a1"] .message-body');
      let mutations = 0;
      const observer = new MutationObserver((records) => (mutations += records.length));
      if (body) observer.observe(body, { childList: true });
      for (let i = 0; i < 200; i++) window.__hearth.deliver({ type: 'delta', messageId: 'a1', text: `word${i} ` });
      return new Promise<number>((resolve) =>
        requestAnimationFrame(() => requestAnimationFrame(() => resolve(mutations + observer.takeRecords().length))),
      );
    });
    assert.ok(renders <= 4, `expected one re-render for 200 deltas, saw ${renders} mutation batches`);
    assert.match((await view.page.locator('.message[data-id="a1"] .message-body').textContent()) ?? '', /word0 .*word199/);
  });

  it('shows errors inside the message with what to do, and announces them', async () => {
    const { view } = fixture;
    await view.deliver(init([userMessage('u1', 'hi')]), { type: 'messageAdded', message: assistantMessage('a1', '', 'streaming') });
    await view.deliver({
      type: 'messageDone',
      messageId: 'a1',
      status: 'error',
      error: { kind: 'auth', message: 'The API key was rejected.', action: "Run 'Hearth: Set API Key'." },
    });
    const error = view.page.locator('.message[data-id="a1"][data-status="error"] .message-error');
    assert.equal(await error.locator('.message-error-text').textContent(), 'The API key was rejected.');
    assert.equal(await error.locator('.message-error-action').textContent(), "Run 'Hearth: Set API Key'.");
    assert.match((await view.page.locator('#live').textContent()) ?? '', /API key was rejected/);
  });

  it('renders links with their real destination and posts openLink instead of navigating', async () => {
    const { view } = fixture;
    const page = view.page;
    await view.deliver(init([assistantMessage('a1', 'See [https://docs.example.org](https://evil.example.net/steal) or https://plain.example.com/x')]));
    const link = page.locator('.message[data-id="a1"] a').first();
    assert.equal(await link.getAttribute('title'), 'https://evil.example.net/steal');
    assert.equal(await page.locator('.message[data-id="a1"] .link-destination').first().textContent(), ' (evil.example.net)');
    const before = page.url();
    const pagesBefore = page.context().pages().length;
    const opened = await view.expectPost('openLink', () => link.click());
    assert.equal(opened.url, 'https://evil.example.net/steal');
    const plain = await view.expectPost('openLink', () => page.locator('.message[data-id="a1"] a').nth(1).click({ modifiers: ['Control'] }));
    assert.equal(plain.url, 'https://plain.example.com/x');
    assert.equal(page.url(), before, 'the webview navigated');
    assert.equal(page.context().pages().length, pagesBefore, 'a click opened a window');
  });

  it('renders markdown images as text placeholders and never fetches them', async () => {
    const { view } = fixture;
    await view.deliver(init([assistantMessage('a1', '![a chart](https://evil.example/leak.png?data=secret)')]));
    assert.equal(
      await view.page.locator('.message[data-id="a1"] .image-placeholder').textContent(),
      '[image: a chart] https://evil.example/leak.png?data=secret',
    );
    assert.equal(await view.page.locator('.message img').count(), 0);
  });

  it('code-block toolbar posts copy, insert, apply and open with the code and language', async () => {
    const { view } = fixture;
    await view.deliver(init([assistantMessage('a1', '```python\nprint("hi")\n```')]));
    const toolbar = view.page.locator('.message[data-id="a1"] .code-toolbar');
    const code = 'print("hi")\n';
    assert.deepEqual(await view.expectPost('copyText', () => toolbar.getByRole('button', { name: 'Copy code' }).click()), { type: 'copyText', text: code });
    assert.deepEqual(await view.expectPost('insertCode', () => toolbar.getByRole('button', { name: 'Insert code at the cursor' }).click()), { type: 'insertCode', code });
    assert.deepEqual(await view.expectPost('applyCode', () => toolbar.getByRole('button', { name: 'Apply code to the active editor' }).click()), {
      type: 'applyCode',
      code,
      language: 'python',
    });
    assert.deepEqual(await view.expectPost('openCode', () => toolbar.getByRole('button', { name: 'Open code in a new file' }).click()), {
      type: 'openCode',
      code,
      language: 'python',
    });
  });

  it('message actions: copy, regenerate the last answer, edit and resend a question', async () => {
    const { view } = fixture;
    const page = view.page;
    await view.deliver(init([userMessage('u1', 'first'), assistantMessage('a1', 'one'), userMessage('u2', 'second'), assistantMessage('a2', 'two')]));
    await page.locator('.message[data-id="a2"]').hover();
    assert.deepEqual(await view.expectPost('copyText', () => page.locator('.message[data-id="a2"] [data-action="copy"]').click()), { type: 'copyText', text: 'two' });
    assert.equal(await page.locator('.message[data-id="a1"] [data-action="regenerate"]').isVisible(), false, 'only the last answer regenerates');
    await page.locator('.message[data-id="a2"]').hover();
    assert.deepEqual(await view.expectPost('regenerate', () => page.locator('.message[data-id="a2"] [data-action="regenerate"]').click()), {
      type: 'regenerate',
      messageId: 'a2',
    });

    await page.locator('.message[data-id="u1"]').hover();
    await page.locator('.message[data-id="u1"] [data-action="edit"]').click();
    const editor = page.locator('.message[data-id="u1"] .edit-input');
    assert.equal(await editor.inputValue(), 'first');
    await editor.fill('first, edited');
    assert.deepEqual(await view.expectPost('editAndResend', () => editor.press('Enter')), {
      type: 'editAndResend',
      messageId: 'u1',
      text: 'first, edited',
    });
    await view.deliver({ type: 'messagesTruncated', fromMessageId: 'u1' }, { type: 'messageAdded', message: userMessage('u3', 'first, edited') });
    assert.deepEqual(await page.locator('#messages .message').evaluateAll((els) => els.map((e) => e.getAttribute('data-id'))), ['u3']);
  });

  it('offers Continue only on an answer cut at the length limit, and on the one that just got cut', async () => {
    const { view } = fixture;
    const page = view.page;
    await view.deliver(init([userMessage('u1', 'first'), assistantMessage('a1', 'one'), userMessage('u2', 'long story'), assistantMessage('a2', 'Once upon', 'truncated')]));
    await page.locator('.message[data-id="a1"]').hover();
    assert.equal(await page.locator('.message[data-id="a1"] [data-action="continue"]').isVisible(), false, 'a complete answer has no Continue');
    await page.locator('.message[data-id="a2"]').hover();
    assert.match((await page.locator('.message[data-id="a2"]').textContent()) ?? '', /Once upon/);
    assert.deepEqual(await view.expectPost('continue', () => page.locator('.message[data-id="a2"] [data-action="continue"]').click()), { type: 'continue', messageId: 'a2' });

    await view.deliver(...streamedAnswer('a3', 'Another tale', 4).slice(0, -1), { type: 'messageDone', messageId: 'a3', status: 'truncated' });
    await page.locator('.message[data-id="a3"]').hover();
    assert.equal(await page.locator('.message[data-id="a3"]').getAttribute('data-status'), 'truncated');
    assert.equal(await page.locator('.message[data-id="a3"] [data-action="continue"]').isVisible(), true, 'shown as soon as the answer is cut, with no re-render');
  });

  it('keeps the DOM bounded for a 200-message conversation and rebuilds messages scrolled into view', async () => {
    const { view } = fixture;
    const page = view.page;
    const messages = Array.from({ length: 200 }, (_, i) =>
      i % 2 === 0 ? userMessage(`m${i}`, `Question ${i}`) : assistantMessage(`m${i}`, `Answer ${i}\n\n- a\n- b\n\n\`\`\`js\nconst x${i} = ${i};\n\`\`\``),
    );
    await view.deliver(init(messages));
    await page.locator('.message[data-id="m199"] pre').waitFor();
    const nodes = await page.evaluate(() => document.querySelectorAll('*').length);
    assert.ok(nodes < 2500, `expected a bounded DOM, found ${nodes} elements`);
    assert.equal(await page.locator('#messages .message').count(), 200, 'every message keeps its placeholder');
    assert.equal(await page.locator('.message[data-id="m1"].collapsed .message-body').count(), 1);

    await page.locator('#messages').evaluate((el) => (el.scrollTop = 0));
    await page.locator('.message[data-id="m1"]:not(.collapsed) pre').waitFor();
    assert.equal(await page.locator('.message[data-id="m1"] .message-body p').textContent(), 'Answer 1');
    await page.locator('.message[data-id="m101"].collapsed').waitFor({ state: 'attached' });
    const nodesAtTop = await page.evaluate(() => document.querySelectorAll('*').length);
    assert.ok(nodesAtTop < 2500, `expected a bounded DOM after scrolling, found ${nodesAtTop} elements`);
  });

  it('ignores messages that do not match the protocol', async () => {
    const { view } = fixture;
    await view.deliver(init([assistantMessage('a1', 'ok')]));
    const invalid: unknown[] = [
      { type: 'delta', messageId: 'a1' },
      { type: 'messageAdded', message: { id: 'x', role: 'hacker', content: '<img src=x>' } },
      'not even an object',
    ];
    await view.page.evaluate((all) => {
      for (const data of all) window.dispatchEvent(new MessageEvent('message', { data }));
    }, invalid);
    assert.equal(await view.page.locator('#messages .message').count(), 1);
    assert.equal((await view.page.locator('.message[data-id="a1"] .message-body').textContent())?.trim(), 'ok');
    assert.equal(view.pageErrors.length, 0);
  });
});
