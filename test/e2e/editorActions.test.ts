// An editor action through the real UI: right-click inside a function → Hearth → Explain. The function
// (found by the built-in TypeScript extension's outline) arrives in the Hearth panel as a chip with the
// Explain prompt, and the answer streams in.
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from '@playwright/test';
import { useFakeOpenAiWorkbench } from './support/hooks';

// The workbench, the TypeScript server and the webview load slowly on a busy 2-core machine.
const patient = expect.configure({ timeout: 60_000 });

const source = ['const unrelated = 1;', '', 'function greet(name) {', '  return `Hello, ${name}!`;', '}', ''].join('\n');

describe('Hearth editor actions (e2e)', function () {
  this.timeout(180_000);
  const fixture = useFakeOpenAiWorkbench();

  it('Explain from the editor context menu sends the function around the cursor to the panel', async () => {
    const { workbench, view, server } = fixture;
    const { page } = workbench;
    writeFileSync(join(workbench.runDir, 'workspace', 'greet.js'), source);

    // Typed into the quick open's own box: keys sent before it opened would land in the Hearth composer.
    await page.keyboard.press('Control+P');
    const quickOpen = page.locator('.quick-input-widget input');
    await patient(quickOpen).toBeVisible();
    await quickOpen.fill('greet.js');
    // Enter before the file search answered would open nothing.
    await patient(page.locator('.quick-input-list .monaco-list-row', { hasText: 'greet.js' }).first()).toBeVisible();
    await quickOpen.press('Enter');
    const line = page.locator('.editor-instance .view-line', { hasText: 'return `Hello' });
    await patient(line).toBeVisible();

    await line.click();
    await line.click({ button: 'right' });
    await page.getByRole('menuitem', { name: 'Hearth', exact: true }).hover();
    // VS Code's own chat adds an Explain of its own to the menu: the one wanted is in Hearth's submenu.
    await page.locator('.monaco-submenu').getByRole('menuitem', { name: 'Explain', exact: true }).click();

    const user = view.locator('#messages .message[data-role="user"]').last();
    await patient(user.locator('.message-body')).toContainText('Explain this javascript code from greet.js:3-5');
    await expect(user.locator('.message-attachments .chip')).toHaveText('greet.js:3-5');
    const answer = view.locator('#messages .message[data-role="assistant"]').last();
    await patient(answer).toHaveAttribute('data-status', 'complete');
    // The fake server echoes the start of what it got: the attached function comes before the prompt.
    await expect(answer.locator('.message-body')).toContainText('You said: "greet.js:3-5: ```javascript function greet(name)');

    const chat = server.requests.filter((r) => r.path.endsWith('/chat/completions')).at(-1);
    const sent = (chat?.body as { messages: { content: string }[] } | undefined)?.messages.at(-1)?.content ?? '';
    assert.ok(sent.includes('function greet(name) {\n  return `Hello, ${name}!`;\n}'), `the function went to the model: ${sent}`);
    assert.ok(!sent.includes('unrelated'), 'and nothing outside it');
  });

  it('lists Hearth\'s local model in VS Code\'s own Language Models editor, with its context window', async () => {
    const { page } = fixture.workbench;
    await page.keyboard.press('Escape');
    await page.keyboard.press('F1');
    const palette = page.locator('.quick-input-widget input');
    await patient(palette).toBeVisible();
    await palette.fill('>Chat: Manage Language Models');
    const command = page.locator('.quick-input-list .monaco-list-row', { hasText: 'Manage Language Models' }).first();
    await patient(command).toBeVisible();
    await palette.press('Enter');
    // No model is downloaded in this profile: the bundled demo model is the one the engine would run.
    const row = page.locator('.monaco-list-row', { hasText: 'Hearth demo model' });
    await patient(row).toBeVisible();
    await expect(row).toContainText('3K');
    await page.keyboard.press('Escape');
  });
});
