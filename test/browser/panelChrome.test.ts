// Conversation list, pickers, context chips and notices.
import * as assert from 'node:assert/strict';
import { assistantMessage, conversation, init, STATUS, streamedAnswer, SUMMARIES, userMessage } from './harness/hostMessages';
import { useWebview } from './harness/useWebview';

describe('webview panel chrome', () => {
  const fixture = useWebview();

  it('lists conversations and switches, renames, exports and deletes them', async () => {
    const { view } = fixture;
    const page = view.page;
    await view.deliver(init([]));
    await view.deliver({ type: 'showConversations' });
    const items = page.locator('#conversation-list .conversation-item');
    assert.deepEqual(await items.locator('.conversation-title').allTextContents(), ['First chat', 'Refactoring ideas']);
    assert.equal(await items.first().getAttribute('aria-current'), 'true');

    const second = page.locator('.conversation-item[data-id="c2"]');
    assert.equal(await second.locator('.conversation-open').getAttribute('title').then((t) => t?.split('\n')[0]), 'Refactoring ideas', 'the whole title on hover');
    const actions = second.locator('.conversation-actions');
    assert.equal(await actions.evaluate((el) => getComputedStyle(el).opacity), '0', 'row actions stay out of sight until wanted');
    await second.hover();
    assert.equal(await actions.evaluate((el) => getComputedStyle(el).opacity), '1', 'hover shows them');
    assert.equal(await actions.locator('.codicon').count(), 3, 'as icons');
    await page.mouse.move(0, 0);
    await second.locator('.conversation-open').focus();
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('aria-label')), 'Rename "Refactoring ideas"', 'the keyboard reaches them');
    assert.equal(await actions.evaluate((el) => getComputedStyle(el).opacity), '1', 'and focus shows them');
    assert.deepEqual(await view.expectPost('exportConversation', () => second.locator('.conversation-export').click()), { type: 'exportConversation', id: 'c2' });
    await second.locator('.conversation-rename').click();
    await page.locator('.conversation-rename-input').fill('Refactoring plan');
    assert.deepEqual(await view.expectPost('renameConversation', () => page.locator('.conversation-rename-input').press('Enter')), {
      type: 'renameConversation',
      id: 'c2',
      title: 'Refactoring plan',
    });
    assert.deepEqual(await view.expectPost('deleteConversation', () => second.locator('.conversation-delete').click()), { type: 'deleteConversation', id: 'c2' });
    assert.deepEqual(await view.expectPost('selectConversation', () => second.locator('.conversation-open').click()), { type: 'selectConversation', id: 'c2' });
    assert.equal(await page.locator('#conversation-panel').isVisible(), false, 'the list closes after switching');
  });

  it("loads with VS Code's icon font from its own files and no console error", async () => {
    const { view } = fixture;
    const page = view.page;
    await view.deliver(init([assistantMessage('a1', '```ts\nconst a = 1;\n```')]));
    await page.evaluate(() => document.fonts.ready);
    assert.equal(await page.evaluate(() => document.fonts.check('16px codicon')), true, 'the codicon font loaded under the CSP');
    assert.ok(view.requests.some((url) => new URL(url).pathname === '/codicons/codicon.ttf'), 'from the page\'s own origin');
    const glyph = await page.locator('#send .codicon').evaluate((el) => getComputedStyle(el, '::before').content);
    assert.notEqual(glyph, 'none');
    assert.deepEqual(view.consoleErrors, []);
  });

  it('searches conversations and shows the results', async () => {
    const { view } = fixture;
    const page = view.page;
    await view.deliver(init([]));
    await view.deliver({ type: 'showConversations' });
    assert.deepEqual(await view.expectPost('searchConversations', () => page.locator('#conversation-search').fill('refac')), {
      type: 'searchConversations',
      query: 'refac',
    });
    await view.deliver({ type: 'conversations', query: 'refac', conversations: [{ id: 'c2', title: 'Refactoring ideas', updatedAt: 1, messageCount: 6 }] });
    assert.deepEqual(await page.locator('.conversation-title').allTextContents(), ['Refactoring ideas']);
    await view.deliver({ type: 'conversations', query: 'zzz', conversations: [] });
    assert.match((await page.locator('#conversation-list').textContent()) ?? '', /No conversation matches/);
  });

  it('shows the title the host gives a new conversation at once, in the heading and the list', async () => {
    const { view } = fixture;
    const page = view.page;
    await view.deliver(init([], { conversation: conversation([], 'c3', 'New chat') }));
    assert.equal(await page.locator('#conversation-title').textContent(), 'New chat');
    await view.deliver(
      { type: 'messageAdded', message: userMessage('u1', 'How do I parse JSON?') },
      { type: 'conversations', conversations: [{ id: 'c3', title: 'How do I parse JSON?', updatedAt: 2, messageCount: 1 }, ...SUMMARIES] },
    );
    assert.equal(await page.locator('#conversation-title').textContent(), 'How do I parse JSON?');
    assert.equal(await page.locator('.conversation-item[data-id="c3"] .conversation-title').textContent(), 'How do I parse JSON?');
    // A search result list without the open conversation leaves its heading alone.
    await view.deliver({ type: 'conversations', query: 'refac', conversations: SUMMARIES.slice(1) });
    assert.equal(await page.locator('#conversation-title').textContent(), 'How do I parse JSON?');
  });

  it('leaves New Chat and History to the view title, whose History icon opens and closes the list', async () => {
    const { view } = fixture;
    const page = view.page;
    await view.deliver(init([]));
    assert.equal(await page.locator('.header button').count(), 0, 'no header button repeats a view-title icon');
    assert.equal(await page.locator('#conversation-panel').isVisible(), false);

    await view.deliver({ type: 'showConversations' });
    assert.equal(await page.locator('#conversation-panel').isVisible(), true);
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'conversation-search', 'the keyboard lands in the search box');
    await page.keyboard.press('Escape');
    assert.equal(await page.locator('#conversation-panel').isVisible(), false);
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'prompt', 'closing the list gives focus back to the prompt');

    await view.deliver({ type: 'showConversations' }, { type: 'showConversations' });
    assert.equal(await page.locator('#conversation-panel').isVisible(), false, 'a second click on the icon closes the list');
  });

  it('shows the whole model name in the composer picker at the default sidebar width', async () => {
    const { view } = fixture;
    const page = view.page;
    await page.setViewportSize({ width: 300, height: 600 });
    // VS Code's default UI font (the harness has no theme variables, so its text would be 16 px serif).
    await page.evaluate(() => {
      document.documentElement.style.setProperty('--vscode-font-family', 'system-ui, sans-serif');
      document.documentElement.style.setProperty('--vscode-font-size', '13px');
    });
    await view.deliver(init([]));
    assert.equal(await page.locator('.header #model-picker').count(), 0, 'the picker lives in the composer, not the header');
    const label = page.locator('#model-picker .model-picker-label');
    for (const [model, shown] of [
      ['fake-model', 'fake-model'],
      ['gpt-4o-mini', 'gpt-4o-mini'],
      ['onnx-community--Qwen2.5-0.5B-Instruct@0123456789ab', 'Qwen2.5-0.5B-Instruct'],
    ]) {
      await view.deliver({ type: 'status', status: { ...STATUS, model } });
      assert.equal(await label.textContent(), shown);
      assert.match((await page.locator('#model-picker').getAttribute('title')) ?? '', new RegExp(model.replace(/[.@]/g, '\\$&')), 'the tooltip names it in full');
      const cut = await label.evaluate((el) => el.scrollWidth > el.clientWidth + 1);
      assert.equal(cut, false, `${shown} is shown whole at 300 px`);
    }
    const picker = await page.locator('#model-picker').boundingBox();
    const send = await page.locator('#send').boundingBox();
    assert.ok(picker && send && picker.x + picker.width <= send.x, 'the picker leaves the send button its place');
  });

  it('offers the next step in the empty state: an API key for a remote provider without one, a real local model', async () => {
    const { view } = fixture;
    const page = view.page;
    await view.deliver(init([]));
    assert.equal(await page.locator('#empty-next-step').isVisible(), false, 'nothing to offer when the host names no step');

    const noKey = { ...STATUS, providerId: 'openai', providerLabel: 'OpenAI-compatible', modelsError: 'The API at https://api.example.com/v1 wants an API key (401)', nextStep: 'setApiKey' as const };
    await view.deliver({ type: 'status', status: noKey });
    assert.match((await page.locator('#empty-next-step').textContent()) ?? '', /OpenAI-compatible needs an API key/);
    assert.deepEqual(await view.expectPost('setApiKey', () => page.getByRole('button', { name: 'Set the API key for OpenAI-compatible' }).click()), {
      type: 'setApiKey',
      providerId: 'openai',
    });

    await view.deliver({ type: 'status', status: { ...STATUS, nextStep: 'downloadModel' } });
    assert.equal(await page.locator('.empty-set-key').count(), 0, 'the key step is gone with the remote provider');
    assert.deepEqual(await view.expectPost('downloadModel', () => page.locator('#empty-next-step button', { hasText: 'Download a model' }).click()), { type: 'downloadModel' });

    await view.deliver({ type: 'status', status: STATUS });
    assert.equal(await page.locator('#empty-next-step').isVisible(), false, 'a step done is no longer offered');
  });

  it('shows tokens so far while an answer streams, then the finished answer\'s speed', async () => {
    const { view } = fixture;
    const page = view.page;
    const speed = page.locator('#status-speed');
    await view.deliver(init([userMessage('u1', 'Count to three')]));
    assert.equal(await speed.textContent(), '42.5 tok/s · first token 180 ms');
    const [added, ...rest] = streamedAnswer('a1', 'one two three', 4);
    const deltas = rest.filter((m) => m.type === 'delta');
    assert.ok(added && deltas.length === 4);
    await view.deliver(added, ...deltas.slice(0, 3));
    assert.match((await speed.textContent()) ?? '', /^3 tokens( · [\d.]+ tok\/s)?$/);
    assert.equal(await speed.getAttribute('title'), 'This answer so far');
    await view.deliver({ type: 'delta', messageId: 'other', text: 'x' }, ...deltas.slice(3));
    assert.match((await speed.textContent()) ?? '', /^4 tokens/, 'only the streaming answer counts');
    // The host posts the final figures after messageDone; until then the last answer's line is back.
    await view.deliver({ type: 'messageDone', messageId: 'a1', status: 'complete' });
    assert.equal(await speed.textContent(), '42.5 tok/s · first token 180 ms');
    await view.deliver({ type: 'status', status: { ...STATUS, lastStats: { tokensPerSecond: 30, timeToFirstTokenMs: 90 } } });
    assert.equal(await speed.textContent(), '30.0 tok/s · first token 90 ms');
  });

  it('shows a delete notice with Undo, and dismisses notices', async () => {
    const { view } = fixture;
    const page = view.page;
    await view.deliver(init([]), { type: 'notice', level: 'info', text: "Deleted 'Refactoring ideas'.", undo: true });
    assert.equal(await page.locator('#notice .notice-text').textContent(), "Deleted 'Refactoring ideas'.");
    assert.deepEqual(await view.expectPost('undoDelete', () => page.locator('#notice .notice-undo').click()), { type: 'undoDelete' });
    assert.equal(await page.locator('#notice').isVisible(), false);

    await view.deliver({ type: 'notice', level: 'warning', text: 'Context is almost full.' });
    assert.equal(await page.locator('#notice .notice-undo').isVisible(), false);
    await page.getByRole('button', { name: 'Dismiss notice' }).click();
    assert.equal(await page.locator('#notice').isVisible(), false);
  });

  it('picks provider and model from one list grouped by provider, by mouse and by keyboard', async () => {
    const { view } = fixture;
    const page = view.page;
    await view.deliver(init([]));
    const picker = page.locator('#model-picker');
    assert.equal(await picker.getAttribute('data-provider'), 'local');
    assert.equal(await picker.textContent(), 'tiny-test-model');
    await picker.click();
    const list = page.getByRole('listbox', { name: 'Provider and model' });
    assert.ok(await list.isVisible());
    assert.deepEqual(await list.locator('.popup-group-label').allTextContents(), ['Localon this computer', 'OpenAI-compatible']);
    assert.deepEqual(await list.getByRole('option').allTextContents(), ['tiny-test-model', 'other-model', 'Other model…', 'Use OpenAI-compatible']);
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'tiny-test-model', 'focus starts on the current model');
    assert.deepEqual(await view.expectPost('selectModel', () => list.getByRole('option', { name: 'other-model' }).click()), { type: 'selectModel', model: 'other-model' });
    assert.equal(await list.isVisible(), false, 'a pick closes the list');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'model-picker', 'and gives focus back to the picker');

    // Keyboard only: open, move to the other provider, pick it.
    await page.keyboard.press('ArrowDown');
    assert.ok(await list.isVisible());
    await page.keyboard.press('End');
    assert.deepEqual(await view.expectPost('selectProvider', () => page.keyboard.press('Enter')), { type: 'selectProvider', providerId: 'openai' });

    // A typed name, for a model the list does not have.
    await picker.click();
    await list.getByRole('option', { name: 'Other model…' }).click();
    await page.locator('#model-name').fill('my-own-model');
    assert.deepEqual(await view.expectPost('selectModel', () => page.locator('#model-name').press('Enter')), { type: 'selectModel', model: 'my-own-model' });
    await picker.click();
    await page.keyboard.press('Escape');
    assert.equal(await list.isVisible(), false, 'Escape closes the list');

    await view.deliver({ type: 'status', status: { ...STATUS, providerId: 'openai', providerLabel: 'OpenAI-compatible', model: 'gpt-4o-mini', device: undefined } });
    assert.equal(await picker.textContent(), 'gpt-4o-mini');
    assert.equal(await page.locator('#status-model').textContent(), 'OpenAI-compatible · gpt-4o-mini');
    assert.equal(await page.locator('#status-device').isVisible(), false);
  });

  it('names where each answer came from and where the next message goes', async () => {
    const { view } = fixture;
    const page = view.page;
    const remote = { ...assistantMessage('a1', 'From afar.'), providerId: 'openai', model: 'gpt-4o-mini', endpoint: 'api.example.com', stats: { cost: { amount: 0.00314, currency: 'USD' } } };
    const local = { ...assistantMessage('a2', 'From here.'), providerId: 'local', endpoint: 'this computer', stats: { cost: { amount: 0, currency: 'USD' } } };
    const conversationCost = [{ amount: 0.00314, currency: 'USD' }, { amount: 0.5, currency: 'CNY' }];
    await view.deliver(init([userMessage('u1', 'Hi'), remote, userMessage('u2', 'Again'), local], { status: { ...STATUS, endpoint: 'api.example.com', conversationCost } }));
    assert.equal(await page.locator('.message[data-id="a1"] .message-endpoint').textContent(), 'gpt-4o-mini · from api.example.com · $0.0031');
    assert.equal(await page.locator('.message[data-id="a2"] .message-endpoint').textContent(), 'on this computer · free');
    assert.match((await page.locator('#status-speed').textContent()) ?? '', /this chat \$0\.0031 \+ CN¥0\.5/);
    assert.equal(await page.locator('.message[data-id="u1"] .message-endpoint').count(), 0, 'only answers carry an origin');
    assert.equal(await page.locator('#status-endpoint').textContent(), '→ api.example.com');
    await view.deliver({ type: 'status', status: { ...STATUS, endpoint: 'this computer' } });
    assert.equal(await page.locator('#status-endpoint').textContent(), 'on this computer');
  });

  it("marks a cost priced from a preset's table, with the date it was checked", async () => {
    const { view } = fixture;
    const page = view.page;
    const priced = { ...assistantMessage('a1', 'Priced.'), providerId: 'endpoint:claude', model: 'claude-sonnet-5', endpoint: 'api.anthropic.com', stats: { cost: { amount: 0.012, currency: 'USD', presetChecked: '2026-12-05' } } };
    const conversationCost = [{ amount: 0.012, currency: 'USD', presetChecked: '2026-12-05' }];
    await view.deliver(init([userMessage('u1', 'Hi'), priced], { status: { ...STATUS, endpoint: 'api.anthropic.com', conversationCost } }));
    assert.equal(await page.locator('.message[data-id="a1"] .message-endpoint').textContent(), 'claude-sonnet-5 · from api.anthropic.com · $0.012 (preset price, checked 2026-12-05)');
    assert.match((await page.locator('#status-speed').textContent()) ?? '', /this chat \$0\.012 \(preset price, checked 2026-12-05\)/);
  });

  it('says why a provider has no model list, and still takes a typed name', async () => {
    const { view } = fixture;
    const page = view.page;
    await view.deliver(init([], { status: { ...STATUS, providerId: 'openai', providerLabel: 'OpenAI-compatible', models: [], modelsError: 'The API at https://api.example.com/v1 wants an API key (401).' } }));
    const picker = page.locator('#model-picker');
    assert.match((await picker.getAttribute('title')) ?? '', /Could not list the models: .*wants an API key \(401\)/);
    await picker.click();
    await page.getByRole('option', { name: 'Type a model name (no list: see the picker tooltip)…' }).click();
    await page.locator('#model-name').fill('gpt-typed');
    assert.deepEqual(await view.expectPost('selectModel', () => page.locator('#model-name').press('Enter')), { type: 'selectModel', model: 'gpt-typed' });
    await view.deliver({ type: 'status', status: { ...STATUS, providerId: 'openai', providerLabel: 'OpenAI-compatible', models: ['a', 'b'] } });
    assert.doesNotMatch((await picker.getAttribute('title')) ?? '', /Could not list/, 'a list that works again drops the old reason');
  });

  it('attaches and removes context chips', async () => {
    const { view } = fixture;
    const page = view.page;
    await view.deliver(init([]));
    assert.equal(await page.getByRole('button', { name: /^Attach the/ }).count(), 0, 'one attach (+) menu, not a button per kind');
    const attach = page.getByRole('button', { name: 'Attach context' });
    for (const [name, kind] of [['Attach the editor selection', 'selection'], ['Attach the active file', 'file'], ['Attach the problems of the active file', 'problems']] as const) {
      await attach.click();
      assert.deepEqual(await view.expectPost('attachContext', () => page.getByRole('menuitem', { name }).click()), { type: 'attachContext', kind });
      assert.equal(await page.getByRole('menu').isVisible(), false);
    }
    // By keyboard: Enter opens the menu on its first item, Down moves, Enter attaches.
    await attach.focus();
    await page.keyboard.press('Enter');
    await page.keyboard.press('ArrowDown');
    assert.deepEqual(await view.expectPost('attachContext', () => page.keyboard.press('Enter')), { type: 'attachContext', kind: 'file' });
    await view.deliver({ type: 'chips', chips: [{ id: 'k1', kind: 'file', label: 'main.ts', tokens: 812 }] });
    const chip = page.locator('.chip[data-id="k1"]');
    assert.equal(await chip.locator('.chip-label').textContent(), 'main.ts');
    assert.equal(await chip.locator('.chip-tokens').textContent(), '812 tok');
    assert.deepEqual(await view.expectPost('removeContext', () => chip.getByRole('button', { name: 'Remove main.ts' }).click()), { type: 'removeContext', id: 'k1' });
  });
});
