// A process killed in the middle of saving must not cost any other conversation, nor leave a half-written one.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { ConversationStore, type StoreProblem } from '../../../src/chat/store/conversationStore';
import type { Conversation } from '../../../src/protocol/chat';

const repoRoot = resolve(__dirname, '..', '..', '..');
const storeModule = join(repoRoot, 'src', 'chat', 'store', 'conversationStore.ts');

/** Both processes build conversations with this code, so the parent knows every version the child wrote. */
const makeConversationSource = `
function makeConversation(id, version, size) {
  return {
    version: 1, id, title: id + ' v' + version, createdAt: 1, updatedAt: version,
    messages: [
      { id: 'q', role: 'user', content: 'question', createdAt: 1, status: 'complete' },
      { id: 'a', role: 'assistant', content: ('v' + version + ' ').repeat(size), createdAt: 2, status: 'streaming' },
    ],
  };
}`;

// argv: <store dir> <version of B to die on> <mode>. In 'halfWritten' mode the child writes half of that version's
// temp file, syncs it, says "writing N" and waits to be killed: the worst moment, every time. In 'racing' mode it
// says "writing N" just before the save and keeps going, so the kill lands wherever it lands.
const childSource = `
const fsp = require('node:fs/promises');
const [dir, dieAtArg, mode] = process.argv.slice(2);
const dieAt = Number(dieAtArg);
let version = 0;
const realOpen = fsp.open;
fsp.open = async (path, ...rest) => {
  const handle = await realOpen(path, ...rest);
  if (mode !== 'halfWritten' || version !== dieAt || !/[.]B[.]json[.].*[.]tmp$/.test(String(path))) return handle;
  const realWriteFile = handle.writeFile.bind(handle);
  handle.writeFile = async (data) => {
    await realWriteFile(String(data).slice(0, String(data).length / 2));
    await handle.sync();
    process.stdout.write('writing ' + version + '\\n');
    await new Promise(() => {});
  };
  return handle;
};
const { ConversationStore } = require(${JSON.stringify(storeModule)});
${makeConversationSource}
(async () => {
  const store = new ConversationStore(dir, { saveIntervalMs: 0 });
  await store.save(makeConversation('A', 1, 1000));
  for (const id of ['C', 'D', 'E']) await store.save(makeConversation(id, 1, 500));
  // B streams: every version is bigger, and is saved as soon as the previous save is on disk.
  for (version = 1; ; version++) {
    if (mode === 'racing') process.stdout.write('writing ' + version + '\\n');
    await store.save(makeConversation('B', version, 50000 + version * 100));
  }
})();
`;

const makeConversation = new Function(`${makeConversationSource}; return makeConversation;`)() as (
  id: string,
  version: number,
  size: number,
) => Conversation;

type Mode = 'halfWritten' | 'racing';

/** Runs the child and SIGKILLs it once it announces the write of B's version `dieAt`. */
async function killWhileWriting(dir: string, childFile: string, dieAt: number, mode: Mode): Promise<void> {
  const child = spawn(process.execPath, ['--import', 'tsx', childFile, dir, String(dieAt), mode], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (part: Buffer) => (stderr += part.toString()));
  const exited = new Promise<NodeJS.Signals | null>((done) => child.on('exit', (_code, signal) => done(signal)));
  for await (const line of createInterface({ input: child.stdout })) {
    if (line === `writing ${dieAt}`) {
      child.kill('SIGKILL');
      break;
    }
  }
  const signal = await exited;
  assert.equal(signal, 'SIGKILL', `the child ended on its own: ${stderr}`);
}

describe('ConversationStore under SIGKILL', function () {
  this.timeout(60_000);
  let dir: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hearth-crash-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const cases: Array<{ mode: Mode; dieAt: number }> = [
    { mode: 'halfWritten', dieAt: 3 },
    { mode: 'racing', dieAt: 2 },
    { mode: 'racing', dieAt: 12 },
  ];
  for (const { mode, dieAt } of cases) {
    it(`keeps every conversation intact when killed writing B v${dieAt} (${mode})`, async () => {
      const storeDir = join(dir, `${mode}-${dieAt}`);
      const childFile = join(dir, `child-${mode}-${dieAt}.ts`);
      await writeFile(childFile, childSource);
      await killWhileWriting(storeDir, childFile, dieAt, mode);
      const conversationsDir = join(storeDir, 'conversations');
      const leftovers = (await readdir(conversationsDir)).filter((n) => n.endsWith('.tmp'));
      if (mode === 'halfWritten') assert.equal(leftovers.length, 1, 'the half-written temp file is there');

      const problems: StoreProblem[] = [];
      const store = new ConversationStore(storeDir, { onProblem: (p) => problems.push(p) });
      assert.deepEqual(await store.load('A'), makeConversation('A', 1, 1000));
      for (const id of ['C', 'D', 'E']) assert.deepEqual(await store.load(id), makeConversation(id, 1, 500));
      const b = await store.load('B');
      assert.ok(b, 'B is readable');
      // Half-written: exactly the last finished version. Racing: the child may have saved a few more versions
      // before the kill arrived, so any version from the last announced-finished one on, as long as it is whole.
      const version = b.updatedAt;
      if (mode === 'halfWritten') assert.equal(version, dieAt - 1);
      else assert.ok(version >= dieAt - 1, `B is v${version}`);
      assert.deepEqual(b, makeConversation('B', version, 50000 + version * 100));
      assert.deepEqual(problems, []);
      assert.deepEqual(await store.list().then((l) => l.map((c) => c.id).sort()), ['A', 'B', 'C', 'D', 'E']);

      // Once the leftover is old enough to be nobody's write in progress, the next start removes it.
      const old = new Date(Date.now() - 3_600_000);
      for (const name of leftovers) await utimes(join(conversationsDir, name), old, old);
      await new ConversationStore(storeDir).list();
      assert.deepEqual((await readdir(conversationsDir)).filter((n) => n.endsWith('.tmp')), []);
    });
  }
});
