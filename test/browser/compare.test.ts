// The Compare Models panel in a real browser, under the extension's CSP: pickers and Run, two answers
// streaming side by side through the chat's markdown renderer (each with its Thinking section), the
// stats, Stop, Continue in chat, a failed side's fix, and VS Code's own look for its controls.
import * as assert from 'node:assert/strict';
import { CompareToHostSchema, type CompareToHost, type HostToCompare } from '../../src/protocol/compareMessages';
import { launchBrowser, type LaunchedBrowser } from './harness/browser';
import { buildCompareWebview } from './harness/buildCompareWebview';
import { startServer, type TestServer } from './harness/server';
import { WebviewPage } from './harness/webviewPage';

const init: HostToCompare = {
  type: 'init',
  providers: [
    { id: 'local', label: 'Local model', kind: 'local' },
    { id: 'endpoint:deepseek', label: 'DeepSeek', kind: 'remote' },
  ],
  targets: [{ providerId: 'local' }, { providerId: 'endpoint:deepseek', model: 'deepseek-chat' }],
  prompt: 'Explain closures',
  running: false,
};

const started: HostToCompare = {
  type: 'started',
  comparisonId: 'cmp1',
  prompt: 'Explain closures',
  sides: [
    { providerId: 'local', providerLabel: 'Local model', dataWent: 'stayed on this machine', conversationId: 'c-a' },
    { providerId: 'endpoint:deepseek', providerLabel: 'DeepSeek', model: 'deepseek-chat', dataWent: 'sent to api.deepseek.com', conversationId: 'c-b' },
  ],
};

