// Compare Models: one prompt, two targets (provider + model) answering at once, side by side.
//
// Design: each side is saved as an ordinary conversation (the user's prompt and that side's answer)
// with its provider and model pinned and a shared `comparisonId`. So history lists both, "Continue in
// chat" simply opens one in the chat view, where it goes on with the same provider and model, and
// nothing about the store, export or search had to change. The sides share one AbortSignal (Stop stops
// both) but nothing else: each catches its own failure, so one side failing never ends the other.
// No vscode import: the panel glue (src/extension/comparePanel.ts) supplies providers, store and prices.
import type { Conversation, ErrorInfo, Price, StoredMessage } from '../protocol/chat';
import type { CompareSideInfo, CompareStats, CompareTarget, HostToCompare, SideIndex } from '../protocol/compareMessages';
import type { ChatProvider } from '../providers/types';
import type { ConversationRepository } from './chatController';
import { sideStats } from './compareStats';
import { streamSide } from './compareSide';
import { compareRemedy, withRemedy } from './errorRemedy';
import { newId } from './ids';
import { buildPrompt, titleFrom } from './prompt';

/** What the comparison needs to know about a target before it asks it anything. */
export interface TargetDescription {
  providerLabel: string;
  /** The model to ask: the target's, else the provider's configured one. */
  model?: string;
  kind: 'local' | 'remote';
  /** The API's host, or `this computer` (stored on the answer like the chat view does). */
  endpoint: string;
  /** Per million tokens; undefined when unknown (no cost is shown then). */
  price?: Price;
  /** Its API key is one Set API Key manages (a side refused for its key then offers to set it). */
  keyed?: boolean;
}

export interface CompareDeps {
  getProvider(id: string): Promise<ChatProvider>;
  describe(target: CompareTarget): TargetDescription;
  store: Pick<ConversationRepository, 'save' | 'scheduleSave'>;
  systemPrompt(): string;
  post(message: HostToCompare): void;
  now?(): number;
}

export interface CompareSideResult {
  conversationId: string;
  status: StoredMessage['status'];
  stats: CompareStats;
}

export interface ComparisonResult {
  comparisonId: string;
  sides: [CompareSideResult, CompareSideResult];
}

/** Where the prompt went, in the words the panel shows. */
export function dataWent(description: TargetDescription): string {
  return description.kind === 'local' ? 'stayed on this machine' : `sent to ${description.endpoint}`;
}

/** Runs both sides to their end (complete, stopped or failed) and saves each as a conversation. */
export async function runComparison(deps: CompareDeps, prompt: string, targets: readonly [CompareTarget, CompareTarget], signal: AbortSignal): Promise<ComparisonResult> {
  const now = deps.now ?? Date.now;
  const comparisonId = newId();
  const described = [deps.describe(targets[0]), deps.describe(targets[1])] as const;
  const conversations = [0, 1].map((i) => sideConversation(comparisonId, prompt, targets[i] as CompareTarget, described[i] as TargetDescription, now()));
  const infos = conversations.map((c, i): CompareSideInfo => {
    const d = described[i] as TargetDescription;
    return { providerId: c.providerId ?? '', providerLabel: d.providerLabel, ...(d.model ? { model: d.model } : {}), dataWent: dataWent(d), conversationId: c.id };
  });
  // Saved before asking: history shows the comparison even if the editor dies mid-answer.
  await Promise.all(conversations.map((c) => deps.store.save(c)));
  deps.post({ type: 'started', comparisonId, prompt, sides: [infos[0] as CompareSideInfo, infos[1] as CompareSideInfo] });
  const llmPrompt = buildPrompt(deps.systemPrompt(), conversations[0]?.messages.slice(0, 1) ?? []);
  const run = async (side: SideIndex): Promise<CompareSideResult> => {
    const conversation = conversations[side] as Conversation;
    const answer = conversation.messages[1] as StoredMessage;
    const times = await streamSide(
      {
        getProvider: deps.getProvider,
        scheduleSave: (c) => deps.store.scheduleSave(c),
        onDelta: (text) => deps.post({ type: 'delta', side, text }),
        onReasoning: (text) => deps.post({ type: 'reasoningDelta', side, text }),
        onAnswerWasReasoning: () => deps.post({ type: 'answerWasReasoning', side }),
        now,
      },
      conversation,
      answer,
      llmPrompt,
      signal,
    );
    const stats = sideStats(times, answer.usage, answer.stats, described[side].price);
    // Saved with the chat's fix (Continue in chat shows it there); the panel offers the ones that make sense in it.
    if (answer.error) answer.error = withRemedy(answer.error, described[side]);
    answer.stats = { ...answer.stats, ...pick(stats) };
    conversation.updatedAt = now();
    let saveError: string | undefined;
    await deps.store.save(conversation).catch((err: unknown) => (saveError = err instanceof Error ? err.message : String(err)));
    if (saveError) deps.post({ type: 'notice', level: 'error', text: `Could not save the ${described[side].providerLabel} side: ${saveError}` });
    deps.post({ type: 'sideDone', side, status: answer.status, ...(answer.error ? { error: panelError(answer.error) } : {}), stats });
    return { conversationId: conversation.id, status: answer.status, stats };
  };
  const sides = await Promise.all([run(0), run(1)]);
  deps.post({ type: 'finished' });
  return { comparisonId, sides };
}

/** The error as the panel shows it: with the fix that makes sense there, if any. */
function panelError(error: ErrorInfo): ErrorInfo {
  const { remedy, ...rest } = error;
  const shown = compareRemedy(remedy);
  return shown ? { ...rest, remedy: shown } : rest;
}

/** The chat view's per-answer stats from the comparison's (so a continued conversation shows them too). */
function pick(stats: CompareStats): NonNullable<StoredMessage['stats']> {
  return {
    ...(stats.timeToFirstTokenMs !== undefined ? { timeToFirstTokenMs: stats.timeToFirstTokenMs } : {}),
    ...(stats.tokensPerSecond !== undefined ? { tokensPerSecond: stats.tokensPerSecond } : {}),
    ...(stats.cost ? { cost: stats.cost } : {}),
    ...(stats.thinkingMs !== undefined ? { thinkingMs: stats.thinkingMs } : {}),
  };
}

function sideConversation(comparisonId: string, prompt: string, target: CompareTarget, d: TargetDescription, at: number): Conversation {
  const model = d.model;
  return {
    version: 1,
    id: newId(),
    title: `${titleFrom(prompt)} · ${d.providerLabel}`,
    createdAt: at,
    updatedAt: at,
    providerId: target.providerId,
    ...(model ? { model } : {}),
    comparisonId,
    messages: [
      { id: newId(), role: 'user', content: prompt, createdAt: at, status: 'complete' },
      { id: newId(), role: 'assistant', content: '', createdAt: at, status: 'streaming', providerId: target.providerId, ...(model ? { model } : {}), endpoint: d.endpoint },
    ],
  };
}
