// Some chat templates (Gemma's, Mistral's) insist that user and assistant turns alternate and
// raise_exception otherwise. A conversation breaks that as soon as one answer is left out of the
// prompt (a failed answer, or one stopped before any text): two user messages meet. Joining
// adjacent turns of the same role keeps such a conversation usable.
import type { EngineMessage } from '../protocol/engine';

/** The messages with adjacent plain turns of one role joined (blank line between); undefined when none are adjacent. */
export function mergedAdjacentTurns(messages: readonly EngineMessage[]): EngineMessage[] | undefined {
  const plain = (m: EngineMessage): boolean => (m.role === 'user' || m.role === 'assistant') && !m.toolCalls?.length && m.toolCallId === undefined;
  const out: EngineMessage[] = [];
  let merged = false;
  for (const m of messages) {
    const last = out.at(-1);
    if (last && plain(last) && plain(m) && last.role === m.role) {
      out[out.length - 1] = { role: m.role, content: [last.content, m.content].filter((c) => c.length > 0).join('\n\n') };
      merged = true;
    } else {
      out.push(m);
    }
  }
  return merged ? out : undefined;
}
