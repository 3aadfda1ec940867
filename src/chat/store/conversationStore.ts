// Conversations on disk: one JSON file each under <dir>/conversations/<id>.json, written atomically and one
// write at a time per conversation. A file that is not valid JSON or not a valid conversation is moved to
// conversations/corrupt/ and reported; the others still load. Deleted files go to conversations/trash/ so an
// undo can bring them back. No vscode import: the extension passes in its global storage path.
import { mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ConversationSchema, type Conversation, type ConversationSummary } from '../../protocol/chat';
import { fsyncDirectory, isTempFileName, writeFileAtomic } from './atomicWrite';
import { KeyedQueue } from './keyedQueue';
import { conversationToMarkdown } from './markdownExport';
import { SaveThrottle } from './saveThrottle';

/** A file that could not be loaded, and where it was moved so nothing is lost. */
export interface StoreProblem {
  file: string;
  reason: string;
  movedTo?: string;
}

export interface ConversationSearchHit extends ConversationSummary {
  /** A short piece of the first matching message, when the match is not in the title. */
  snippet?: string;
}

export interface ConversationStoreOptions {
  /** Minimum time between two throttled writes of one conversation; default 500 ms. */
  saveIntervalMs?: number;
  /** Temp files older than this are leftovers of a crash and get removed; default 60 s. */
  staleTempMs?: number;
  /** Told about every file set aside as corrupt. */
  onProblem?(problem: StoreProblem): void;
  /** Told about failed throttled saves (explicit `save` and `flush` reject instead). */
  onSaveError?(id: string, error: unknown): void;
  /** Told after each completed write (tests, diagnostics). */
  onDidWrite?(id: string): void;
}

const idPattern = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;

interface CacheEntry {
  /** Each atomic write makes a new inode, so ino tells writes apart even within one mtime tick. */
  ino: number;
  mtimeMs: number;
  size: number;
  conversation: Conversation;
}

type ReadResult = { ok: true; conversation: Conversation } | { ok: false; problem?: StoreProblem };

export class ConversationStore {
  readonly conversationsDir: string;
  private readonly trashDir: string;
  private readonly corruptDir: string;
  private readonly queue = new KeyedQueue();
  private readonly throttle: SaveThrottle;
  private readonly cache = new Map<string, CacheEntry>();
  private readonly deleted: string[] = [];
  private ready: Promise<void> | undefined;

  constructor(
    dir: string,
    private readonly options: ConversationStoreOptions = {},
  ) {
    this.conversationsDir = join(dir, 'conversations');
    this.trashDir = join(this.conversationsDir, 'trash');
    this.corruptDir = join(this.conversationsDir, 'corrupt');
    this.throttle = new SaveThrottle(
      options.saveIntervalMs ?? 500,
      (conversation) => this.write(conversation),
      (id, err) => options.onSaveError?.(id, err),
    );
  }

  /** Saves soon, at most once per interval: call on every streamed delta. */
  scheduleSave(conversation: Conversation): void {
    assertId(conversation.id);
    this.throttle.schedule(conversation);
  }

  /** Saves now (replacing any scheduled save of the same conversation) and resolves once it is on disk. */
  async save(conversation: Conversation): Promise<void> {
    assertId(conversation.id);
    this.throttle.take(conversation.id);
    this.throttle.noteWrite(conversation.id);
    await this.write(conversation);
  }

  /** Writes every scheduled save and waits for all writes in flight. */
  async flush(): Promise<void> {
    await this.throttle.flush();
    await this.queue.idle();
  }

  /** Summaries, newest first. Files set aside on the way are reported through `onProblem`. */
  async list(): Promise<ConversationSummary[]> {
    return (await this.listWithProblems()).summaries;
  }

  async listWithProblems(): Promise<{ summaries: ConversationSummary[]; problems: StoreProblem[] }> {
    const { conversations, problems } = await this.readAll();
    return { summaries: conversations.map(summarize), problems };
  }

  /** Every readable conversation, newest first, and the files that were set aside. */
  async loadAll(): Promise<{ conversations: Conversation[]; problems: StoreProblem[] }> {
    const { conversations, problems } = await this.readAll();
    return { conversations: conversations.map((c) => structuredClone(c)), problems };
  }

  /** The conversation, or undefined when there is none (or it was corrupt: then it is set aside and reported). */
  async load(id: string): Promise<Conversation | undefined> {
    assertId(id);
    await this.prepare();
    await this.queue.idle(id);
    const result = await this.read(id);
    return result.ok ? structuredClone(result.conversation) : undefined;
  }