describe('compare panel (browser)', () => {
  let server: TestServer;
  let browser: LaunchedBrowser;
  let view: WebviewPage;

  before(async function () {
    this.timeout(120_000);
    // The server serves the bundle at the chat page's script path: same page, same CSP.
    server = await startServer(await buildCompareWebview());
    browser = await launchBrowser(['--window-size=1100,700']);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });
  beforeEach(async () => {
    view = await WebviewPage.open(browser, server);
    await view.page.setViewportSize({ width: 1100, height: 700 });
    // The panel's own stylesheet, beside chat.css (the extension serves both panels every file in media/).
    await view.page.addStyleTag({ url: `${server.origin}/media/compare.css` });
  });
  afterEach(async () => {
    await view.close();
    assert.deepEqual(view.pageErrors, [], 'the page threw');
    assert.deepEqual(view.foreignRequests(), [], 'the page requested something other than its own files');
  });

  const deliver = (...messages: HostToCompare[]): Promise<void> =>
    view.page.evaluate((all) => all.forEach((m) => window.__hearth.deliver(m as never)), messages);
  /** What the panel posted, validated as the host validates it. */
  const posted = async (): Promise<CompareToHost[]> => (await view.page.evaluate(() => window.__hearth.posted)).map((m) => CompareToHostSchema.parse(m));
  const nextPost = async (type: CompareToHost['type'], action: () => Promise<unknown>): Promise<CompareToHost> => {
    const from = (await posted()).length;
    await action();
    return CompareToHostSchema.parse(await view.page.evaluate(([t, f]) => window.__hearth.waitForPosted(t, f), [type, from] as const));
  };
  const side = (i: 0 | 1) => view.page.locator(`.compare-side[data-side="${i}"]`);

  it('starts from the given prompt and targets, and Compare (or Ctrl+Enter) posts both targets', async () => {
    await deliver(init);
    assert.equal(await view.page.locator('#compare-prompt').inputValue(), 'Explain closures');
    assert.equal(await view.page.locator('#target-0-provider').inputValue(), 'local');
    assert.equal(await view.page.locator('#target-1-provider').inputValue(), 'endpoint:deepseek');
    assert.equal(await view.page.locator('#target-1-model').inputValue(), 'deepseek-chat');
    await view.page.locator('#target-0-model').fill('qwen-0.5b');
    assert.deepEqual(await nextPost('run', () => view.page.locator('#compare-run').click()), {
      type: 'run',
      prompt: 'Explain closures',
      targets: [{ providerId: 'local', model: 'qwen-0.5b' }, { providerId: 'endpoint:deepseek', model: 'deepseek-chat' }],
    });
    await view.page.locator('#compare-prompt').fill('Second question');
    const run = await nextPost('run', () => view.page.locator('#compare-prompt').press('Control+Enter'));
    assert.equal(run.type === 'run' && run.prompt, 'Second question');
  });

  it('streams both answers side by side, then shows each side\'s numbers and where the data went', async () => {
    await deliver(init, started);
    assert.equal(await view.page.locator('#compare-run').isDisabled(), true);
    assert.equal(await view.page.locator('#compare-stop').isVisible(), true);
    await deliver(
      { type: 'delta', side: 0, text: 'A **closure** keeps ' },
      { type: 'delta', side: 1, text: 'Closures capture `x`' },
      { type: 'delta', side: 0, text: 'its scope.' },
    );
    await view.page.locator('.compare-side[data-side="0"] .compare-body strong').waitFor();
    assert.equal((await side(0).locator('.compare-body').textContent())?.trim(), 'A closure keeps its scope.');
    assert.equal(await side(1).locator('.compare-body code').textContent(), 'x');
    assert.equal(await side(0).locator('.compare-where').textContent(), 'stayed on this machine');
    assert.equal(await side(1).locator('.compare-where').textContent(), 'sent to api.deepseek.com');
    assert.equal(await side(1).locator('.compare-side-title').textContent(), 'DeepSeek · deepseek-chat');
    assert.equal(await side(0).locator('.compare-continue').count(), 0, 'nothing to continue while streaming');

    await deliver(
      { type: 'sideDone', side: 1, status: 'complete', stats: { timeToFirstTokenMs: 1460, tokensPerSecond: 61.25, promptTokens: 1200, completionTokens: 300, cost: { amount: 0.00042, currency: 'USD', presetChecked: '2026-12-05' } } },
    );
    await deliver({ type: 'delta', side: 0, text: ' More.' });
    assert.equal(await side(1).getAttribute('data-status'), 'complete');
    assert.equal(await side(0).getAttribute('data-status'), 'streaming', 'one side finishing leaves the other streaming');
    await deliver(
      { type: 'sideDone', side: 0, status: 'complete', stats: { timeToFirstTokenMs: 180, tokensPerSecond: 42.5, promptTokens: 40, completionTokens: 10, cost: { amount: 0, currency: 'USD' } } },
      { type: 'finished' },
    );
    const stat = (i: 0 | 1, key: string) => side(i).locator(`.stat[data-stat="${key}"] dd`).textContent();
    assert.deepEqual(await Promise.all(['ttft', 'rate', 'tokens', 'cost'].map((k) => stat(0, k))), ['180 ms', '42.5 tok/s', '40 / 10', 'free']);
    assert.deepEqual(await Promise.all(['ttft', 'rate', 'tokens', 'cost'].map((k) => stat(1, k))), ['1.5 s', '61.3 tok/s', '1200 / 300', '$0.00042 (preset price, checked 2026-12-05)']);
    assert.equal(await view.page.locator('#compare-stop').isVisible(), false);
    assert.equal(await view.page.locator('#compare-run').isDisabled(), false);
    assert.deepEqual(await nextPost('continueInChat', () => side(1).locator('.compare-continue').click()), { type: 'continueInChat', side: 1 });
  });

  it("shows each side's thinking as the chat does: a collapsed section above its answer, live, then how long it took", async () => {
    await deliver(init, started);
    await deliver({ type: 'reasoningDelta', side: 0, text: 'The user asks about **closures**.' });
    const section = side(0).locator('details.message-thinking');
    await section.locator('strong').waitFor({ state: 'attached' });
    assert.equal(await section.locator('summary').textContent(), 'Thinking…');
    assert.equal(await section.getAttribute('aria-busy'), 'true');
    assert.equal(await section.evaluate((d) => (d as HTMLDetailsElement).open), false, 'collapsed while it streams');
    assert.equal(await section.evaluate((d) => d.nextElementSibling?.classList.contains('compare-body')), true, 'above the answer');
    assert.equal(await side(0).locator('.compare-body').textContent(), '', 'the thinking is not the answer');
    assert.equal(await side(0).locator('.compare-progress').count(), 0, 'a thought is the first token');
    assert.equal(await side(1).locator('.message-thinking').count(), 0, 'the side that has not thought has no section');

    await deliver({ type: 'delta', side: 0, text: 'A closure keeps its scope.' }, { type: 'reasoningDelta', side: 1, text: 'Hmm.' });
    await side(0).locator('.compare-body p').waitFor();
    assert.match((await section.locator('summary').textContent()) ?? '', /^Thought for \d+ s$/, 'the answer began: thinking is over');
    assert.equal(await section.getAttribute('aria-busy'), null);
    assert.equal(await side(1).locator('.message-thinking summary').textContent(), 'Thinking…', 'each side thinks on its own');

    await deliver(
      { type: 'sideDone', side: 0, status: 'complete', stats: { timeToFirstTokenMs: 90, promptTokens: 5, completionTokens: 60, reasoningTokens: 40, thinkingMs: 3_400 } },
      { type: 'sideDone', side: 1, status: 'truncated', stats: { thinkingMs: 61_000 } },
      { type: 'finished' },
    );
    assert.equal(await section.locator('summary').textContent(), 'Thought for 3 s', "the host's measure wins");
    assert.equal(await side(0).locator('.stat[data-stat="thinking"] dd').textContent(), '40 tokens, 3 s');
    assert.equal(await side(1).locator('.message-thinking summary').textContent(), 'Thought for 1 min 1 s', 'cut while thinking: it thought to the end');
    assert.equal(await side(1).locator('.stat[data-stat="thinking"] dd').textContent(), '61 s');
    await section.locator('summary').click();
    assert.equal(await section.evaluate((d) => (d as HTMLDetailsElement).open), true, 'a click opens it');
    assert.equal((await section.locator('.message-thinking-body').textContent())?.trim(), 'The user asks about closures.');

    // The next run starts both sides clean.
    await deliver(started);
    assert.equal(await view.page.locator('.message-thinking').count(), 0);
    await deliver({ type: 'delta', side: 0, text: 'plain' }, { type: 'sideDone', side: 0, status: 'complete', stats: {} });
    await side(0).locator('.compare-body p').waitFor();
    assert.equal(await side(0).locator('.stat[data-stat="thinking"]').count(), 0, 'no thinking figure for a side that did not think');
  });

  it('moves text first shown as the answer into the Thinking section when the host says it was thinking', async () => {
    await deliver(init, started, { type: 'delta', side: 1, text: 'Okay, the user asks about **closures**.' });
    await side(1).locator('.compare-body strong').waitFor();
    await deliver({ type: 'answerWasReasoning', side: 1 }, { type: 'reasoningDelta', side: 1, text: ' Done.' });
    const section = side(1).locator('details.message-thinking');
    await section.locator('strong').waitFor({ state: 'attached' });
    assert.equal(await side(1).locator('.compare-body').textContent(), '', 'the answer starts again');
    assert.equal(await section.locator('summary').textContent(), 'Thinking…');
    await deliver({ type: 'delta', side: 1, text: 'A closure keeps its scope.' }, { type: 'sideDone', side: 1, status: 'complete', stats: { thinkingMs: 2_000 } });
    await side(1).locator('.compare-body p').waitFor();
    assert.equal((await side(1).locator('.compare-body').textContent())?.trim(), 'A closure keeps its scope.');
    assert.equal((await section.locator('.message-thinking-body').textContent())?.trim(), 'Okay, the user asks about closures. Done.');
    assert.equal(await section.locator('summary').textContent(), 'Thought for 2 s');
  });

  it('thinking is model output: no HTML runs, nothing loads, its links go through the host', async () => {
    await deliver(init, started, {
      type: 'reasoningDelta',
      side: 1,
      text: '<img src="https://evil.example/t.png" onerror="__pwned(2)"> see [spec](https://example.com/spec) ![i](https://evil.example/i.png)\n',
    });
    await deliver({ type: 'sideDone', side: 1, status: 'complete', stats: {} });
    const section = side(1).locator('details.message-thinking');
    await section.locator('summary').click();
    const link = section.locator('a', { hasText: 'spec' });
    await link.waitFor();
    assert.equal(await section.locator('img').count(), 0);
    assert.deepEqual(await view.page.evaluate(() => window.__hearth.pwned), []);
    assert.deepEqual(await nextPost('openLink', () => link.click()), { type: 'openLink', url: 'https://example.com/spec' });
    assert.ok(view.page.url().endsWith('/webview.html'), 'the page did not navigate');
  });

  it('Stop and Escape stop both; a failed side says what to do', async () => {
    await deliver(init, started, { type: 'delta', side: 0, text: 'partial' });
    assert.deepEqual(await nextPost('stop', () => view.page.locator('#compare-stop').click()), { type: 'stop' });
    assert.deepEqual(await nextPost('stop', () => view.page.keyboard.press('Escape')), { type: 'stop' });
    await deliver(
      { type: 'sideDone', side: 0, status: 'stopped', stats: {} },
      { type: 'sideDone', side: 1, status: 'error', error: { kind: 'auth', message: 'The API rejected the key.', action: "Run 'Hearth: Set API Key'." }, stats: {} },
      { type: 'finished' },
    );
    assert.equal(await side(0).getAttribute('data-status'), 'stopped');
    assert.equal(await side(0).locator('.compare-note').textContent(), 'Stopped.');
    assert.match((await side(1).locator('.message-error').textContent()) ?? '', /rejected the key\. Run 'Hearth: Set API Key'/);
    // Nothing was counted for the refused side, so there is no cost to be unsure of.
    assert.equal(await side(1).locator('.stat[data-stat="cost"] dd').textContent(), '—');
  });

  it("a side refused for its key offers Set API Key…, which asks the host for that side's key", async () => {
    await deliver(init, started, { type: 'delta', side: 0, text: 'fine' });
    await deliver({
      type: 'sideDone',
      side: 1,
      status: 'error',
      error: { kind: 'auth', message: 'No API key is stored for api.deepseek.com.', action: "Run 'Hearth: Set API Key'.", remedy: 'setApiKey' },
      stats: {},
    });
    const remedy = side(1).locator('.message-error .message-error-remedy');
    assert.equal(await remedy.textContent(), 'Set API Key…', "the chat's label: it runs the same command");
    assert.equal(await remedy.evaluate((b) => b.classList.contains('primary')), true, "the panel's primary button, as in the chat");
    assert.equal(await remedy.isDisabled(), false, 'a key can be set while the other side still answers');
    assert.equal(await side(1).locator('.message-error-text').textContent(), 'No API key is stored for api.deepseek.com.');
    assert.equal(await side(1).locator('.message-error').getAttribute('role'), 'alert');
    assert.deepEqual(await nextPost('setApiKey', () => remedy.click()), { type: 'setApiKey', side: 1 });
    assert.equal(await side(0).locator('.message-error-remedy').count(), 0, 'the side that answered has none');
  });

  it("a side whose model failed offers Change Model: its own model field, once both sides are done", async () => {
    await deliver(init, started, { type: 'delta', side: 1, text: 'still answering' });
    await deliver({ type: 'sideDone', side: 0, status: 'error', error: { kind: 'badModel', message: "Model 'qwen-9b' is not installed.", remedy: 'selectModel' }, stats: {} });
    const remedy = side(0).locator('.message-error-remedy');
    assert.equal(await remedy.textContent(), 'Change Model');
    assert.equal(await remedy.isDisabled(), true, 'the model fields are locked while a side still answers');
    await deliver({ type: 'sideDone', side: 1, status: 'complete', stats: {} }, { type: 'finished' });
    assert.equal(await remedy.isDisabled(), false);
    await view.page.locator('#target-0-model').fill('qwen-9b');
    const before = (await posted()).length;
    await remedy.click();
    assert.equal(await view.page.evaluate(() => document.activeElement?.id), 'target-0-model', "the failed side's field, not the other's");
    assert.deepEqual(
      await view.page.locator('#target-0-model').evaluate((input) => [(input as HTMLInputElement).selectionStart, (input as HTMLInputElement).selectionEnd]),
      [0, 'qwen-9b'.length],
      'selected, so typing replaces it',
    );
    assert.equal((await posted()).length, before, 'nothing to ask the host');
    // The next run starts the side clean.
    await deliver(started);
    assert.equal(await view.page.locator('.message-error-remedy').count(), 0);
  });

  it('offers no fix for an error without one that makes sense in the panel', async () => {
    await deliver(init, started);
    await deliver(
      // New Chat means nothing here (the host does not send it; a stray one shows nothing either).
      { type: 'sideDone', side: 0, status: 'error', error: { kind: 'contextTooLong', message: 'The prompt is too long for the model.', remedy: 'newChat' }, stats: {} },
      { type: 'sideDone', side: 1, status: 'error', error: { kind: 'network', message: 'Could not reach api.deepseek.com.' }, stats: {} },
      { type: 'finished' },
    );
    assert.equal(await view.page.locator('.compare-side .message-error').count(), 2);
    assert.equal(await view.page.locator('.message-error-remedy').count(), 0);
  });

  it("looks like VS Code's own controls in the theme's colours: buttons, dropdowns with a chevron, fields, focus", async () => {
    // Distinct values for the variables VS Code gives a webview (as 2026 Light does, the primary button's border is coloured).
    const theme: Record<string, string> = {
      'button-background': 'rgb(0, 105, 204)',
      'button-foreground': 'rgb(255, 255, 255)',
      'button-border': 'rgb(0, 105, 205)',
      'button-secondaryBackground': 'rgb(234, 234, 234)',
      'button-secondaryForeground': 'rgb(32, 32, 32)',
      'button-secondaryBorder': 'rgb(234, 234, 235)',
      'dropdown-background': 'rgb(255, 255, 254)',
      'dropdown-foreground': 'rgb(32, 32, 33)',
      'dropdown-border': 'rgb(216, 216, 216)',
      'input-background': 'rgb(255, 255, 253)',
      'input-foreground': 'rgb(32, 32, 34)',
      'input-border': 'rgb(216, 216, 217)',
      focusBorder: 'rgb(0, 105, 206)',
    };
    await view.page.evaluate((vars) => {
      for (const [name, value] of Object.entries(vars)) document.documentElement.style.setProperty(`--vscode-${name}`, value);
    }, theme);
    await deliver(init, started, { type: 'sideDone', side: 0, status: 'complete', stats: {} }, { type: 'finished' });
    const style = (selector: string, ...properties: string[]) =>
      view.page.locator(selector).first().evaluate((element, names) => names.map((n) => getComputedStyle(element).getPropertyValue(n)), properties);

    assert.deepEqual(await style('#compare-run', 'background-color', 'color', 'border-top-color'), [theme['button-background'], theme['button-foreground'], theme['button-border']]);
    assert.deepEqual(
      await style('.compare-side[data-side="0"] .compare-continue', 'background-color', 'color', 'border-top-color'),
      [theme['button-secondaryBackground'], theme['button-secondaryForeground'], theme['button-secondaryBorder']],
      'Continue in chat is a secondary button: not the primary border',
    );
    assert.deepEqual(
      await style('#target-0-provider', 'appearance', 'background-color', 'color', 'border-top-color'),
      ['none', theme['dropdown-background'], theme['dropdown-foreground'], theme['dropdown-border']],
    );
    assert.deepEqual(await style('#target-0-model', 'background-color', 'color', 'border-top-color'), [theme['input-background'], theme['input-foreground'], theme['input-border']]);

    // The chevron replaces the native arrow: inside the dropdown's right end, in its colour, not in the way of clicks.
    const select = await view.page.locator('#target-0-provider').boundingBox();
    const chevron = view.page.locator('.compare-target .select-box .codicon-chevron-down').first();
    const box = await chevron.boundingBox();
    assert.ok(select && box, 'the dropdown and its chevron are shown');
    assert.ok(box.x > select.x + select.width / 2 && box.x + box.width <= select.x + select.width, 'at the right end');
    assert.ok(box.y >= select.y && box.y + box.height <= select.y + select.height, 'within its height');
    assert.deepEqual(await style('.compare-target .select-box .codicon-chevron-down', 'color', 'pointer-events'), [theme['dropdown-foreground'], 'none']);
    assert.equal(await view.page.locator('#target-0-provider').evaluate((s) => getComputedStyle(s).paddingRight), '22px', 'the text stops before it');

    // One row: the dropdowns, fields and Compare share a height.
    const heights = await Promise.all(['#target-0-provider', '#target-0-model', '#target-1-provider', '#compare-run'].map(async (s) => (await view.page.locator(s).boundingBox())?.height));
    assert.equal(new Set(heights).size, 1, `heights ${heights.join(', ')}`);

    // Focus shows VS Code's focus border, whether the keyboard or the mouse put it there.
    await view.page.locator('#target-1-provider').focus();
    assert.deepEqual(await style('#target-1-provider', 'outline-style', 'outline-color'), ['solid', theme.focusBorder]);
    await view.page.keyboard.press('Tab');
    assert.equal(await view.page.evaluate(() => document.activeElement?.id), 'target-1-model');
    assert.deepEqual(await style('#target-1-model', 'outline-style', 'outline-color'), ['solid', theme.focusBorder]);

    // A theme (or VS Code) without a secondary border: the button border, as VS Code falls back.
    await view.page.evaluate(() => document.documentElement.style.removeProperty('--vscode-button-secondaryBorder'));
    assert.deepEqual(await style('.compare-continue', 'border-top-color'), [theme['button-border']]);
  });

  it('model output stays inert: no HTML runs, nothing loads, links go through the host', async () => {
    await deliver(init, started, {
      type: 'delta',
      side: 1,
      text: '<img src="https://evil.example/x.png" onerror="__pwned(1)"> [docs](https://example.com/docs) ![i](https://evil.example/i.png)\n',
    });
    await deliver({ type: 'sideDone', side: 1, status: 'complete', stats: {} });
    const link = side(1).locator('.compare-body a', { hasText: 'docs' });
    await link.waitFor();
    // Images are never loaded: the renderer shows them as links.
    assert.equal(await side(1).locator('.compare-body img').count(), 0);
    assert.deepEqual(await view.page.evaluate(() => window.__hearth.pwned), []);
    assert.deepEqual(await nextPost('openLink', () => link.click()), { type: 'openLink', url: 'https://example.com/docs' });
    assert.ok(view.page.url().endsWith('/webview.html'), 'the page did not navigate');
  });

  it('drops messages that are not valid', async () => {
    await deliver(init, started);
    await view.page.evaluate(() => window.__hearth.deliver({ type: 'delta', side: 2, text: 'nope' } as never));
    await deliver({ type: 'delta', side: 0, text: 'valid' });
    await side(0).locator('.compare-body p').waitFor();
    assert.deepEqual((await view.page.locator('.compare-body').allTextContents()).map((t) => t.trim()), ['valid', '']);
  });
});
