// The conversation store: round trips, atomic files, throttled saves, trash and undo, search, export, corruption.
import * as assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConversationStore, type StoreProblem } from '../../../src/chat/store/conversationStore';
import type { Conversation, StoredMessage } from '../../../src/protocol/chat';

function message(id: string, role: StoredMessage['role'], content: string, extra: Partial<StoredMessage> = {}): StoredMessage {
  return { id, role, content, createdAt: 1_700_000_000_000, status: 'complete', ...extra };
}

function conversation(id: string, title: string, updatedAt: number, messages: StoredMessage[] = []): Conversation {
  return { version: 1, id, title, createdAt: 1_700_000_000_000, updatedAt, messages };
}

describe('ConversationStore', () => {
  let dir: string;
  let store: ConversationStore;
  let problems: StoreProblem[];
  let writes: string[];

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hearth-store-'));
    problems = [];
    writes = [];
    store = new ConversationStore(dir, { onProblem: (p) => problems.push(p), onDidWrite: (id) => writes.push(id) });
  });
  afterEach(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('round-trips a conversation through its own JSON file', async () => {
    const conv = conversation('c1', 'Sorting', 5, [
      message('m1', 'user', 'How do I sort?', { attachments: [{ kind: 'selection', label: 'a.ts:1-3', content: 'x.sort()', language: 'ts' }] }),
      message('m2', 'assistant', 'Use `sort()`.', { model: 'fake', usage: { promptTokens: 3, completionTokens: 4 }, stats: { tokensPerSecond: 12 } }),
    ]);
    await store.save(conv);
    assert.deepEqual(await readdir(join(dir, 'conversations')), ['c1.json', 'corrupt', 'trash']);
    assert.deepEqual(JSON.parse(await readFile(join(dir, 'conversations', 'c1.json'), 'utf8')), conv);
    const fresh = new ConversationStore(dir);
    assert.deepEqual(await fresh.load('c1'), conv);
    assert.equal(await fresh.load('missing'), undefined);
  });

  it('lists summaries newest first', async () => {
    await store.save(conversation('old', 'Old', 1, [message('m', 'user', 'a')]));
    await store.save(conversation('new', 'New', 3));
    await store.save(conversation('mid', 'Mid', 2));
    assert.deepEqual(await store.list(), [
      { id: 'new', title: 'New', updatedAt: 3, messageCount: 0 },
      { id: 'mid', title: 'Mid', updatedAt: 2, messageCount: 0 },
      { id: 'old', title: 'Old', updatedAt: 1, messageCount: 1 },
    ]);
  });

  it('sees a newer version written by another store (another window) on the same folder', async () => {
    await store.save(conversation('c1', 'First', 1));
    assert.equal((await store.load('c1'))?.title, 'First');
    await new ConversationStore(dir).save(conversation('c1', 'Second', 2));
    assert.equal((await store.load('c1'))?.title, 'Second');
  });

  it('sets a corrupt or schema-invalid file aside, reports it, and loads the rest', async () => {
    await store.save(conversation('good', 'Good', 1));
    const conversations = join(dir, 'conversations');
    await writeFile(join(conversations, 'broken.json'), '{"version":1,"id":"broken","title":"half wr');
    await writeFile(join(conversations, 'wrongshape.json'), JSON.stringify({ version: 2, id: 'wrongshape' }));
    // A crash between writing a temp file and renaming it leaves this behind; it must not count.
    const leftover = join(conversations, '.good.json.123.abcd.tmp');
    await writeFile(leftover, '{"version":1,"id":"good","title":"Ne');

    const fresh = new ConversationStore(dir, { onProblem: (p) => problems.push(p) });
    const { summaries, problems: reported } = await fresh.listWithProblems();
    assert.deepEqual(summaries.map((s) => s.id), ['good']);
    assert.deepEqual(reported.map((p) => p.file).sort(), [join(conversations, 'broken.json'), join(conversations, 'wrongshape.json')]);
    assert.match(reported.find((p) => p.file.endsWith('broken.json'))?.reason ?? '', /not valid JSON/);
    assert.match(reported.find((p) => p.file.endsWith('wrongshape.json'))?.reason ?? '', /not a valid conversation/);
    assert.deepEqual(problems, reported, 'onProblem hears of each one');
    const corrupt = await readdir(join(conversations, 'corrupt'));
    assert.equal(corrupt.length, 2);
    for (const p of reported) assert.ok(p.movedTo && (await readFile(p.movedTo, 'utf8')).length > 0, 'the bytes are kept');
    assert.equal((await fresh.load('good'))?.title, 'Good');
    assert.deepEqual((await fresh.listWithProblems()).problems, [], 'reported once, then gone from the list');
  });

  it('removes stale temp files left by a crash, but not young ones (another window may be writing)', async () => {
    const conversations = join(dir, 'conversations');
    await store.list();
    const stale = join(conversations, '.a.json.1.ffff.tmp');
    const young = join(conversations, '.b.json.2.eeee.tmp');
    await writeFile(stale, 'x');
    await writeFile(young, 'y');
    const old = new Date(Date.now() - 3_600_000);
    await utimes(stale, old, old);
    await new ConversationStore(dir).list();
    assert.deepEqual((await readdir(conversations)).filter((n) => n.endsWith('.tmp')), ['.b.json.2.eeee.tmp']);
  });

  it('never leaves a temp file behind after a save', async () => {
    await store.save(conversation('c1', 'T', 1));
    await store.save(conversation('c1', 'T2', 2));
    assert.deepEqual((await readdir(join(dir, 'conversations'))).filter((n) => n.startsWith('.')), []);
  });

  it('coalesces throttled saves into one write of the latest state', async () => {
    const conv = conversation('s1', 'Streaming', 1, [message('u', 'user', 'hi'), message('a', 'assistant', '', { status: 'streaming' })]);
    const answer = conv.messages[1];
    assert.ok(answer);
    for (let i = 0; i < 100; i++) {
      answer.content += `${i} `;
      store.scheduleSave(conv);
    }
    await store.flush();
    assert.deepEqual(writes, ['s1']);
    assert.equal((await store.load('s1'))?.messages[1]?.content, answer.content);
  });

  it('spaces throttled writes of one conversation by the interval', async () => {
    const intervalMs = 100;
    const times: number[] = [];
    const waiters: Array<{ count: number; resolve: () => void }> = [];
    const writesReached = (count: number): Promise<void> => new Promise((resolve) => waiters.push({ count, resolve }));
    const throttled = new ConversationStore(dir, {
      saveIntervalMs: intervalMs,
      onDidWrite: () => {
        times.push(performance.now());
        for (const w of waiters) if (times.length >= w.count) w.resolve();
      },
    });
    const conv = conversation('s2', 'Streaming', 1);
    const first = writesReached(1);
    const firstScheduledAt = performance.now();
    throttled.scheduleSave(conv); // the first save of a burst goes out at once
    await first;
    const second = writesReached(2);
    conv.title = 'later';
    throttled.scheduleSave(conv);
    throttled.scheduleSave(conv);
    await second;
    await throttled.flush();
    assert.equal(times.length, 2);
    // The interval runs from the start of the first write, which came after firstScheduledAt.
    const gap = (times[1] ?? 0) - firstScheduledAt;
    assert.ok(gap >= intervalMs - 1, `second write finished ${gap} ms after the first was scheduled`);
    assert.equal((await throttled.load('s2'))?.title, 'later');
  });

  it('save() replaces a scheduled save and resolves once on disk', async () => {
    const conv = conversation('c1', 'Draft', 1);
    store.scheduleSave(conv);
    conv.title = 'Final';
    await store.save(conv);
    await store.flush();
    assert.deepEqual(writes, ['c1']);
    assert.equal(JSON.parse(await readFile(join(dir, 'conversations', 'c1.json'), 'utf8')).title, 'Final');
  });

  it('deletes to the trash and restores on undo', async () => {
    await store.save(conversation('keep', 'Keep', 1));
    const gone = conversation('gone', 'Gone', 2, [message('m', 'user', 'bye')]);
    await store.save(gone);
    await store.delete('gone');
    assert.deepEqual((await store.list()).map((s) => s.id), ['keep']);
    assert.equal(await store.load('gone'), undefined);
    assert.equal(await store.restore(), 'gone');
    assert.deepEqual(await store.load('gone'), gone);
    assert.equal(await store.restore(), undefined, 'nothing left to undo');
  });

  it('a delete cancels a pending throttled save, so it cannot resurrect the file', async () => {
    const conv = conversation('c1', 'T', 1);
    await store.save(conv);
    store.scheduleSave(conv);
    await store.delete('c1');
    await store.flush();
    assert.equal(await store.load('c1'), undefined);
  });

  it('explains a delete of a missing conversation and rejects ids that are not file-name safe', async () => {
    await assert.rejects(store.delete('nope'), /does not exist/);
    await assert.rejects(store.load('../etc/passwd'), /Invalid conversation id/);
    assert.throws(() => store.scheduleSave(conversation('a/b', 't', 1)), /Invalid conversation id/);
  });

  it('renames, keeping the newest messages of a pending save', async () => {
    const conv = conversation('c1', 'Old title', 1, [message('m1', 'user', 'first')]);
    await store.save(conv);
    conv.messages.push(message('m2', 'assistant', 'streamed so far'));
    store.scheduleSave(conv);
    await store.rename('c1', '  New   title ');
    const loaded = await store.load('c1');
    assert.equal(loaded?.title, 'New title');
    assert.equal(loaded?.messages.length, 2);
    await assert.rejects(store.rename('c1', '  '), /cannot be empty/);
    await assert.rejects(store.rename('missing', 'x'), /does not exist/);
  });

  it('searches titles and message text, case-insensitively', async () => {
    await store.save(conversation('a', 'Python lists', 1, [message('m', 'user', 'reverse a list')]));
    await store.save(conversation('b', 'Rust', 2, [message('m', 'assistant', 'Use a Vec<String> and then CALL sort')]));
    await store.save(conversation('c', 'Other', 3, [message('m', 'user', 'nothing here')]));
    assert.deepEqual((await store.search('PYTHON')).map((h) => h.id), ['a']);
    const hits = await store.search('call SORT');
    assert.deepEqual(hits.map((h) => h.id), ['b']);
    assert.match(hits[0]?.snippet ?? '', /CALL sort/);
    assert.deepEqual((await store.search('')).map((h) => h.id), ['c', 'b', 'a']);
    assert.deepEqual(await store.search('zebra'), []);
  });

  it('exports Markdown with turns, attachments fenced safely, stops and errors', () => {
    const md = store.exportMarkdown(
      conversation('c1', 'Fix the bug', 0, [
        message('m1', 'user', 'Why does this fail?', {
          attachments: [{ kind: 'selection', label: 'app.md', content: 'text with ``` inside', language: 'md' }],
        }),
        message('m2', 'assistant', 'Because **x** is null.\n\n```js\nx?.y\n```', { model: 'gpt-4o-mini', status: 'stopped' }),
        message('m3', 'assistant', '', { status: 'error', error: { kind: 'network', message: 'Could not reach x.', action: 'Check the URL.' } }),
      ]),
    );
    assert.equal(
      md,
      [
        '# Fix the bug',
        '',
        '*Exported from Hearth. Started 2023-11-14T22:13:20Z, last updated 1970-01-01T00:00:00Z.*',
        '',
        '## You',
        '',
        '**selection: app.md**',
        '',
        '````md',
        'text with ``` inside',
        '````',
        '',
        'Why does this fail?',
        '',
        '## Assistant (gpt-4o-mini)',
        '',
        'Because **x** is null.',
        '',
        '```js',
        'x?.y',
        '```',
        '',
        '> *Stopped before the answer finished.*',
        '',
        '## Assistant',
        '',
        '> **Error (network):** Could not reach x. Check the URL.',
        '',
      ].join('\n'),
    );
  });

  it('refuses to save an invalid conversation rather than write a file it could not read back', async () => {
    const bad = { ...conversation('c1', 't', 1), version: 2 } as unknown as Conversation;
    await assert.rejects(store.save(bad), /Refusing to save conversation c1/);
    await assert.rejects(stat(join(dir, 'conversations', 'c1.json')), /ENOENT/);
  });
});