  /** Moves the conversation to the trash; `restore()` brings it back. */
  async delete(id: string): Promise<void> {
    assertId(id);
    await this.prepare();
    this.throttle.take(id);
    await this.queue.run(id, async () => {
      try {
        await rename(this.fileOf(id), join(this.trashDir, `${id}.json`));
      } catch (err) {
        if (errorCode(err) === 'ENOENT') throw new Error(`Conversation ${id} does not exist, so it cannot be deleted.`);
        throw err;
      }
      await fsyncDirectory(this.conversationsDir);
    });
    this.cache.delete(id);
    this.deleted.push(id);
  }

  /** Undoes a delete: the given id, else the most recent one. Returns the restored id, or undefined if none. */
  async restore(id?: string): Promise<string | undefined> {
    const target = id ?? this.deleted.at(-1);
    if (target === undefined) return undefined;
    assertId(target);
    await this.prepare();
    await this.queue.run(target, async () => {
      if (await exists(this.fileOf(target))) {
        throw new Error(`Conversation ${target} already exists; it was saved again after being deleted.`);
      }
      try {
        await rename(join(this.trashDir, `${target}.json`), this.fileOf(target));
      } catch (err) {
        if (errorCode(err) === 'ENOENT') throw new Error(`Conversation ${target} is not in the trash, so it cannot be restored.`);
        throw err;
      }
      await fsyncDirectory(this.conversationsDir);
    });
    const index = this.deleted.lastIndexOf(target);
    if (index >= 0) this.deleted.splice(index, 1);
    return target;
  }

  /** Deletes the trash for good. */
  async emptyTrash(): Promise<void> {
    await this.prepare();
    await rm(this.trashDir, { recursive: true, force: true });
    await mkdir(this.trashDir, { recursive: true });
    this.deleted.length = 0;
  }

  async rename(id: string, title: string): Promise<void> {
    assertId(id);
    const clean = title.replace(/\s+/g, ' ').trim();
    if (!clean) throw new Error('A conversation title cannot be empty.');
    // A save still waiting in the throttle holds the newest messages: rename that snapshot rather than lose it.
    const pending = this.throttle.take(id);
    const conversation = pending ?? (await this.load(id));
    if (!conversation) throw new Error(`Conversation ${id} does not exist, so it cannot be renamed.`);
    conversation.title = clean;
    await this.save(conversation);
  }

  /** Conversations whose title or any message contains `query` (case-insensitive), newest first. */
  async search(query: string): Promise<ConversationSearchHit[]> {
    const needle = query.trim().toLocaleLowerCase();
    const { conversations } = await this.readAll();
    if (!needle) return conversations.map(summarize);
    const hits: ConversationSearchHit[] = [];
    for (const conversation of conversations) {
      if (conversation.title.toLocaleLowerCase().includes(needle)) {
        hits.push(summarize(conversation));
        continue;
      }
      for (const message of conversation.messages) {
        const at = message.content.toLocaleLowerCase().indexOf(needle);
        if (at >= 0) {
          hits.push({ ...summarize(conversation), snippet: snippetAround(message.content, at, needle.length) });
          break;
        }
      }
    }
    return hits;
  }

  exportMarkdown(conversation: Conversation): string {
    return conversationToMarkdown(conversation);
  }

  /** Saves what is pending; call on deactivate. */
  async close(): Promise<void> {
    await this.flush();
  }

  private fileOf(id: string): string {
    return join(this.conversationsDir, `${id}.json`);
  }

  private write(conversation: Conversation): Promise<void> {
    return this.queue.run(conversation.id, async () => {
      await this.prepare();
      // Serialized when its turn comes, so a coalesced save writes the newest state.
      const checked = ConversationSchema.safeParse(conversation);
      if (!checked.success) {
        throw new Error(`Refusing to save conversation ${conversation.id}: ${checked.error.issues[0]?.message ?? 'invalid'}.`);
      }
      await writeFileAtomic(this.fileOf(conversation.id), JSON.stringify(checked.data));
      this.options.onDidWrite?.(conversation.id);
    });
  }

