// @hearth in VS Code's Chat view: answers with Hearth's current provider (the local engine or a
// remote API), with /explain, /fix, /tests, /doc and /review. Code blocks stay plain fenced
// markdown so VS Code's own Apply and Insert actions work on them.
import * as vscode from 'vscode';
import { z } from 'zod';
import { codeTaskFromSlash, type CodeDiagnostic, type CodeTaskId } from '../chat/codeTasks';
import { pickEnclosingRange } from '../chat/enclosingRange';
import { buildParticipantMessages, followupsAfter, lastContexts, missingInput, type HistoryTurn, type PromptContext } from '../chat/participantPrompt';
import { ProviderError, isAbortError, type ChatProvider, type FinishReason } from '../providers/types';
import { codeDiagnostic, fallbackNote } from './codeTaskActions';
import { documentSymbols, wholeLines } from './documentSymbols';
import { rangeAttachment } from './editorContext';

export const participantId = 'hearth.participant';

/** Per attached file or range: long enough for real code, short enough to keep in the chat's metadata. */
const maxContextChars = 60_000;

export interface ParticipantDeps {
  /** The provider and model the Hearth panel uses now. */
  current(): { providerId: string; model?: string };
  getProvider(id: string): Promise<ChatProvider>;
  systemPrompt(): string;
  log: vscode.LogOutputChannel;
}

/** The parts of VS Code's request, context and stream the handler uses (a test can build them). */
export type ParticipantRequest = Pick<vscode.ChatRequest, 'prompt' | 'command' | 'references'>;
export type ParticipantContext = Pick<vscode.ChatContext, 'history'>;
export type ParticipantStream = Pick<vscode.ChatResponseStream, 'markdown' | 'reference' | 'progress'>;

/** What a result remembers (VS Code hands it back in the history and to the follow-up provider). */
const ResultMetadataSchema = z.object({
  command: z.string().optional(),
  providerId: z.string(),
  finish: z.enum(['stop', 'length', 'cancelled']).optional(),
  contexts: z.array(z.object({ label: z.string(), content: z.string(), languageId: z.string().optional() })).default([]),
});
type ResultMetadata = z.infer<typeof ResultMetadataSchema>;

function clip(text: string): string {
  return text.length > maxContextChars ? `${text.slice(0, maxContextChars)}\n… (cut at ${maxContextChars} characters)` : text;
}

interface Gathered {
  contexts: PromptContext[];
  /** Shown with `stream.reference`. */
  references: (vscode.Uri | vscode.Location)[];
  /** Where the first piece of code is, for the /fix diagnostics. */
  first?: { uri: vscode.Uri; range: vscode.Range };
  /** Said in the response when the code is not a whole function (the paragraph around the cursor). */
  note?: string;
}

