// Conversations outlive the panel and the extension host: hiding the view and reloading the window bring the
// same conversation back, and killing the extension host in the middle of a streamed answer (a crash) leaves
// every earlier conversation intact and the interrupted one with its question and most of its text.
import * as assert from 'node:assert/strict';
import { expect } from '@playwright/test';
import type { FrameLocator, Page } from 'playwright-core';
import type { Conversation } from '../../src/protocol/chat';
import { splitIntoChunks, type FakeOpenAiServer } from '../support/fakeOpenAiServer';
import { hearthIframe, showHearth, showViewContainer, viewTitleAction } from './support/activityBar';
import { conversationsDir, readConversationFiles, setAsideFiles, type SavedConversation } from './support/conversationFiles';
import { extensionHostPids } from './support/extensionHostProcess';
import { openWorkbenchOnFakeOpenAi, reportFailure, type Workbench } from './support/workbench';

// The workbench and its webview load slowly on a busy 2-core machine; each expectation still waits for a state.
const patient = expect.configure({ timeout: 30_000 });

const SLOW_TICK = 'tick ';
const SLOW_INTERVAL_MS = 50;

const messages = (view: FrameLocator) => view.locator('#messages .message');
const assistantMessages = (view: FrameLocator) => view.locator('#messages .message[data-role="assistant"]');

async function ask(view: FrameLocator, question: string): Promise<void> {
  const prompt = view.locator('#prompt');
  await patient(prompt).toBeEditable();
  await prompt.fill(question);
  await prompt.press('Enter');
  await patient(view.locator('#messages .message[data-role="user"] .message-body').last()).toHaveText(question);
}

async function startNewChat(view: FrameLocator): Promise<void> {
  await viewTitleAction(view.owner().page(), 'New Chat').click();
  await patient(messages(view)).toHaveCount(0);
}

/** The panel shows exactly this conversation: its title, and each message with its role, text and status. */
async function expectShown(view: FrameLocator, conversation: Conversation): Promise<void> {
  await patient(view.locator('#conversation-title')).toHaveText(conversation.title);
  const shown = conversation.messages.filter((m) => m.role !== 'system');
  await patient(messages(view)).toHaveCount(shown.length);
  for (const [index, message] of shown.entries()) {
    const element = messages(view).nth(index);
    await expect(element).toHaveAttribute('data-id', message.id);
    await expect(element).toHaveAttribute('data-role', message.role);
    await expect(element.locator('.message-body')).toHaveText(message.content.trim());
  }
}

/** The file still says `streaming`, but nothing writes that answer any more: it is shown stopped, with its actions. */
async function expectSettledAsStopped(view: FrameLocator): Promise<void> {
  const answer = assistantMessages(view).last();
  await expect(answer).toHaveAttribute('data-status', 'stopped');
  await expect(answer.locator('.message-action[data-action="regenerate"]')).toBeVisible();
  await expect(view.locator('#stop')).toBeHidden();
}

async function openFromHistory(view: FrameLocator, id: string): Promise<void> {
  await viewTitleAction(view.owner().page(), 'Show Conversations').click();
  await view.locator(`#conversation-list .conversation-item[data-id="${id}"] .conversation-open`).click();
}

async function reloadWindow(page: Page): Promise<FrameLocator> {
  await page.reload();
  await expect(page.locator('.monaco-workbench')).toBeVisible({ timeout: 60_000 });
  return showHearth(page);
}

function tickCount(text: string): number {
  return text.split(SLOW_TICK.trim()).length - 1;
}

