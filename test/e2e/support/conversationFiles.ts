// Reads the conversation files Hearth saved under a code-server profile, as the store writes them.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConversationSchema, type Conversation } from '../../../src/protocol/chat';

export interface SavedConversation {
  /** The file's exact text, to prove it was not rewritten. */
  raw: string;
  conversation: Conversation;
}

/** `<user-data-dir>/User/globalStorage/<publisher.name>/conversations` */
export function conversationsDir(userDataDir: string): string {
  return join(userDataDir, 'User', 'globalStorage', 'hearth-dev.hearth', 'conversations');
}

/** Every `<id>.json` in the folder, by id. Writes are atomic (rename), so a file is never seen half-written. */
export function readConversationFiles(dir: string): Map<string, SavedConversation> {
  const saved = new Map<string, SavedConversation>();
  if (!existsSync(dir)) return saved;
  for (const name of readdirSync(dir)) {
    if (!name.endsWith('.json') || name.startsWith('.')) continue;
    const raw = readFileSync(join(dir, name), 'utf8');
    saved.set(name.slice(0, -'.json'.length), { raw, conversation: ConversationSchema.parse(JSON.parse(raw)) });
  }
  return saved;
}

/** Names in `conversations/corrupt/`, where the store sets aside files it cannot read. */
export function setAsideFiles(dir: string): string[] {
  const corrupt = join(dir, 'corrupt');
  return existsSync(corrupt) ? readdirSync(corrupt) : [];
}
