// Compare Models through the real UI: type a question in the Hearth panel, press Compare, run it in the
// editor tab it opens (the bundled demo model on the local engine against the fake OpenAI-compatible
// server), watch both answers finish with their numbers, then continue one in the chat; a side refused for
// its key offers Set API Key….
import * as assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from '@playwright/test';
import type { FrameLocator, Page } from 'playwright-core';
import { useFakeOpenAiWorkbench } from './support/hooks';

const patient = expect.configure({ timeout: 30_000 });
const screenshots = join(__dirname, '..', '..', 'out', 'screenshots');

/** With the Compare panel open there are two Hearth webviews: the document of the one that holds `selector`. */
async function hearthFrameWith(page: Page, selector: string): Promise<FrameLocator> {
  const iframes = page.locator('iframe.webview.ready[src*="extensionId=hearth-dev.hearth"]');
  let found: FrameLocator | undefined;
  await patient(async () => {
    for (let i = 0; i < (await iframes.count()); i++) {
      const frame = iframes.nth(i).contentFrame().frameLocator('#active-frame');
      if ((await frame.locator(selector).count()) > 0) {
        found = frame;
        return;
      }
    }
    throw new Error(`no Hearth webview with ${selector} yet`);
  }).toPass({ timeout: 30_000 });
  if (!found) throw new Error(`no Hearth webview with ${selector}`);
  return found;
}

describe('Compare Models in VS Code (e2e)', function () {
  const e2e = useFakeOpenAiWorkbench();

  it('compares the local model with the remote API side by side, then continues one answer in the chat', async function () {
    this.timeout(180_000);
    const { server, workbench, view } = e2e;
    const question = 'Why run a model on my own machine?';
    await view.locator('#prompt').fill(question);
    await view.locator('#compare').click();

    const compare = await hearthFrameWith(workbench.page, '#compare-prompt');
    await patient(compare.locator('#compare-prompt')).toHaveValue(question);
    await expect(compare.locator('#target-0-provider')).toHaveValue('local');
    await expect(compare.locator('#target-1-provider')).toHaveValue('openai');
    await compare.locator('#compare-run').click();

    const side = (i: 0 | 1) => compare.locator(`.compare-side[data-side="${i}"]`);
    // The remote side finishes long before the engine host has loaded the demo model.
    await patient(side(1)).toHaveAttribute('data-status', 'complete');
    await expect(side(1).locator('.compare-body')).toContainText(`You said: "${question}"`);
    await expect(side(0).locator('.compare-where')).toHaveText('stayed on this machine');
    await expect(side(1).locator('.compare-where')).toHaveText(`sent to ${new URL(server.baseUrl).host}`);
    await expect(side(0)).toHaveAttribute('data-status', 'complete', { timeout: 90_000 });
    await expect(side(0).locator('.compare-body')).not.toBeEmpty();
    await expect(side(0).locator('.stat[data-stat="cost"] dd')).toHaveText('free');
    await expect(side(1).locator('.stat[data-stat="cost"] dd')).toHaveText('unknown');
    for (const i of [0, 1] as const) {
      await expect(side(i).locator('.stat[data-stat="ttft"] dd')).toHaveText(/^\d+(\.\d)? m?s$/);
      await expect(side(i).locator('.stat[data-stat="tokens"] dd')).toHaveText(/^\d+ \/ [1-9]\d*$/);
    }
    await expect(compare.locator('#compare-stop')).toBeHidden();
    mkdirSync(screenshots, { recursive: true });
    await workbench.page.screenshot({ path: join(screenshots, 'compare.png') });
    const chatRequests = server.requests.filter((r) => r.path.endsWith('/chat/completions'));
    assert.equal(chatRequests.length, 1, 'the remote side asked once; the local side asked nobody');

    await side(1).locator('.compare-continue').click();
    const chat = await hearthFrameWith(workbench.page, '#prompt');
    const answer = chat.locator('#messages .message[data-role="assistant"]').last();
    await patient(answer.locator('.message-body')).toContainText(`You said: "${question}"`);
    await expect(chat.locator('#messages .message[data-role="user"] .message-body').last()).toHaveText(question);
  });

  it("a side refused for its key offers Set API Key…, which asks for the key of that side's endpoint", async function () {
    this.timeout(120_000);
    const { server, workbench } = e2e;
    server.setScenario({ kind: 'status', status: 401, message: 'Incorrect API key provided.' });
    const question = 'This comparison fails';
    const chat = await hearthFrameWith(workbench.page, '#prompt');
    await chat.locator('#prompt').fill(question);
    await chat.locator('#compare').click();
    const compare = await hearthFrameWith(workbench.page, '#compare-prompt');
    await patient(compare.locator('#compare-prompt')).toHaveValue(question);
    // Both sides ask the API (the local engine has no key to refuse).
    await compare.locator('#target-0-provider').selectOption('openai');
    await compare.locator('#compare-run').click();
    const side = (i: 0 | 1) => compare.locator(`.compare-side[data-side="${i}"]`);
    for (const i of [0, 1] as const) await patient(side(i)).toHaveAttribute('data-status', 'error');
    await expect(side(1).locator('.message-error-text')).toContainText('Incorrect API key provided.');
    const remedy = side(1).locator('.message-error-remedy', { hasText: 'Set API Key…' });
    await expect(remedy).toBeVisible();
    await expect(compare.locator('#compare-stop')).toBeHidden();
    await workbench.page.screenshot({ path: join(screenshots, 'compare-error.png') });
    await remedy.click();
    const keyBox = workbench.page.locator('.quick-input-widget');
    await patient(keyBox.locator('.quick-input-title')).toContainText('Hearth: API key for');
    await expect(keyBox.locator('input[type="password"]')).toBeVisible();
    await workbench.page.keyboard.press('Escape');
    await patient(keyBox).toBeHidden();
    server.setScenario({ kind: 'ok' });
  });
});
