// The packaged extension in a real VS Code (code-server) and a real browser: open the Hearth panel, ask a
// question, watch the streamed answer render; stop a slow answer and check it stays stopped; answer with the
// bundled demo model on the local engine.
import * as assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from '@playwright/test';
import type { FakeOpenAiServer } from '../support/fakeOpenAiServer';
import { viewTitleAction } from './support/activityBar';
import { useFakeOpenAiWorkbench } from './support/hooks';

const screenshots = join(__dirname, '..', '..', 'out', 'screenshots');

// The workbench and its webview load slowly on a busy 2-core machine; each expectation still waits for a state.
const patient = expect.configure({ timeout: 30_000 });

describe('Hearth chat in VS Code (e2e)', function () {
  const fixture = useFakeOpenAiWorkbench();
  const server = (): FakeOpenAiServer => fixture.server;

  const assistantMessages = () => fixture.view.locator('#messages .message[data-role="assistant"]');

  it('streams an answer to a question typed in the panel', async () => {
    const { view, workbench } = fixture;
    const question = 'What does a hearth do?';
    const prompt = view.locator('#prompt');
    await prompt.fill(question);
    await prompt.press('Enter');

    await patient(view.locator('#messages .message[data-role="user"] .message-body').last()).toHaveText(question);
    const answer = assistantMessages().last();
    await patient(answer).toHaveAttribute('data-status', 'complete');
    await expect(answer.locator('.message-body')).toContainText(`You said: "${question}"`);
    await expect(answer.locator('.message-body')).toContainText('Here is a fake answer with code');
    await expect(answer.locator('.message-body code').first()).toBeVisible();
    await expect(prompt).toHaveValue('');
    // Where the answer came from is named next to it, and where the next message goes in the status line.
    await expect(answer.locator('.message-endpoint')).toContainText(`from ${new URL(server().baseUrl).host}`);
    await expect(view.locator('#status-endpoint')).toHaveText(`→ ${new URL(server().baseUrl).host}`);
    // For a reviewer (CI artifact): the panel after a streamed answer with code.
    mkdirSync(screenshots, { recursive: true });
    // Away from the activity bar, whose hover tooltip would cover the answer.
    await workbench.page.mouse.move(700, 450);
    // Its "Hearth" hover lingers a moment after the pointer has gone: wait until it has faded.
    await patient(workbench.page.locator('.workbench-hover')).toHaveCount(0);
    await workbench.page.screenshot({ path: join(screenshots, 'chat-answer.png') });

    const chat = server().requests.filter((r) => r.path.endsWith('/chat/completions'));
    assert.equal(chat.length, 1);
    assert.deepEqual((chat[0]?.body as { messages: unknown[] }).messages.at(-1), { role: 'user', content: question });
  });

  it('stops a streaming answer: it is marked stopped, stops growing, and the request is cancelled', async () => {
    const { view } = fixture;
    server().setScenario({ kind: 'slow', chunk: 'tick ', intervalMs: 50 });
    const disconnected = server().waitForDisconnect(1);
    const prompt = view.locator('#prompt');
    await prompt.fill('Count slowly for me.');
    await prompt.press('Enter');

    const streaming = assistantMessages().last();
    await patient(streaming).toHaveAttribute('data-status', 'streaming');
    // Pin this message: `.last()` would move on to the next answer.
    const answer = view.locator(`#messages .message[data-id="${await streaming.getAttribute('data-id')}"]`);
    await patient(answer.locator('.message-body')).toContainText('tick tick');
    await view.locator('#stop').click();

    await patient(answer).toHaveAttribute('data-status', 'stopped');
    await expect(view.locator('#stop')).toBeHidden();
    const request = await disconnected;
    assert.ok(request.path.endsWith('/chat/completions'), 'the streaming request was cut off');
    const stoppedText = (await answer.locator('.message-body').textContent()) ?? '';
    assert.match(stoppedText, /tick/);

    // Host-to-webview messages arrive in order, so once a later answer is complete every delta the stopped
    // answer could still have had has been rendered: its text must not have changed.
    server().setScenario({ kind: 'ok', chunks: ['All ', 'done.'] });
    await prompt.fill('Are you still there?');
    await prompt.press('Enter');
    await patient(assistantMessages().last().locator('.message-body')).toHaveText('All done.');
    await patient(assistantMessages().last()).toHaveAttribute('data-status', 'complete');
    await expect(answer.locator('.message-body')).toHaveText(stoppedText);
    await expect(answer).toHaveAttribute('data-status', 'stopped');
  });

  it("shows a reasoning model's thinking in a collapsed Thinking section, and never sends it back", async () => {
    const { view } = fixture;
    server().setScenario({
      kind: 'ok',
      reasoningChunks: ['Think about **hearths**. ', 'E2E-SECRET-THOUGHT.'],
      chunks: ['A hearth ', 'warms.'],
      usage: { prompt_tokens: 5, completion_tokens: 30, completion_tokens_details: { reasoning_tokens: 20 } },
    });
    const prompt = view.locator('#prompt');
    await prompt.fill('Think first: what is a hearth?');
    await prompt.press('Enter');
    await patient(assistantMessages().last().locator('.message-body')).toHaveText('A hearth warms.');
    const answer = view.locator(`#messages .message[data-id="${await assistantMessages().last().getAttribute('data-id')}"]`);
    await patient(answer).toHaveAttribute('data-status', 'complete');
    const section = answer.locator('details.message-thinking');
    await expect(section.locator('summary')).toHaveText(/^Thought for \d+ s$/);
    await expect(section.locator('.message-thinking-body')).toBeHidden();
    await expect(answer.locator('.message-tokens')).toHaveText('20 thinking + 10 tokens');
    await section.locator('summary').click();
    await expect(section.locator('.message-thinking-body strong')).toHaveText('hearths');

    server().setScenario({ kind: 'ok', chunks: ['Yes.'] });
    const before = server().requests.length;
    await prompt.fill('Sure?');
    await prompt.press('Enter');
    await patient(assistantMessages().last().locator('.message-body')).toHaveText('Yes.');
    const followUp = server().requests.slice(before).find((r) => r.path.endsWith('/chat/completions'));
    const messages = (followUp?.body as { messages: Array<{ role: string; content: string }> }).messages;
    assert.deepEqual(messages.slice(-2), [{ role: 'assistant', content: 'A hearth warms.' }, { role: 'user', content: 'Sure?' }]);
    assert.ok(!JSON.stringify(followUp?.body).includes('E2E-SECRET-THOUGHT'), 'the follow-up request carries no reasoning');
  });

  it('answers with the bundled demo model on the local engine (onnxruntime from the VSIX)', async () => {
    const { view, workbench } = fixture;
    const chatRequests = (): number => server().requests.filter((r) => r.path.endsWith('/chat/completions')).length;
    const remoteChats = chatRequests();
    await viewTitleAction(workbench.page, 'New Chat').click();
    await patient(assistantMessages()).toHaveCount(0);
    await view.locator('#model-picker').click();
    await view.getByRole('option', { name: /^Use Local/ }).click();
    await patient(view.locator('#model-picker')).toHaveAttribute('data-provider', 'local');
    const prompt = view.locator('#prompt');
    await prompt.fill('Hello, local model');
    await prompt.press('Enter');

    const answer = assistantMessages().first();
    // The first local answer starts the engine host and loads the model.
    await expect(answer).toHaveAttribute('data-status', 'complete', { timeout: 90_000 });
    await expect(answer.locator('.message-body')).not.toBeEmpty();
    await expect(answer.locator('.message-error')).toHaveCount(0);
    assert.equal(chatRequests(), remoteChats, 'the question did not go to the remote API');
  });
});
