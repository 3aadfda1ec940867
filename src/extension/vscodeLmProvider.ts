// A ChatProvider over VS Code's own language models (`vscode.lm`): whatever chat models the user's installed
// extensions offer (GitHub Copilot Chat, or any extension that registers a LanguageModelChatProvider). No API key:
// VS Code asks the user once whether Hearth may use a model. It lives in src/extension/ because it imports vscode.
import * as vscode from 'vscode';
import type { ChatMessage } from '../protocol/chat';
import { AnswerMeter } from '../providers/shared/answerMeter';
import { hearthVendor } from './localLanguageModels';
import { ProviderError, type ChatEvent, type ChatProvider, type ChatRequest, type ModelInfo } from '../providers/types';

export const vscodeLmProviderId = 'vscode-lm';

export interface VscodeLmSettings {
  /** A model id or family (e.g. "gpt-4o"); empty: the first model VS Code offers. */
  model: string;
}

export type SelectChatModels = (selector?: vscode.LanguageModelChatSelector) => Thenable<vscode.LanguageModelChat[]>;

export interface VscodeLmProviderOptions {
  /** Read at every request, so settings changes apply to the next message. */
  getSettings(): VscodeLmSettings;
  /** Default `vscode.lm.selectChatModels`; tests pass their own models. */
  selectChatModels?: SelectChatModels;
  now?: () => number;
}

const noModelsAction =
  "Install and sign in to an extension that provides chat models (e.g. GitHub Copilot Chat), or pick another provider with 'Hearth: Select Provider'.";
const pickModelAction = "Pick one with 'Hearth: Select Model', or clear hearth.vscodeLm.model to use the first available.";
const contextWording = /context (?:window|length)|too many tokens|token limit|prompt is too long|exceeds? the/i;

export class VscodeLmProvider implements ChatProvider {
  readonly id = vscodeLmProviderId;
  readonly label = 'VS Code language models';
  readonly kind = 'remote' as const;
  private readonly select: SelectChatModels;
  private readonly now: () => number;

  constructor(private readonly options: VscodeLmProviderOptions) {
    this.select = options.selectChatModels ?? ((selector) => vscode.lm.selectChatModels(selector));
    this.now = options.now ?? (() => performance.now());
  }

  async models(signal?: AbortSignal): Promise<ModelInfo[]> {
    void signal;
    const models = await this.available();
    return models.map((m) => ({ id: m.id, label: `${m.name} (${m.vendor})`, contextWindow: m.maxInputTokens }));
  }

  async *chat(request: ChatRequest, signal?: AbortSignal): AsyncGenerator<ChatEvent> {
    if (signal?.aborted) {
      yield { type: 'finish', reason: 'cancelled' };
      return;
    }
    const model = await this.pick(request.model ?? this.options.getSettings().model);
    const messages = toLmMessages(request.messages);
    if (messages.length === 0) throw new ProviderError('badRequest', 'There is no message to send.', 'Type a question and send it.');

    // VS Code cancels with a CancellationToken; Hearth's callers abort with a signal. Bridge the two, and also race
    // each step against the abort so Stop ends the answer at once even if a model is slow to notice the token.
    const cancellation = new vscode.CancellationTokenSource();
    const aborted = abortPromise(signal);
    const onAbort = (): void => cancellation.cancel();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const startedAt = this.now();
      let response: vscode.LanguageModelChatResponse | typeof cancelled;
      try {
        response = await Promise.race([
          model.sendRequest(messages, { justification: 'Hearth sends your chat messages to this model to answer them.' }, cancellation.token),
          aborted,
        ]);
      } catch (err) {
        if (signal?.aborted || err instanceof vscode.CancellationError) {
          yield { type: 'finish', reason: 'cancelled' };
          return;
        }
        throw toLmProviderError(err, model.name);
      }
      if (response === cancelled) {
        yield { type: 'finish', reason: 'cancelled' };
        return;
      }

      const meter = new AnswerMeter(startedAt, this.now);
      const text = response.text[Symbol.asyncIterator]();
      try {
        for (;;) {
          const next = await Promise.race([text.next(), aborted]);
          if (next === cancelled || next.done) break;
          if (!next.value) continue;
          meter.onDelta();
          yield { type: 'delta', text: next.value };
        }
      } catch (err) {
        if (!(signal?.aborted || err instanceof vscode.CancellationError)) throw toLmProviderError(err, model.name, meter.sawText);
      }
      if (meter.sawText) yield { type: 'stats', stats: meter.stats() };
      yield { type: 'finish', reason: signal?.aborted ? 'cancelled' : 'stop' };
    } finally {
      signal?.removeEventListener('abort', onAbort);
      cancellation.dispose();
    }
  }

  /** VS Code's models but Hearth's own (vendor 'hearth'): those are the local provider's models, asked for here they would answer through VS Code and back. */
  private async available(): Promise<vscode.LanguageModelChat[]> {
    return (await this.select()).filter((m) => m.vendor !== hearthVendor);
  }

  /** The model named by id or family, else the first one; a clear error when there is none. */
  private async pick(wanted: string): Promise<vscode.LanguageModelChat> {
    const models = await this.available();
    const first = models[0];
    if (!first) throw new ProviderError('badModel', 'VS Code has no chat models available.', noModelsAction);
    const name = wanted.trim();
    if (!name) return first;
    const match = models.find((m) => m.id === name) ?? models.find((m) => m.family === name);
    if (match) return match;
    const available = models.map((m) => m.id).join(', ');
    throw new ProviderError('badModel', `No VS Code chat model has the id or family '${name}' (available: ${available}).`, pickModelAction);
  }
}

