// The composer's own syntax, read the same way by the webview (completion, mention chips) and the
// host (what a sent message asks for): a leading `/command`, and `#selection`, `#problems`, `#file`,
// `#file:path` mentions anywhere in the text.

export type MentionKind = 'file' | 'selection' | 'problems';
export const mentionKinds: readonly MentionKind[] = ['file', 'selection', 'problems'];

export interface Mention {
  kind: MentionKind;
  /** For `#file:path`, the workspace-relative path; absent for a bare `#file` (the active file). */
  path?: string;
  /** Where the mention sits in the text: [start, end). */
  start: number;
  end: number;
}

export interface ComposerInput {
  /** The command named by a leading `/word`, without the slash (`fix`), when the text starts with one. */
  command?: string;
  /** The text after the command (all of it when there is none), trimmed. */
  request: string;
  mentions: Mention[];
}

const commandPattern = /^\s*\/([a-z][\w-]*)(?=\s|$)/i;
// A mention starts the text or follows whitespace or an opening bracket; a path may be quoted when it has spaces.
const mentionPattern = /(^|[\s(])#(file|selection|problems)(?::(?:"([^"\n]+)"|([^\s"]+)))?(?=$|[\s.,;:!?)])/g;

/** Reads a composer message: its leading command and its mentions. */
export function parseComposerInput(text: string): ComposerInput {
  const match = commandPattern.exec(text);
  const command = match?.[1]?.toLowerCase();
  const request = (match ? text.slice(match[0].length) : text).trim();
  return { ...(command ? { command } : {}), request, mentions: findMentions(text) };
}

export function findMentions(text: string): Mention[] {
  const mentions: Mention[] = [];
  for (const m of text.matchAll(mentionPattern)) {
    const kind = m[2] as MentionKind;
    const quoted = m[3];
    const bare = m[4]?.replace(/[.,;:!?)]+$/, '');
    // Only #file takes a path; `#selection:x` is not a mention.
    if ((quoted ?? bare) !== undefined && kind !== 'file') continue;
    const start = (m.index ?? 0) + (m[1]?.length ?? 0);
    // Punctuation that ends a sentence after a bare path is not part of it.
    const end = (m.index ?? 0) + m[0].length - ((m[4]?.length ?? 0) - (bare?.length ?? 0));
    const path = quoted ?? (bare || undefined);
    mentions.push({ kind, ...(path ? { path } : {}), start, end });
  }
  return mentions;
}

/** How a file mention is written: quoted when the path has spaces, so the whole path stays one mention. */
export function fileMentionText(path: string): string {
  return /\s/.test(path) ? `#file:"${path}"` : `#file:${path}`;
}

/** Mentions that name the same thing count once (the same file mentioned twice is attached once). */
export function distinctMentions(mentions: readonly Mention[]): Mention[] {
  const seen = new Set<string>();
  return mentions.filter((m) => {
    const key = `${m.kind}:${m.path ?? ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