describe('Hearth conversation history in VS Code (e2e)', function () {
  let server: FakeOpenAiServer;
  let workbench: Workbench;

  before(async function () {
    // First run: packages the VSIX and may install code-server into .vscode-test/ (minutes).
    this.timeout(15 * 60_000);
    ({ server, workbench } = await openWorkbenchOnFakeOpenAi());
    // The first showing activates the extension and loads the webview (slow); the tests time what follows.
    const view = await showHearth(workbench.page);
    await patient(view.locator('#prompt')).toBeEditable();
  });

  afterEach(async function () {
    await reportFailure(workbench, this.currentTest?.state);
  });

  after(async () => {
    await workbench?.close();
    await server?.close();
  });

  it('keeps the conversation when the view is hidden and shown again, and after a window reload', async function () {
    this.timeout(120_000);
    const page = workbench.page;
    const question = 'Where do embers stay warm?';
    const answer = 'Embers stay warm under the ash until morning.';
    server.setScenario({ kind: 'ok', chunks: splitIntoChunks(answer) });
    let view = await showHearth(page);
    await ask(view, question);
    await patient(assistantMessages(view).last()).toHaveAttribute('data-status', 'complete');
    await expect(assistantMessages(view).last().locator('.message-body')).toHaveText(answer);
    const [saved, ...others] = readConversationFiles(conversationsDir(workbench.profile.userDataDir)).values();
    assert.equal(others.length, 0, 'one conversation was saved');
    assert.ok(saved);
    assert.deepEqual(saved.conversation.messages.map((m) => [m.role, m.content, m.status]), [
      ['user', question, 'complete'],
      ['assistant', answer, 'complete'],
    ]);

    // Hidden, the view loses its document (no retainContextWhenHidden); shown again, it is rebuilt from the host.
    await view.locator('body').evaluate((body) => body.setAttribute('data-e2e-old-document', ''));
    await showViewContainer(page, 'Explorer');
    await expect(hearthIframe(page)).toBeHidden();
    view = await showHearth(page);
    await expectShown(view, saved.conversation);
    await expect(view.locator('body[data-e2e-old-document]')).toHaveCount(0);

    // A reload is a new workbench and a new extension host, which reads the conversation back from disk.
    const hostsBefore = await extensionHostPids(workbench.server.port);
    assert.equal(hostsBefore.length, 1, `one extension host before the reload (found ${hostsBefore.join(', ')})`);
    view = await reloadWindow(page);
    await expectShown(view, saved.conversation);
    await expect(assistantMessages(view).last()).toHaveAttribute('data-status', 'complete');
    const hostsAfter = await extensionHostPids(workbench.server.port);
    assert.ok(hostsAfter.some((pid) => !hostsBefore.includes(pid)), 'the reload started a new extension host');
  });

  it('loads every earlier conversation intact after the extension host is killed mid-answer', async function () {
    this.timeout(150_000);
    const page = workbench.page;
    const dir = conversationsDir(workbench.profile.userDataDir);
    const turns = [
      { question: 'What wood burns longest?', answer: 'Oak burns slowly and holds its heat for hours.' },
      { question: 'How do I bank a fire?', answer: 'Rake the coals together and cover them with ash.' },
      { question: 'Why does a chimney draw?', answer: 'Warm air rises and pulls fresh air in below it.' },
    ];
    let view = await showHearth(page);
    for (const turn of turns) {
      await startNewChat(view);
      server.setScenario({ kind: 'ok', chunks: splitIntoChunks(turn.answer) });
      await ask(view, turn.question);
      // The final save happens before the panel hears the answer is done.
      await patient(assistantMessages(view).last()).toHaveAttribute('data-status', 'complete');
      await expect(assistantMessages(view).last().locator('.message-body')).toHaveText(turn.answer);
    }
    const earlier = readConversationFiles(dir);
    for (const turn of turns) {
      const found = [...earlier.values()].some(({ conversation }) =>
        conversation.messages.map((m) => m.content).join('\n') === `${turn.question}\n${turn.answer}`);
      assert.ok(found, `"${turn.question}" and its whole answer are on disk`);
    }

    // A slow answer in a new conversation, streaming until the extension host dies.
    await startNewChat(view);
    server.setScenario({ kind: 'slow', chunk: SLOW_TICK, intervalMs: SLOW_INTERVAL_MS });
    const question = 'Count the ticks until the lights go out.';
    await ask(view, question);
    const answer = assistantMessages(view).last();
    await patient(answer).toHaveAttribute('data-status', 'streaming');
    await patient(answer.locator('.message-body')).toContainText('tick tick');
    const interrupted = (): SavedConversation | undefined => [...readConversationFiles(dir)].find(([id]) => !earlier.has(id))?.[1];
    const streamedOnDisk = (): string => interrupted()?.conversation.messages[1]?.content ?? '';
    // A throttled mid-stream save has reached the disk (the first one holds only the question).
    await expect.poll(streamedOnDisk, { timeout: 30_000 }).toMatch(/tick tick/);

    const shownBeforeKill = (await answer.locator('.message-body').textContent()) ?? '';
    const hosts = await extensionHostPids(workbench.server.port);
    const [host] = hosts;
    assert.ok(host !== undefined && hosts.length === 1, `exactly one extension host to kill (found ${hosts.join(', ') || 'none'})`);
    const disconnectsSoFar = server.requests.filter((r) => r.clientDisconnected).length;
    const streamCut = server.waitForDisconnect(disconnectsSoFar + 1);
    process.kill(host, 'SIGKILL');
    // The socket of the streaming request closes once the process is gone: nothing can write after this.
    await streamCut;

    const killed = interrupted();
    assert.ok(killed, 'the interrupted conversation has a file');
    const [user, partial, ...rest] = killed.conversation.messages;
    assert.equal(rest.length, 0);
    assert.deepEqual([user?.role, user?.content], ['user', question]);
    assert.deepEqual([partial?.role, partial?.status], ['assistant', 'streaming'], 'saved in the middle of the answer');
    assert.match(partial?.content ?? '', /^(tick )+$/, 'a prefix of the streamed answer');
    const lostTicks = tickCount(shownBeforeKill) - tickCount(partial?.content ?? '');
    assert.ok(lostTicks <= 1000 / SLOW_INTERVAL_MS, `at most a second of text lost: ${lostTicks} ticks fewer on disk than on screen before the kill`);
    for (const [id, file] of earlier) assert.equal(readConversationFiles(dir).get(id)?.raw, file.raw, `${id}.json is unchanged`);

    // A new workbench and extension host: the newest conversation (the interrupted one) opens first.
    view = await reloadWindow(page);
    await expectShown(view, killed.conversation);
    await expectSettledAsStopped(view);

    await viewTitleAction(page, 'Show Conversations').click();
    const listed = view.locator('#conversation-list .conversation-item');
    await patient(listed).toHaveCount(earlier.size + 1);
    const listedIds = await listed.evaluateAll((items) => items.map((item) => (item as HTMLElement).dataset.id));
    assert.deepEqual(new Set(listedIds), new Set([...earlier.keys(), killed.conversation.id]));
    await viewTitleAction(page, 'Show Conversations').click();

    for (const { conversation } of earlier.values()) {
      await openFromHistory(view, conversation.id);
      await expectShown(view, conversation);
      await expect(assistantMessages(view).last()).toHaveAttribute('data-status', 'complete');
    }
    await openFromHistory(view, killed.conversation.id);
    await expectShown(view, killed.conversation);
    await expectSettledAsStopped(view);
    assert.deepEqual(setAsideFiles(dir), [], 'no conversation file was set aside as corrupt');
  });
});