/** The code of the request's references (#file, #selection, ...) in the order the user wrote them. */
async function fromReferences(references: readonly vscode.ChatPromptReference[], log: vscode.LogOutputChannel): Promise<Gathered> {
  const gathered: Gathered = { contexts: [], references: [] };
  // VS Code lists them last-first.
  for (const reference of [...references].reverse()) {
    const value = reference.value;
    try {
      if (value instanceof vscode.Uri || value instanceof vscode.Location) {
        const uri = value instanceof vscode.Uri ? value : value.uri;
        const doc = await vscode.workspace.openTextDocument(uri);
        const range = value instanceof vscode.Location ? value.range : wholeLines(doc, 0, doc.lineCount - 1);
        const attachment = rangeAttachment(doc, range);
        const label = value instanceof vscode.Uri ? vscode.workspace.asRelativePath(uri, false) : attachment.label;
        gathered.contexts.push({ label, content: clip(attachment.content), languageId: doc.languageId });
        gathered.references.push(value);
        gathered.first ??= { uri, range };
      } else if (typeof value === 'string') {
        gathered.contexts.push({ label: reference.modelDescription ?? reference.id, content: clip(value) });
      }
    } catch (err) {
      // A binary or vanished file: the answer goes on without it, and the log says why.
      log.warn(`@hearth: could not read the reference ${reference.id}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return gathered;
}

/** The active editor's selection, or for a task the function around the cursor. */
async function fromEditor(task: CodeTaskId | undefined): Promise<Gathered> {
  const editor = vscode.window.activeTextEditor;
  const none: Gathered = { contexts: [], references: [] };
  if (!editor || editor.document.uri.scheme === 'output') return none;
  const doc = editor.document;
  let range: vscode.Range | undefined = editor.selection.isEmpty ? undefined : editor.selection;
  let note: string | undefined;
  if (!range && task) {
    const lines = Array.from({ length: doc.lineCount }, (_, i) => doc.lineAt(i).text);
    const symbols = await documentSymbols(doc.uri);
    const picked = pickEnclosingRange(symbols, editor.selection.active, lines);
    if (picked) {
      range = wholeLines(doc, picked.startLine, picked.endLine);
      note = fallbackNote(task, doc.languageId, picked, symbols !== undefined, 'cursor');
    }
  }
  if (!range) return none;
  const attachment = rangeAttachment(doc, range);
  const location = new vscode.Location(doc.uri, range);
  return {
    contexts: [{ label: attachment.label, content: clip(attachment.content), languageId: doc.languageId }],
    references: [location],
    first: { uri: doc.uri, range },
    ...(note ? { note } : {}),
  };
}

/**
 * The code a request is about: its references, else the editor's selection; for a slash command
 * then the code the earlier turn was given (a follow-up such as /tests after /explain), else the
 * function around the cursor.
 */
async function gather(request: ParticipantRequest, task: CodeTaskId | undefined, history: readonly HistoryTurn[], log: vscode.LogOutputChannel): Promise<Gathered> {
  const fromRefs = await fromReferences(request.references, log);
  if (fromRefs.contexts.length) return fromRefs;
  const selected = await fromEditor(undefined);
  if (selected.contexts.length || !task) return selected;
  const earlier = lastContexts(history);
  if (earlier.length) return { contexts: [...earlier], references: [] };
  return fromEditor(task);
}

function problemsAt(first: Gathered['first']): CodeDiagnostic[] {
  if (!first) return [];
  return vscode.languages
    .getDiagnostics(first.uri)
    .filter((d) => d.severity <= vscode.DiagnosticSeverity.Warning && d.range.intersection(first.range) !== undefined)
    .map(codeDiagnostic);
}

/** VS Code's history of this participant as plain turns; earlier code comes back from the results' metadata. */
export function historyTurns(history: vscode.ChatContext['history']): HistoryTurn[] {
  const turns: HistoryTurn[] = [];
  for (const turn of history) {
    if (turn instanceof vscode.ChatRequestTurn) {
      turns.push({ role: 'user', prompt: turn.prompt, ...(turn.command ? { command: turn.command } : {}) });
    } else if (turn instanceof vscode.ChatResponseTurn) {
      const text = turn.response.map((part) => (part instanceof vscode.ChatResponseMarkdownPart ? part.value.value : '')).join('');
      const metadata = ResultMetadataSchema.safeParse(turn.result.metadata);
      const previous = turns.at(-1);
      if (metadata.success && metadata.data.contexts.length && previous?.role === 'user') {
        turns[turns.length - 1] = { ...previous, contexts: metadata.data.contexts };
      }
      turns.push({ role: 'assistant', text, ...(turn.result.errorDetails ? { failed: true } : {}) });
    }
  }
  return turns;
}

function errorText(err: unknown): string {
  if (err instanceof ProviderError) return [err.message, err.action].filter(Boolean).join(' ');
  return err instanceof Error ? err.message : String(err);
}

export function createParticipantHandler(deps: ParticipantDeps) {
  return async (request: ParticipantRequest, context: ParticipantContext, stream: ParticipantStream, token: vscode.CancellationToken): Promise<vscode.ChatResult> => {
    const { providerId, model } = deps.current();
    const command = request.command;
    const task = command ? codeTaskFromSlash(command) : undefined;
    const history = historyTurns(context.history);

    const gathered = await gather(request, task, history, deps.log);
    const contexts = gathered.contexts;
    const metadata: ResultMetadata = { providerId, contexts, ...(command ? { command } : {}) };

    const missing = missingInput({ prompt: request.prompt, contexts, ...(command ? { command } : {}) });
    if (missing) return { errorDetails: { message: missing }, metadata };
    for (const reference of gathered.references) stream.reference(reference);
    if (gathered.note) stream.progress(gathered.note);

    const messages = buildParticipantMessages({
      systemPrompt: deps.systemPrompt(),
      history,
      prompt: request.prompt,
      contexts,
      ...(command ? { command } : {}),
      ...(task === 'fix' ? { diagnostics: problemsAt(gathered.first) } : {}),
    });

    const abort = new AbortController();
    const cancelled = token.onCancellationRequested(() => abort.abort());
    if (token.isCancellationRequested) abort.abort();
    let finish: FinishReason | undefined;
    try {
      const provider = await deps.getProvider(providerId);
      stream.progress(`Asking ${provider.label}${model ? ` (${model})` : ''}…`);
      for await (const event of provider.chat({ messages, ...(model ? { model } : {}) }, abort.signal)) {
        if (event.type === 'delta') stream.markdown(event.text);
        else if (event.type === 'notice') stream.progress(event.text);
        else if (event.type === 'finish') finish = event.reason;
      }
      if (finish === 'length') stream.markdown('\n\n*The answer was cut at the length limit; ask again for the rest.*');
      return { metadata: { ...metadata, finish: finish ?? 'stop' } };
    } catch (err) {
      if (token.isCancellationRequested || isAbortError(err)) return { metadata: { ...metadata, finish: 'cancelled' } };
      deps.log.error(`@hearth: ${errorText(err)}`);
      return { errorDetails: { message: `Hearth could not answer: ${errorText(err)}` }, metadata };
    } finally {
      cancelled.dispose();
    }
  };
}

/** Suggestions after an answer: the natural next job on the same code. */
export function participantFollowups(result: vscode.ChatResult): vscode.ChatFollowup[] {
  const metadata = ResultMetadataSchema.safeParse(result.metadata);
  if (result.errorDetails || !metadata.success || metadata.data.finish === 'cancelled') return [];
  return followupsAfter(metadata.data.command, metadata.data.contexts.length > 0);
}

export function registerChatParticipant(extensionUri: vscode.Uri, deps: ParticipantDeps): vscode.Disposable[] {
  // An editor without the Chat view (older builds, some forks) has no chat API: Hearth's panel still works.
  if (typeof vscode.chat?.createChatParticipant !== 'function') return [];
  const participant = vscode.chat.createChatParticipant(participantId, createParticipantHandler(deps));
  participant.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'hearth.svg');
  participant.followupProvider = { provideFollowups: (result) => participantFollowups(result) };
  return [participant];
}
