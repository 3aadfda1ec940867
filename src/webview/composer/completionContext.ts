// What the text around the caret asks to complete: a `/command` at the start of the message, a
// `#mention` name, or the path after `#file:`. Pure: unit-tested without a DOM.

export type CompletionKind = 'command' | 'mention' | 'file';

export interface CompletionContext {
  kind: CompletionKind;
  /** What was typed so far (after `/`, `#` or `#file:`). */
  query: string;
  /** The range an accepted item replaces: [start, end). */
  start: number;
  end: number;
}

/** The completion the caret is in, if any. */
export function completionAt(text: string, caret: number): CompletionContext | undefined {
  const before = text.slice(0, caret);
  // The rest of the word under the caret is replaced too, so accepting mid-word leaves no tail.
  const tail = /^[^\s"]*"?/.exec(text.slice(caret))?.[0] ?? '';
  const command = /^\s*\/([\w-]*)$/.exec(before);
  if (command) return { kind: 'command', query: command[1] ?? '', start: before.lastIndexOf('/'), end: caret + wordTail(tail) };
  // A quoted path may hold spaces; a bare one ends at the first.
  const file = /(?:^|[\s(])#file:(?:"([^"\n]*)|([^\s"]*))$/.exec(before);
  if (file) {
    const start = before.lastIndexOf('#file:');
    return { kind: 'file', query: file[1] ?? file[2] ?? '', start, end: caret + tail.length };
  }
  const mention = /(?:^|[\s(])#(\w*)$/.exec(before);
  if (mention) return { kind: 'mention', query: mention[1] ?? '', start: before.lastIndexOf('#'), end: caret + wordTail(tail) };
  return undefined;
}

function wordTail(tail: string): number {
  return /^[\w-]*/.exec(tail)?.[0].length ?? 0;
}