  /** Reads every file (a few at a time), reusing parsed ones that did not change. Results are shared: clone before handing out. */
  private async readAll(): Promise<{ conversations: Conversation[]; problems: StoreProblem[] }> {
    await this.prepare();
    const entries = await readdir(this.conversationsDir, { withFileTypes: true });
    const ids = entries.filter((e) => e.isFile() && e.name.endsWith('.json')).map((e) => e.name.slice(0, -'.json'.length));
    const conversations: Conversation[] = [];
    const problems: StoreProblem[] = [];
    let next = 0;
    const worker = async (): Promise<void> => {
      for (let id = ids[next++]; id !== undefined; id = ids[next++]) {
        const result = await this.read(id);
        if (result.ok) conversations.push(result.conversation);
        else if (result.problem) problems.push(result.problem);
      }
    };
    await Promise.all(Array.from({ length: Math.min(8, ids.length) }, worker));
    const present = new Set(ids);
    for (const id of [...this.cache.keys()]) if (!present.has(id)) this.cache.delete(id);
    conversations.sort((a, b) => b.updatedAt - a.updatedAt || b.id.localeCompare(a.id));
    return { conversations, problems };
  }

  /** One file, parsed and checked; the conversation returned is the cached object (callers clone it). */
  private async read(id: string): Promise<ReadResult> {
    const file = this.fileOf(id);
    let info: { ino: number; mtimeMs: number; size: number };
    try {
      info = await stat(file);
    } catch {
      return { ok: false }; // Gone (deleted by another window): nothing to report.
    }
    const cached = this.cache.get(id);
    if (cached && cached.ino === info.ino && cached.mtimeMs === info.mtimeMs && cached.size === info.size) return { ok: true, conversation: cached.conversation };
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      return { ok: false };
    }
    const reason = invalidReason(text, id);
    if (typeof reason === 'string') return { ok: false, problem: await this.setAside(`${id}.json`, reason) };
    this.cache.set(id, { ino: info.ino, mtimeMs: info.mtimeMs, size: info.size, conversation: reason.conversation });
    return { ok: true, conversation: reason.conversation };
  }

  /** Moves a bad file to corrupt/ and reports it; undefined when a concurrent read already did. */
  private async setAside(name: string, reason: string): Promise<StoreProblem | undefined> {
    const file = join(this.conversationsDir, name);
    const movedTo = join(this.corruptDir, `${name}.${new Date().toISOString().replace(/[:.]/g, '-')}`);
    let problem: StoreProblem = { file, reason, movedTo };
    try {
      await rename(file, movedTo);
    } catch (err) {
      if (errorCode(err) === 'ENOENT') return undefined;
      problem = { file, reason: `${reason} (could not move it aside: ${errorCode(err) ?? String(err)})` };
    }
    this.cache.delete(name.replace(/\.json$/, ''));
    this.options.onProblem?.(problem);
    return problem;
  }

  /** Creates the folders and clears temp files left by a crash; once per store. */
  private prepare(): Promise<void> {
    this.ready ??= (async () => {
      await mkdir(this.trashDir, { recursive: true });
      await mkdir(this.corruptDir, { recursive: true });
      const staleBefore = Date.now() - (this.options.staleTempMs ?? 60_000);
      for (const name of await readdir(this.conversationsDir)) {
        if (!isTempFileName(name)) continue;
        const path = join(this.conversationsDir, name);
        // A young temp file may belong to another window writing right now.
        const info = await stat(path).catch(() => undefined);
        if (info && info.mtimeMs < staleBefore) await rm(path, { force: true });
      }
    })().catch((err: unknown) => {
      this.ready = undefined;
      throw new Error(`Cannot use the conversation folder ${this.conversationsDir}: ${err instanceof Error ? err.message : String(err)}`);
    });
    return this.ready;
  }
}

function invalidReason(text: string, id: string): string | { conversation: Conversation } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return `not valid JSON (${err instanceof Error ? err.message : String(err)})`;
  }
  const parsed = ConversationSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return `not a valid conversation (${issue ? `${issue.path.join('.') || 'root'}: ${issue.message}` : 'schema mismatch'})`;
  }
  if (parsed.data.id !== id) return `its id "${parsed.data.id}" does not match the file name`;
  return { conversation: parsed.data };
}

function summarize(conversation: Conversation): ConversationSummary {
  return {
    id: conversation.id,
    title: conversation.title,
    updatedAt: conversation.updatedAt,
    messageCount: conversation.messages.length,
    ...(conversation.comparisonId ? { comparisonId: conversation.comparisonId } : {}),
  };
}

function snippetAround(text: string, at: number, length: number): string {
  const start = Math.max(0, at - 30);
  const end = Math.min(text.length, at + length + 50);
  return `${start > 0 ? '...' : ''}${text.slice(start, end).replace(/\s+/g, ' ')}${end < text.length ? '...' : ''}`;
}

function assertId(id: string): void {
  if (!idPattern.test(id)) {
    throw new Error(`Invalid conversation id "${id}": use 1-128 letters, digits, '-' or '_' (it becomes a file name).`);
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

function errorCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string' ? err.code : undefined;
}
