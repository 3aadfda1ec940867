// Conversations through the view's message path and the real store in global storage: list, switch,
// rename, delete with undo, search.
import * as assert from 'node:assert/strict';
import { startFakeOpenAiServer, type FakeOpenAiServer } from '../support/fakeOpenAiServer';
import { activateHearth, is, startTurn, useSettings, WebviewTranscript } from './support/hearth';

describe('conversations', () => {
  let server: FakeOpenAiServer;
  let transcript: WebviewTranscript;
  let restoreSettings: () => Promise<void>;

  before(async () => {
    transcript = new WebviewTranscript(await activateHearth());
    server = await startFakeOpenAiServer();
    restoreSettings = await useSettings({ 'hearth.provider': 'openai', 'hearth.openai.baseUrl': server.baseUrl, 'hearth.openai.model': 'fake-model' });
  });

  after(async () => {
    await restoreSettings?.();
    transcript?.dispose();
    await server?.close();
  });

  async function chat(question: string): Promise<string> {
    const init = transcript.waitFor(is('init'), transcript.messages.length);
    await transcript.send({ type: 'newChat' });
    const { conversation } = await init;
    // A new chat keeps the provider an earlier suite picked: pick this suite's.
    await transcript.send({ type: 'selectProvider', providerId: 'openai' });
    const turn = await startTurn(transcript, question);
    assert.equal((await turn.done).status, 'complete');
    return conversation.id;
  }

  async function list(): Promise<{ id: string; title: string }[]> {
    const from = transcript.messages.length;
    await transcript.send({ type: 'searchConversations', query: '' });
    return (await transcript.waitFor(is('conversations'), from)).conversations;
  }

  it('lists conversations titled by their first message, newest first', async () => {
    const first = await chat('Explain closures in JavaScript');
    const second = await chat('What is a monad, briefly?');
    const ids = (await list()).map((c) => c.id);
    assert.ok(ids.indexOf(second) < ids.indexOf(first) && ids.indexOf(first) >= 0);
    const titles = new Map((await list()).map((c) => [c.id, c.title]));
    assert.equal(titles.get(first), 'Explain closures in JavaScript');
  });

  it('switches to an earlier conversation with its whole history', async () => {
    const first = await chat('Remember the word pineapple');
    await chat('Something else entirely');
    const from = transcript.messages.length;
    await transcript.send({ type: 'selectConversation', id: first });
    const { conversation } = await transcript.waitFor(is('init'), from);
    assert.equal(conversation.id, first);
    assert.deepEqual(conversation.messages.map((m) => [m.role, m.status]), [['user', 'complete'], ['assistant', 'complete']]);
    assert.equal(conversation.messages[0]?.content, 'Remember the word pineapple');
  });

  it('renames, searches, deletes with undo', async () => {
    const id = await chat('Temporary conversation about zebras');
    await transcript.send({ type: 'renameConversation', id, title: 'Zebra facts' });
    assert.equal((await list()).find((c) => c.id === id)?.title, 'Zebra facts');

    let from = transcript.messages.length;
    await transcript.send({ type: 'searchConversations', query: 'ZEBRA' });
    const found = await transcript.waitFor(is('conversations'), from);
    assert.deepEqual(found.conversations.map((c) => c.id), [id]);

    from = transcript.messages.length;
    await transcript.send({ type: 'deleteConversation', id });
    const notice = await transcript.waitFor(is('notice', (m) => m.undo === true), from);
    assert.match(notice.text, /deleted/i);
    assert.ok(!(await list()).some((c) => c.id === id));

    await transcript.send({ type: 'undoDelete' });
    assert.ok((await list()).some((c) => c.id === id), 'undo brings it back');
  });
});