/**
 * The stable API has only User and Assistant roles, so system text goes in front of the first user message.
 * Models still follow it well there, and it keeps the instructions in the conversation rather than dropping them.
 */
export function toLmMessages(messages: readonly ChatMessage[]): vscode.LanguageModelChatMessage[] {
  const system = messages.filter((m) => m.role === 'system' && m.content.trim()).map((m) => m.content);
  const turns = messages.filter((m) => m.role !== 'system' && m.content.trim());
  const firstUser = turns.findIndex((m) => m.role === 'user');
  const prefix = system.length ? `${system.join('\n\n')}\n\n` : '';
  const out = turns.map((m, i) =>
    m.role === 'user'
      ? vscode.LanguageModelChatMessage.User(i === firstUser ? `${prefix}${m.content}` : m.content)
      : vscode.LanguageModelChatMessage.Assistant(m.content),
  );
  if (prefix && firstUser < 0) out.unshift(vscode.LanguageModelChatMessage.User(prefix.trimEnd()));
  return out;
}

/** Maps what sendRequest or the response stream threw; `midAnswer` when text was already shown (it stays). */
export function toLmProviderError(err: unknown, modelName: string, midAnswer = false): ProviderError {
  if (err instanceof ProviderError) return err;
  const message = err instanceof Error ? err.message : String(err);
  const detail = message ? `: ${message}` : '.';
  const code = languageModelErrorCode(err);
  if (code === 'NoPermissions') {
    return new ProviderError(
      'auth',
      `VS Code has not allowed Hearth to use ${modelName}${detail}`,
      "Send again and choose Allow when VS Code asks, or allow Hearth under Accounts > Manage Language Model Access.",
    );
  }
  if (code === 'Blocked') {
    return new ProviderError('rateLimit', `${modelName} refused the request (quota or rate limit)${detail}`, 'Wait a moment and try again, or pick another model.');
  }
  if (code === 'NotFound') {
    return new ProviderError('badModel', `${modelName} is no longer available${detail}`, pickModelAction);
  }
  const cause = err instanceof Error && err.cause instanceof Error ? err.cause.message : '';
  if (contextWording.test(`${message} ${cause}`)) {
    return new ProviderError('contextTooLong', `The conversation is too long for ${modelName}${detail}`, 'Start a new conversation or shorten the message.');
  }
  const where = midAnswer ? 'stopped mid-answer' : 'failed';
  return new ProviderError(
    'server',
    `${modelName} ${where}${cause && !message.includes(cause) ? `: ${message} (${cause})` : detail}`,
    midAnswer ? 'The partial answer is kept. Try again.' : 'Try again, or pick another model.',
  );
}

/** A LanguageModelError's code; also recognised by name, as errors may cross from another extension host copy. */
function languageModelErrorCode(err: unknown): string | undefined {
  if (err instanceof vscode.LanguageModelError) return err.code;
  if (err instanceof Error && err.name === 'LanguageModelError' && 'code' in err && typeof err.code === 'string') return err.code;
  return undefined;
}

const cancelled = Symbol('cancelled');

/** Resolves when the signal aborts (never, without a signal). */
function abortPromise(signal: AbortSignal | undefined): Promise<typeof cancelled> {
  return new Promise((resolve) => {
    if (signal?.aborted) resolve(cancelled);
    signal?.addEventListener('abort', () => resolve(cancelled), { once: true });
  });
}
