// The messages Hearth's provider sees for a request to @hearth in VS Code's Chat view: the system
// prompt, the earlier turns (from the chat context's history), then this request with the code it
// was given. No vscode import: the participant turns VS Code's history and references into these.
import type { ChatMessage } from '../protocol/chat';
import { codeTaskFromSlash, codeTaskInstruction, codeTasks, fenceCode, type CodeDiagnostic } from './codeTasks';

/** One earlier turn of the chat, as plain text. */
export type HistoryTurn =
  | { readonly role: 'user'; readonly prompt: string; readonly command?: string; readonly contexts?: readonly PromptContext[] }
  /** `failed`: the turn ended with an error, so its text is not the model's answer. */
  | { readonly role: 'assistant'; readonly text: string; readonly failed?: boolean };

/** Code or text the request was given (a #file, a selection, the active editor's selection). */
export interface PromptContext {
  readonly label: string;
  readonly content: string;
  readonly languageId?: string;
}

export interface ParticipantPromptInput {
  readonly systemPrompt: string;
  readonly history: readonly HistoryTurn[];
  readonly prompt: string;
  /** The slash command's name (`explain`), if one was used. */
  readonly command?: string;
  readonly contexts: readonly PromptContext[];
  readonly diagnostics?: readonly CodeDiagnostic[];
}


/** Earlier turns as messages; a failed answer and the question it failed on are left out, and roles alternate. */
export function historyMessages(history: readonly HistoryTurn[]): ChatMessage[] {
  const messages: ChatMessage[] = [];
  for (const turn of history) {
    if (turn.role === 'user') {
      const content = turn.contexts?.length ? userContent({ prompt: turn.prompt, contexts: turn.contexts, ...(turn.command ? { command: turn.command } : {}) }) : turnText(turn);
      // Two questions in a row: the first had no answer (e.g. cancelled before any text); keep the last.
      if (messages.at(-1)?.role === 'user') messages.pop();
      if (content) messages.push({ role: 'user', content });
    } else if (turn.failed || !turn.text.trim()) {
      if (messages.at(-1)?.role === 'user') messages.pop();
    } else if (messages.at(-1)?.role === 'user') {
      messages.push({ role: 'assistant', content: turn.text });
    }
  }
  if (messages.at(-1)?.role === 'user') messages.pop();
  return messages;
}

/** What the user typed in an earlier turn, with its slash command as they saw it. */
function turnText(turn: { prompt: string; command?: string }): string {
  return turn.command ? `/${turn.command} ${turn.prompt}`.trim() : turn.prompt;
}

function contextBlock(context: PromptContext): string {
  return `${context.label}:\n${fenceCode(context.content, context.languageId ?? '')}`;
}

/**
 * One request as the model sees it. A slash command (`/fix`) uses the prompt made for its task, with
 * what the user typed added; without one, the attached code comes first and the question after it.
 */
export function userContent(input: Pick<ParticipantPromptInput, 'prompt' | 'command' | 'contexts' | 'diagnostics'>): string {
  const task = input.command ? codeTaskFromSlash(input.command) : undefined;
  const blocks = input.contexts.map(contextBlock);
  if (!task) return [...blocks, input.prompt].join('\n\n');
  const [first] = input.contexts;
  const instruction = codeTaskInstruction(task, {
    languageId: first?.languageId ?? '',
    ...(first ? { fileName: first.label } : {}),
    ...(input.diagnostics?.length ? { diagnostics: input.diagnostics } : {}),
    ...(input.prompt.trim() ? { request: input.prompt } : {}),
  });
  return [instruction, ...blocks].join('\n\n');
}

/** The whole conversation for this request: system prompt, earlier turns, then the request. */
export function buildParticipantMessages(input: ParticipantPromptInput): ChatMessage[] {
  const messages: ChatMessage[] = [];
  if (input.systemPrompt.trim()) messages.push({ role: 'system', content: input.systemPrompt });
  messages.push(...historyMessages(input.history));
  messages.push({ role: 'user', content: userContent(input) });
  return messages;
}

/** The code the latest earlier turn was given: a follow-up (`/tests` after `/explain`) works on it again. */
export function lastContexts(history: readonly HistoryTurn[]): readonly PromptContext[] {
  for (let i = history.length - 1; i >= 0; i--) {
    const turn = history[i];
    if (turn?.role === 'user' && turn.contexts?.length) return turn.contexts;
  }
  return [];
}

/** Why a request cannot be answered yet, or undefined when it can. */
export function missingInput(input: Pick<ParticipantPromptInput, 'prompt' | 'command' | 'contexts'>): string | undefined {
  const task = input.command ? codeTaskFromSlash(input.command) : undefined;
  if (input.command && !task) return `@hearth has no /${input.command} command. Use one of ${Object.values(codeTasks).map((t) => t.slash).join(', ')}.`;
  if (task && input.contexts.length === 0) {
    return `${codeTasks[task].slash} needs code: select some in the editor, put the cursor inside a function, or attach a file with #file.`;
  }
  if (!task && !input.prompt.trim()) return 'Ask @hearth a question, or use one of its commands (/explain, /fix, /tests, /doc, /review).';
  return undefined;
}

/** A suggestion after an answer; `command` is the slash command it runs. */
export interface Followup {
  readonly prompt: string;
  readonly label: string;
  readonly command?: string;
}

/** The natural next job on the same code after `command` (undefined: a plain question). */
export function followupsAfter(command: string | undefined, hadCode: boolean): Followup[] {
  if (!hadCode) return [{ prompt: 'Show that as code', label: 'Show it as code' }];
  const task = (id: 'explain' | 'fix' | 'tests' | 'doc' | 'review', prompt: string): Followup => ({ prompt, command: id, label: codeTasks[id].label });
  switch (command ? codeTaskFromSlash(command) : undefined) {
    case 'explain':
      return [task('tests', 'Write tests for this code'), task('doc', 'Add documentation comments')];
    case 'fix':
      return [task('tests', 'Write tests that would have caught the bug'), task('review', 'Review the fixed code')];
    case 'tests':
      return [{ prompt: 'Which edge cases are still not covered?', label: 'More edge cases' }];
    case 'doc':
      return [task('review', 'Review this code')];
    case 'review':
      return [task('fix', 'Fix the problems you found')];
    default:
      return [task('explain', 'Explain this code')];
  }
}
