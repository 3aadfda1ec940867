// The panel as a user meets it in a real VS Code (code-server) and browser: no console error on load, the
// main states saved as screenshots for review (out/screenshots/), a 1 MB answer that streams to the end,
// stays scrollable and survives a reload, and a link in an answer that opens one target, once, only after
// Hearth's host-side check.
import * as assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from '@playwright/test';
import type { ConsoleMessage, FrameLocator, Page } from 'playwright-core';
import { showHearth, showViewContainer, viewTitleAction } from './support/activityBar';
import { conversationsDir, readConversationFiles } from './support/conversationFiles';
import { useFakeOpenAiWorkbench } from './support/hooks';
import type { Workbench } from './support/workbench';

const screenshots = join(__dirname, '..', '..', 'out', 'screenshots');
const patient = expect.configure({ timeout: 30_000 });

/** Console errors of the Hearth webview (its documents live under VS Code's webview pre/ folder). */
const webviewErrors: string[] = [];
function recordWebviewErrors(workbench: Workbench): void {
  workbench.page.on('console', (message: ConsoleMessage) => {
    const where = message.location().url;
    if (message.type() === 'error' && /webview|hearth/i.test(where)) webviewErrors.push(`${message.text()} (${where})`);
  });
}

async function screenshot(page: Page, name: string, options: { keepPointer?: boolean } = {}): Promise<void> {
  mkdirSync(screenshots, { recursive: true });
  // Away from the activity bar and the panel, whose hover tooltips would cover what is shown.
  if (!options.keepPointer) await page.mouse.move(900, 700);
  // A side-bar edge just dragged stays highlighted until the pointer has left it.
  await patient(page.locator('.monaco-sash.hover, .monaco-sash.active')).toHaveCount(0);
  // And a workbench hover (the activity bar's "Hearth" tooltip) fades once the pointer has left it.
  if (!options.keepPointer) await patient(page.locator('.workbench-hover')).toHaveCount(0);
  await page.screenshot({ path: join(screenshots, `${name}.png`) });
}

async function ask(view: FrameLocator, question: string): Promise<void> {
  const prompt = view.locator('#prompt');
  await patient(prompt).toBeEditable();
  await prompt.fill(question);
  await prompt.press('Enter');
}

/** Drags the sash between the side bar and the editor so the side bar is `width` px wide. */
async function setSidebarWidth(page: Page, width: number): Promise<void> {
  const sidebar = page.locator('.part.sidebar');
  const box = await sidebar.boundingBox();
  if (!box) throw new Error('no side bar');
  const edge = box.x + box.width;
  const sashes = page.locator('.monaco-sash.vertical');
  let handle: { x: number; y: number } | undefined;
  for (let i = 0; i < (await sashes.count()); i++) {
    const sash = await sashes.nth(i).boundingBox();
    if (sash && sash.height > box.height / 2 && Math.abs(sash.x + sash.width / 2 - edge) < 8) handle = { x: sash.x + sash.width / 2, y: sash.y + sash.height / 2 };
  }
  if (!handle) throw new Error('no sash at the side bar\'s edge');
  await page.mouse.move(handle.x, handle.y);
  await page.mouse.down();
  await page.mouse.move(handle.x + (box.x + width - edge), handle.y, { steps: 8 });
  await page.mouse.up();
  await patient.poll(async () => Math.abs(Math.round((await sidebar.boundingBox())?.width ?? 0) - width)).toBeLessThan(12);
  // Off the sash, which VS Code highlights (a blue edge in the screenshots) while the pointer rests on it,
  // and until its highlight has faded out (a 0.1 s CSS transition on the sash's ::before).
  await page.mouse.move(box.x + width + 200, handle.y);
  const highlighted = () => page.evaluate(() => [...document.querySelectorAll('.monaco-sash')].filter((e) => !/rgba\(\d+, \d+, \d+, 0\)|transparent/.test(getComputedStyle(e, '::before').backgroundColor)).length);
  await patient.poll(highlighted).toBe(0);
}

/** A row of the open quick pick whose label is exactly `label` (not a longer entry that contains it). */
function quickPickRow(page: Page, label: string) {
  const exact = new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
  return page.locator('.quick-input-list .monaco-list-row').filter({ has: page.locator('.label-name', { hasText: exact }) });
}

/** Picks a color theme as a user does: Command Palette, Preferences: Color Theme, a click on the theme. */
async function pickColorTheme(page: Page, theme: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await patient(input).toBeVisible();
  await input.fill('>Preferences: Color Theme');
  // Not "Browse Color Themes in Marketplace", which also matches and needs the internet.
  await quickPickRow(page, 'Preferences: Color Theme').click();
  await quickPickRow(page, theme).click();
  await patient(page.locator('.quick-input-widget')).toBeHidden();
}

