// The composer's completion in the real panel: `/` offers the slash commands, `#file:` completes a
// workspace file name from the extension host, and the sent mention reaches the model as the file.
import * as assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from '@playwright/test';
import { useFakeOpenAiWorkbench } from './support/hooks';

const screenshots = join(__dirname, '..', '..', 'out', 'screenshots');
const patient = expect.configure({ timeout: 30_000 });

describe('composer completion in VS Code (e2e)', function () {
  const fixture = useFakeOpenAiWorkbench();

  it('completes /commands and #file: names, and sends the mentioned file to the model', async () => {
    const { view, workbench, server } = fixture;
    const prompt = view.locator('#prompt');
    const list = view.locator('#composer-completions');
    const labels = list.locator('[role="option"] .completion-label');

    await prompt.click();
    await prompt.pressSequentially('/');
    await patient(labels).toHaveText(['/explain', '/fix', '/tests', '/doc', '/review']);
    await prompt.pressSequentially('ex');
    await expect(labels).toHaveText(['/explain']);
    await prompt.press('Enter');
    await expect(prompt).toHaveValue('/explain ');
    await expect(list).toBeHidden();

    await prompt.fill('');
    await prompt.pressSequentially('What is in #file:not');
    // The extension host answers from the workspace (vscode.workspace.findFiles).
    await patient(labels).toHaveText(['notes.md']);
    await expect(prompt).toHaveAttribute('aria-activedescendant', 'composer-completion-0');
    mkdirSync(screenshots, { recursive: true });
    await workbench.page.mouse.move(700, 450);
    await workbench.page.screenshot({ path: join(screenshots, 'composer-completion.png') });
    await prompt.press('Tab');
    await expect(prompt).toHaveValue('What is in #file:notes.md ');
    await expect(view.locator('#mention-chips .chip-label')).toHaveText(['notes.md']);

    await prompt.press('Enter');
    const answer = view.locator('#messages .message[data-role="assistant"]').last();
    await patient(answer).toHaveAttribute('data-status', 'complete');
    await expect(view.locator('#messages .message[data-role="user"]').last().locator('.message-attachments .chip')).toHaveText(['notes.md']);
    const chat = server.requests.filter((r) => r.path.endsWith('/chat/completions'));
    const last = (chat.at(-1)?.body as { messages: Array<{ role: string; content: string }> }).messages.at(-1);
    assert.equal(last?.role, 'user');
    assert.match(last?.content ?? '', /^notes\.md:\n```markdown\n# Notes\n\n?```/);
    assert.match(last?.content ?? '', /What is in #file:notes\.md $/);
  });
});