describe('Hearth panel states in VS Code (e2e)', function () {
  const fixture = useFakeOpenAiWorkbench({ beforeShow: recordWebviewErrors });
  const assistantMessages = () => fixture.view.locator('#messages .message[data-role="assistant"]');

  it('loads without a console error, in the empty state, at a narrow and a wide side bar', async () => {
    const { view, workbench } = fixture;
    await patient(view.locator('#empty-state')).toBeVisible();
    await patient(view.locator('#model-picker')).toHaveAttribute('data-model', 'fake-model');
    await expect(view.locator('#model-picker .model-picker-label')).toHaveText('fake-model');
    assert.deepEqual(webviewErrors, [], 'the webview logged errors on load');
    await screenshot(workbench.page, 'empty');
    await setSidebarWidth(workbench.page, 240);
    await screenshot(workbench.page, 'narrow-sidebar');
    // The model's name is not cut even here.
    assert.equal(await view.locator('#model-picker .model-picker-label').evaluate((el) => el.scrollWidth <= el.clientWidth + 1), true);
    await setSidebarWidth(workbench.page, 520);
    await screenshot(workbench.page, 'wide-sidebar');
    await setSidebarWidth(workbench.page, 340);
  });

  it('streams, answers with code, shows an error, and lists the history (screenshots of each)', async () => {
    const { view, workbench, server } = fixture;
    server.setScenario({ kind: 'slow', chunk: 'Streaming words arrive one by one, ', intervalMs: 40 });
    await ask(view, 'Show me a streaming answer');
    const streaming = assistantMessages().last();
    await patient(streaming.locator('.message-body')).toContainText('one by one, Streaming');
    await screenshot(workbench.page, 'streaming');
    await view.locator('#stop').click();
    await patient(streaming).toHaveAttribute('data-status', 'stopped');

    server.setScenario({ kind: 'ok' });
    await ask(view, 'Write a small function');
    await patient(assistantMessages().last()).toHaveAttribute('data-status', 'complete');
    await expect(assistantMessages().last().locator('.code-frame')).toHaveCount(1);
    await screenshot(workbench.page, 'code-answer');

    await viewTitleAction(workbench.page, 'New Chat').click();
    await patient(assistantMessages()).toHaveCount(0);
    server.setScenario({ kind: 'status', status: 401, message: 'Incorrect API key provided.' });
    await ask(view, 'This one fails');
    await patient(assistantMessages().last()).toHaveAttribute('data-status', 'error');
    await expect(assistantMessages().last().locator('.message-error')).toBeVisible();
    await screenshot(workbench.page, 'error');
    // The error's button runs Set API Key for this endpoint: VS Code's input box asks for the key.
    await assistantMessages().last().locator('.message-error-remedy', { hasText: 'Set API Key…' }).click();
    const keyBox = workbench.page.locator('.quick-input-widget');
    await patient(keyBox.locator('.quick-input-title')).toContainText('Hearth: API key for');
    await expect(keyBox.locator('input[type="password"]')).toBeVisible();
    await screenshot(workbench.page, 'error-set-key');
    await workbench.page.keyboard.press('Escape');
    await patient(keyBox).toBeHidden();
    // A model the server does not know: Select Model… opens the model list.
    server.setScenario({ kind: 'status', status: 404, message: 'The model `fake-model` does not exist.' });
    await assistantMessages().last().locator('.message-action[data-action="regenerate"]').click();
    const modelRemedy = assistantMessages().last().locator('.message-error-remedy', { hasText: 'Select Model…' });
    await patient(modelRemedy).toBeVisible();
    await modelRemedy.click();
    await patient(keyBox.locator('.quick-input-title')).toHaveText('Hearth: choose a model');
    await patient(quickPickRow(workbench.page, 'fake-model-mini')).toBeVisible();
    await workbench.page.keyboard.press('Escape');
    await patient(keyBox).toBeHidden();
    // Too long for the model: New Chat starts one.
    server.setScenario({ kind: 'status', status: 400, code: 'context_length_exceeded', message: 'This model maximum context length is 4096 tokens.' });
    await assistantMessages().last().locator('.message-action[data-action="regenerate"]').click();
    const newChatRemedy = assistantMessages().last().locator('.message-error-remedy', { hasText: 'New Chat' });
    await patient(newChatRemedy).toBeVisible();

    // The failed try is not kept as its own history entry once the user moves on.
    const failedTitle = 'This one fails';
    server.setScenario({ kind: 'ok' });
    await newChatRemedy.click();
    await patient(assistantMessages()).toHaveCount(0);
    await viewTitleAction(workbench.page, 'Show Conversations').click();
    const rows = view.locator('#conversation-list .conversation-item');
    await patient(rows.first()).toBeVisible();
    await expect(rows.filter({ hasText: failedTitle })).toHaveCount(0);
    await expect(rows.filter({ hasText: 'Show me a streaming answer' })).toHaveCount(1);
    // The pointer on a row: its action icons show, as they do for a user.
    await rows.first().hover();
    await patient(rows.first().locator('.conversation-actions')).toHaveCSS('opacity', '1');
    await screenshot(workbench.page, 'history', { keepPointer: true });
    await view.locator('#conversation-search').press('Escape');
  });

  it('looks right in the light and the dark theme', async () => {
    const { view, workbench } = fixture;
    await ask(view, 'Write a small function');
    await patient(assistantMessages().last()).toHaveAttribute('data-status', 'complete');
    // code-server 4.139 starts in "Light 2026".
    await pickColorTheme(workbench.page, 'Dark 2026');
    await patient(view.locator('body')).toHaveClass(/vscode-dark/);
    await screenshot(workbench.page, 'dark-theme');
    await pickColorTheme(workbench.page, 'Light 2026');
    await patient(view.locator('body')).toHaveClass(/vscode-light/);
    await screenshot(workbench.page, 'light-theme');
  });

  it('streams a 1 MB answer to the end; it stays scrollable, is saved and comes back after a reload', async function () {
    this.timeout(300_000);
    const { workbench, server } = fixture;
    let view = fixture.view;
    await viewTitleAction(workbench.page, 'New Chat').click();
    // One table that keeps growing: the shape that froze the panel before.
    const rows = ['| # | value | note |\n|---|---|---|\n'];
    let size = rows[0]?.length ?? 0;
    for (let i = 0; size < 1_000_000; i++) {
      const row = `| row-${i} | ${(i * 7919) % 100_003} | a long runaway table row that repeats itself |\n`;
      rows.push(row);
      size += row.length;
    }
    const lastRow = `row-${rows.length - 2}`;
    const chunks: string[] = [];
    for (let i = 0; i < rows.length; i += 10) chunks.push(rows.slice(i, i + 10).join(''));
    server.setScenario({ kind: 'ok', chunks });
    await ask(view, 'A runaway table, please');
    const answer = assistantMessages().last();
    await expect(answer).toHaveAttribute('data-status', 'complete', { timeout: 240_000 });
    const id = await answer.getAttribute('data-id');
    assert.ok(id);

    const messages = view.locator('#messages');
    const scroll = await messages.evaluate((el) => {
      el.scrollTop = 0;
      const top = el.scrollTop;
      el.scrollTop = el.scrollHeight;
      return { top, bottom: el.scrollTop, scrollable: el.scrollHeight > el.clientHeight };
    });
    assert.ok(scroll.scrollable && scroll.top === 0 && scroll.bottom > 0, JSON.stringify(scroll));
    await expect(answer.locator('.message-body')).toContainText(lastRow);
    // Typing still works right after.
    await view.locator('#prompt').fill('still responsive');
    await expect(view.locator('#prompt')).toHaveValue('still responsive');
    await view.locator('#prompt').fill('');

    const dir = conversationsDir(workbench.profile.userDataDir);
    await patient
      .poll(() => [...readConversationFiles(dir).values()].find((s) => s.conversation.messages.some((m) => m.id === id))?.conversation.messages.at(-1)?.content.length ?? 0)
      .toBe(size);

    await workbench.page.reload();
    await expect(workbench.page.locator('.monaco-workbench')).toBeVisible({ timeout: 60_000 });
    view = await showHearth(workbench.page);
    const reloaded = view.locator(`#messages .message[data-id="${id}"]`);
    await expect(reloaded).toHaveAttribute('data-status', 'complete', { timeout: 120_000 });
    await expect(reloaded.locator('.message-body')).toContainText(lastRow, { timeout: 60_000 });
    await showViewContainer(workbench.page, 'Hearth');
  });

  it('opens a link from an answer once, to one target, after the host-side check', async () => {
    const { workbench, server } = fixture;
    const view = await showHearth(workbench.page);
    await viewTitleAction(workbench.page, 'New Chat').click();
    const target = `http://127.0.0.1:${server.port}/open-me-once`;
    server.setScenario({ kind: 'ok', chunks: [`The admin page is [here](${target}).`] });
    await ask(view, 'Where is the admin page?');
    await patient(assistantMessages().last()).toHaveAttribute('data-status', 'complete');

    const opened: string[] = [];
    workbench.page.context().on('page', (page) => opened.push(page.url()));
    const hits = () => server.requests.filter((r) => r.path.endsWith('/open-me-once')).length;
    await assistantMessages().last().locator('a', { hasText: 'here' }).click();
    // Loopback: Hearth first shows the whole URL with Open / Copy (VS Code's modal dialog).
    const dialog = workbench.page.locator('.monaco-dialog-box');
    await patient(dialog).toContainText(target);
    assert.equal(hits(), 0, 'nothing opened before the user agreed');
    await dialog.getByRole('button', { name: 'Open', exact: true }).click();
    // code-server may ask once more for an external site; that is VS Code's own check of the same open.
    await patient
      .poll(async () => {
        if (hits() === 0 && (await dialog.isVisible())) await dialog.getByRole('button', { name: /^Open/ }).first().click();
        return hits();
      })
      .toBe(1);
    await patient.poll(() => opened.length).toBe(1);
    await expect(dialog).toBeHidden();
    assert.equal(hits(), 1, 'the target was opened once');
    assert.equal(opened.length, 1, 'one browser tab opened');
    for (const page of workbench.page.context().pages()) if (page !== workbench.page) await page.close();
  });
});
