// The chat's state machine: one open conversation, at most one answer streaming. It turns panel
// actions into provider calls, posts deltas (never the whole conversation) and saves as it goes.
// No vscode import: the extension supplies the view, providers, settings and the store.
import type { AnswerStats, Attachment, ChatMessage, Conversation, ConversationSummary, Cost, ErrorInfo, Price, StoredMessage } from '../protocol/chat';
import { costOf } from './compareStats';
import type { ContextChip, HostToWebview, ProviderOption, Status } from '../protocol/webviewMessages';
import { ProviderError, isAbortError, type ChatProvider } from '../providers/types';
import { isErrorOnly } from './errorOnly';
import { withRemedy } from './errorRemedy';
import { newId } from './ids';
import { settleInterruptedAnswers } from './interruptedAnswers';
import { buildPrompt, continuationTurns, titleFrom } from './prompt';

/** What the controller needs from the conversation store. */
export interface ConversationRepository {
  list(): Promise<ConversationSummary[]>;
  load(id: string): Promise<Conversation | undefined>;
  /** Throttled save while an answer streams. */
  scheduleSave(conversation: Conversation): void;
  save(conversation: Conversation): Promise<void>;
  delete(id: string): Promise<void>;
  /** Undoes the last delete; returns the restored id. */
  restore(): Promise<string | undefined>;
  rename(id: string, title: string): Promise<void>;
  search(query: string): Promise<ConversationSummary[]>;
}

export interface ChatSettings {
  providerId: string;
  systemPrompt: string;
  /** The configured model of a provider, when it has one. */
  modelFor(providerId: string): string | undefined;
  /** Where a provider's answers come from (a host, or this computer), shown with each answer. */
  endpointFor(providerId: string): string;
  /** What a provider charges per million tokens, where known (nothing on this computer). */
  priceFor(providerId: string, model: string | undefined): Price | undefined;
}

export interface ChatControllerDeps {
  store: ConversationRepository;
  providers(): ProviderOption[];
  getProvider(id: string): Promise<ChatProvider>;
  settings(): ChatSettings;
  post(message: HostToWebview): void;
  /** Provider-specific status (device, context window, model list). */
  providerStatus?(providerId: string, model: string | undefined): Promise<Partial<Status>>;
}

interface Generation {
  conversationId: string;
  messageId: string;
  abort: AbortController;
  done: Promise<void>;
}

interface PendingChip {
  chip: ContextChip;
  attachment: Attachment;
}

export class ChatController {
  private conversation: Conversation;
  private generation: Generation | undefined;
  private chips: PendingChip[] = [];
  private lastStats: AnswerStats | undefined;
  private providerExtras: Partial<Status> = {};
  /** The provider `providerExtras` describe: another provider's window or model list is never shown. */
  private extrasFor: string | undefined;
  private restored: Promise<void> | undefined;

  constructor(private readonly deps: ChatControllerDeps) {
    this.conversation = this.emptyConversation();
  }

  get current(): Conversation {
    return this.conversation;
  }

  get isGenerating(): boolean {
    return this.generation !== undefined;
  }

  /** Opens the most recent conversation, or a new one when there is none. */
  async restore(): Promise<void> {
    const [latest] = await this.deps.store.list();
    const loaded = latest ? await this.deps.store.load(latest.id) : undefined;
    if (loaded) this.conversation = settleInterruptedAnswers(loaded);
    this.lastStats = lastAnswerStats(this.conversation);
  }

  /** The first time the panel asks, reopen where the user left off (not at activation: that stays cheap). */
  private restoreOnce(): Promise<void> {
    return (this.restored ??= this.restore());
  }

  async sendInit(): Promise<void> {
    await this.restoreOnce();
    this.deps.post({
      type: 'init',
      conversation: this.conversation,
      conversations: await this.deps.store.list(),
      providers: this.deps.providers(),
      status: this.status(),
      generating: this.isGenerating,
      chips: this.chips.map((c) => c.chip),
    });
    void this.refreshProviderStatus();
  }

  /** Sends `text` with the attached chips and `extra` attachments (the composer's #mentions). */
  async send(text: string, extra: readonly Attachment[] = []): Promise<void> {
    await this.restoreOnce();
    if (this.isGenerating) {
      this.notice('warning', 'An answer is still being written. Stop it first (Escape or the Stop button).');
      return;
    }
    const attachments = [...this.chips.map((c) => c.attachment), ...extra];
    this.chips = [];
    this.deps.post({ type: 'chips', chips: [] });
    const message: StoredMessage = {
      id: newId(),
      role: 'user',
      content: text,
      createdAt: Date.now(),
      status: 'complete',
      ...(attachments.length ? { attachments } : {}),
    };
    if (this.conversation.messages.length === 0) this.conversation.title = titleFrom(text);
    this.conversation.messages.push(message);
    this.touch();
    this.deps.post({ type: 'messageAdded', message });
    await this.deps.store.save(this.conversation);
    await this.postList();
    await this.startAnswer();
  }

  /** Regenerates an assistant answer: drops it (and anything after) and asks again. */
  async regenerate(messageId: string): Promise<void> {
    if (this.isGenerating) await this.stop();
    const index = this.conversation.messages.findIndex((m) => m.id === messageId && m.role === 'assistant');
    if (index < 0) return this.notice('warning', 'That answer is no longer in this conversation.');
    this.truncateFrom(index);
    await this.deps.store.save(this.conversation);
    await this.startAnswer();
  }

  /** Continues an answer cut at the token limit: the new text is appended to the same message. */
  async continueAnswer(messageId: string): Promise<void> {
    if (this.isGenerating) return this.notice('warning', 'An answer is still being written. Stop it first (Escape or the Stop button).');
    const messages = this.conversation.messages;
    const index = messages.findIndex((m) => m.id === messageId);
    const answer = messages[index];
    if (!answer || answer.role !== 'assistant' || answer.status !== 'truncated' || index !== messages.length - 1) {
      return this.notice('warning', 'Only the last answer, when it was cut at the length limit, can be continued.');
    }
    // The panel drops the message and gets it back as streaming, with its text so far.
    this.truncateFrom(index);
    await this.startAnswer(answer);
  }

  /** Replaces a user message (and everything after it) with an edited one and resends. */
  async editAndResend(messageId: string, text: string): Promise<void> {
    if (this.isGenerating) await this.stop();
    const index = this.conversation.messages.findIndex((m) => m.id === messageId && m.role === 'user');
    if (index < 0) return this.notice('warning', 'That message is no longer in this conversation.');
    const original = this.conversation.messages[index];
    this.truncateFrom(index);
    const message: StoredMessage = {
      ...original,
      id: newId(),
      content: text,
      createdAt: Date.now(),
    };
    if (index === 0) this.conversation.title = titleFrom(text);
    this.conversation.messages.push(message);
    this.deps.post({ type: 'messageAdded', message });
    await this.deps.store.save(this.conversation);
    // An edited first message renames the conversation; the panel's list and heading show it now.
    if (index === 0) await this.postList();
    await this.startAnswer();
  }

  /** Aborts the streaming answer and waits until it is saved as stopped. */
  async stop(): Promise<void> {
    const generation = this.generation;
    if (!generation) return;
    generation.abort.abort();
    await generation.done;
  }

  async newChat(): Promise<void> {
    await this.stop();
    await this.dropIfErrorOnly();
    if (this.conversation.messages.length > 0) {
      // A new chat keeps the provider and model the user last picked in the panel.
      const { providerId, model } = this.conversation;
      this.conversation = { ...this.emptyConversation(), ...(providerId ? { providerId } : {}), ...(model ? { model } : {}) };
    }
    this.lastStats = undefined;
    await this.sendInit();
  }

  async select(id: string): Promise<void> {
    if (id === this.conversation.id) return;
    const loaded = await this.deps.store.load(id);
    if (!loaded) {
      this.notice('error', 'That conversation could not be opened: its file is missing or was set aside as corrupt.');
      await this.postList();
      return;
    }
    await this.stop();
    await this.dropIfErrorOnly();
    // Only the open conversation can be streaming in this window, and it is not this one.
    this.conversation = settleInterruptedAnswers(loaded);
    // The status line speaks of the open conversation: its own last answer, not the one left behind.
    this.lastStats = lastAnswerStats(this.conversation);
    await this.sendInit();
  }

  async rename(id: string, title: string): Promise<void> {
    await this.deps.store.rename(id, title);
    if (id === this.conversation.id) this.conversation.title = title;
    await this.postList();
  }

  async delete(id: string): Promise<void> {
    if (id === this.conversation.id) {
      await this.stop();
      await this.deps.store.delete(id);
      await this.restoreOrEmpty();
      await this.sendInit();
    } else {
      await this.deps.store.delete(id);
      await this.postList();
    }
    this.deps.post({ type: 'notice', level: 'info', text: 'Conversation deleted.', undo: true });
  }

  async undoDelete(): Promise<void> {
    const id = await this.deps.store.restore();
    if (!id) return this.notice('info', 'Nothing to undo.');
    await this.select(id);
    await this.postList();
  }

  async search(query: string): Promise<void> {
    const conversations = query.trim() ? await this.deps.store.search(query) : await this.deps.store.list();
    this.deps.post({ type: 'conversations', conversations, query });
  }

  async selectProvider(providerId: string): Promise<void> {
    if (!this.deps.providers().some((p) => p.id === providerId)) {
      return this.notice('error', `Unknown provider "${providerId}".`);
    }
    this.conversation.providerId = providerId;
    this.conversation.model = undefined;
    this.lastStats = undefined;
    this.providerExtras = {};
    await this.saveIfStarted();
    this.postStatus();
    await this.refreshProviderStatus();
  }

  /** undefined: the conversation goes back to the provider's configured (or default) model. */
  async selectModel(model: string | undefined): Promise<void> {
    this.conversation.model = model;
    await this.saveIfStarted();
    this.postStatus();
  }

  /** What the chips attach to the next message. */
  get attachedContext(): readonly Attachment[] {
    return this.chips.map((c) => c.attachment);
  }

  addChip(attachment: Attachment, tokens: number): void {
    const chip: ContextChip = { id: newId(), kind: attachment.kind, label: attachment.label, tokens };
    this.chips.push({ chip, attachment });
    this.deps.post({ type: 'chips', chips: this.chips.map((c) => c.chip) });
  }

  removeChip(id: string): void {
    this.chips = this.chips.filter((c) => c.chip.id !== id);
    this.deps.post({ type: 'chips', chips: this.chips.map((c) => c.chip) });
  }

  /** Settings changed (provider, model): tell the panel. */
  async settingsChanged(): Promise<void> {
    this.postStatus();
    await this.refreshProviderStatus();
  }

  notice(level: 'info' | 'warning' | 'error', text: string): void {
    this.deps.post({ type: 'notice', level, text });
  }

  async dispose(): Promise<void> {
    await this.stop();
  }

  private providerId(): string {
    return this.conversation.providerId ?? this.deps.settings().providerId;
  }

  private model(): string | undefined {
    return this.conversation.model ?? this.deps.settings().modelFor(this.providerId());
  }

  private status(): Status {
    const providerId = this.providerId();
    const option = this.deps.providers().find((p) => p.id === providerId);
    const model = this.model();
    const endpoint = this.deps.settings().endpointFor(providerId);
    // Context used is the open conversation's: a provider's own figure would be its last answer's, whichever conversation that was.
    const { contextUsed: _engineWide, ...extras } = this.extrasFor === providerId ? this.providerExtras : {};
    const contextUsed = measuredContext(this.conversation);
    return {
      ...extras,
      providerId,
      providerLabel: option?.label ?? providerId,
      ...(model ? { model } : {}),
      endpoint,
      ...(this.lastStats ? { lastStats: this.lastStats } : {}),
      ...(contextUsed !== undefined ? { contextUsed } : {}),
      ...conversationCost(this.conversation),
    };
  }

  private postStatus(): void {
    this.deps.post({ type: 'status', status: this.status() });
  }

  private async refreshProviderStatus(): Promise<void> {
    if (!this.deps.providerStatus) return;
    try {
      // Merged, not replaced: a remote provider knows nothing of the device but its usage still counts.
      const providerId = this.providerId();
      const fresh = await this.deps.providerStatus(providerId, this.model());
      // A model list that failed before and works now must not keep its old error (nor the step it asked for).
      const { modelsError: _stale, nextStep: _staleStep, ...kept } = this.extrasFor === providerId ? this.providerExtras : {};
      this.providerExtras = { ...kept, ...fresh };
      this.extrasFor = providerId;
      this.postStatus();
    } catch {
      // Status is decoration: a provider that cannot describe itself still chats.
    }
  }

  /** Streams a new answer, or more of `continuing` (an answer cut at the token limit) into the same message. */
  private async startAnswer(continuing?: StoredMessage): Promise<void> {
    const conversation = this.conversation;
    const providerId = this.providerId();
    const model = this.model();
    const endpoint = this.deps.settings().endpointFor(providerId);
    const prompt = buildPrompt(this.deps.settings().systemPrompt, conversation.messages);
    if (continuing) prompt.push(...continuationTurns(continuing));
    const { error: _settled, ...kept } = continuing ?? { id: newId(), role: 'assistant', content: '', createdAt: Date.now() };
    const answer: StoredMessage = {
      ...kept,
      status: 'streaming',
      providerId,
      ...(model ? { model } : {}),
      endpoint,
    };
    conversation.messages.push(answer);
    this.deps.post({ type: 'messageAdded', message: answer });
    this.deps.post({ type: 'generating', generating: true });

    const abort = new AbortController();
    let finish!: () => void;
    const done = new Promise<void>((resolve) => (finish = resolve));
    this.generation = { conversationId: conversation.id, messageId: answer.id, abort, done };
    try {
      await this.stream(conversation, answer, prompt, providerId, model, abort.signal);
    } finally {
      this.generation = undefined;
      const price = answer.usage ? this.deps.settings().priceFor(providerId, model) : undefined;
      if (price && answer.usage) answer.stats = { ...answer.stats, cost: costOf(answer.usage, price) };
      conversation.updatedAt = Date.now();
      await this.deps.store.save(conversation).catch((err: unknown) => {
        this.notice('error', `Could not save the conversation: ${err instanceof Error ? err.message : String(err)}`);
      });
      this.deps.post({
        type: 'messageDone',
        messageId: answer.id,
        status: answer.status,
        ...(answer.error ? { error: answer.error } : {}),
        ...(answer.usage ? { usage: answer.usage } : {}),
        ...(answer.stats ? { stats: answer.stats } : {}),
      });
      this.deps.post({ type: 'generating', generating: false });
      if (answer.stats) this.lastStats = answer.stats;
      if (this.extrasFor !== providerId) this.providerExtras = {};
      this.extrasFor = providerId;
      if (answer.stats?.device && answer.stats.device !== this.providerExtras.device) {
        // Another device than the status knew (a GPU given up, or just loaded): its details are the
        // old device's until the provider's fresh status arrives.
        const { deviceDetail: _detail, deviceNote: _note, ...rest } = this.providerExtras;
        this.providerExtras = { ...rest, device: answer.stats.device };
      }
      this.postStatus();
      await this.postList();
      void this.refreshProviderStatus();
      finish();
    }
  }

  private async stream(
    conversation: Conversation,
    answer: StoredMessage,
    messages: ChatMessage[],
    providerId: string,
    model: string | undefined,
    signal: AbortSignal,
  ): Promise<void> {
    try {
      const provider = await this.deps.getProvider(providerId);
      const events = provider.chat({ conversationId: conversation.id, messages, ...(model ? { model } : {}) }, signal);
      const thinking = new ThinkingClock();
      // Where this request's text begins (a continued answer has text from before).
      const streamedFrom = answer.content.length;
      for await (const event of events) {
        switch (event.type) {
          case 'delta':
            thinking.answerStarted(answer);
            answer.content += event.text;
            this.deps.post({ type: 'delta', messageId: answer.id, text: event.text });
            this.deps.store.scheduleSave(conversation);
            break;
          case 'reasoning':
            thinking.reasoningArrived();
            answer.reasoning = (answer.reasoning ?? '') + event.text;
            this.deps.post({ type: 'reasoningDelta', messageId: answer.id, text: event.text });
            this.deps.store.scheduleSave(conversation);
            break;
          case 'answerWasReasoning': {
            // The text so far was thinking (a server's lone </think> said so): the panel gets the
            // message back with it moved into its Thinking section, as Continue re-adds a message.
            const thought = answer.content.slice(streamedFrom);
            thinking.answerWasReasoning();
            if (!thought) break;
            answer.content = answer.content.slice(0, streamedFrom);
            answer.reasoning = (answer.reasoning ?? '') + thought;
            this.deps.post({ type: 'messagesTruncated', fromMessageId: answer.id });
            this.deps.post({ type: 'messageAdded', message: answer });
            this.deps.store.scheduleSave(conversation);
            break;
          }
          case 'usage':
            answer.usage = event.usage;
            break;
          case 'stats':
            answer.stats = { ...answer.stats, ...event.stats };
            break;
          case 'notice':
            this.notice('info', event.text);
            break;
          case 'finish':
            if (event.reason === 'cancelled') answer.status = 'stopped';
            // Not complete: the model had more to say. The panel offers Continue.
            else if (event.reason === 'length') answer.status = 'truncated';
            break;
        }
      }
      // An answer that ended while still thinking (stopped, cut) thought until its end.
      thinking.answerStarted(answer);
      if (answer.status === 'streaming') answer.status = signal.aborted ? 'stopped' : 'complete';
    } catch (err) {
      if (signal.aborted || isAbortError(err)) {
        answer.status = 'stopped';
      } else {
        answer.status = 'error';
        answer.error = withRemedy(toErrorInfo(err), this.deps.providers().find((p) => p.id === providerId));
      }
    }
  }

  private truncateFrom(index: number): void {
    const removed = this.conversation.messages[index];
    if (!removed) return;
    this.conversation.messages.splice(index);
    this.touch();
    this.deps.post({ type: 'messagesTruncated', fromMessageId: removed.id });
  }

  private async restoreOrEmpty(): Promise<void> {
    this.conversation = this.emptyConversation();
    this.restored = this.restore();
    await this.restored;
  }

  private async saveIfStarted(): Promise<void> {
    if (this.conversation.messages.length > 0) await this.deps.store.save(this.conversation);
  }

  /** Leaving a conversation whose only answer is an error: it goes to the trash, not into the history. */
  private async dropIfErrorOnly(): Promise<void> {
    if (!isErrorOnly(this.conversation)) return;
    const { id } = this.conversation;
    if (!(await this.deps.store.list()).some((c) => c.id === id)) return;
    await this.deps.store.delete(id);
  }

  private async postList(): Promise<void> {
    this.deps.post({ type: 'conversations', conversations: await this.deps.store.list() });
  }

  private touch(): void {
    this.conversation.updatedAt = Date.now();
  }

  private emptyConversation(): Conversation {
    const now = Date.now();
    return { version: 1, id: newId(), title: 'New chat', createdAt: now, updatedAt: now, messages: [] };
  }
}

/** Times the thinking: from its first reasoning text to the first text of the answer (or the end). */
class ThinkingClock {
  private startedAt: number | undefined;
  private answerAt: number | undefined;
  private done = false;

  reasoningArrived(): void {
    this.startedAt ??= Date.now();
  }

  /** The text taken for the answer was thinking: the thinking began with it. */
  answerWasReasoning(): void {
    if (this.done) return;
    this.startedAt ??= this.answerAt;
    this.answerAt = undefined;
  }

  answerStarted(answer: StoredMessage): void {
    this.answerAt ??= Date.now();
    if (this.startedAt === undefined || this.done) return;
    this.done = true;
    // A continued answer adds this stretch of thinking to what it thought before.
    const before = answer.stats?.thinkingMs ?? 0;
    answer.stats = { ...answer.stats, thinkingMs: before + (Date.now() - this.startedAt) };
  }
}

/** `key` of the conversation's last answer that has one. */
function lastAnswerValue<K extends 'stats' | 'usage'>(conversation: Conversation, key: K): StoredMessage[K] | undefined {
  for (let i = conversation.messages.length - 1; i >= 0; i--) {
    const message = conversation.messages[i];
    if (message?.role === 'assistant' && message[key]) return message[key];
  }
  return undefined;
}

function lastAnswerStats(conversation: Conversation): AnswerStats | undefined {
  return lastAnswerValue(conversation, 'stats');
}

/** The tokens the conversation's last measured answer filled (prompt and answer); none before one was measured. */
function measuredContext(conversation: Conversation): number | undefined {
  const usage = lastAnswerValue(conversation, 'usage');
  return usage ? usage.promptTokens + usage.completionTokens : undefined;
}

/** The sum of the answers' costs, one entry per currency; one priced from a preset's table keeps its oldest check date. */
function conversationCost(conversation: Conversation): Pick<Status, 'conversationCost'> {
  const totals = new Map<string, Cost>();
  for (const m of conversation.messages) {
    const cost = m.stats?.cost;
    if (!cost) continue;
    const sum = totals.get(cost.currency);
    const checked = [sum?.presetChecked, cost.presetChecked].filter((d): d is string => d !== undefined).sort()[0];
    totals.set(cost.currency, { amount: (sum?.amount ?? 0) + cost.amount, currency: cost.currency, ...(checked ? { presetChecked: checked } : {}) });
  }
  return totals.size ? { conversationCost: [...totals.values()] } : {};
}

export function toErrorInfo(err: unknown): ErrorInfo {
  if (err instanceof ProviderError) return err.toInfo();
  const message = err instanceof Error ? err.message : String(err);
  return { kind: 'unknown', message, action: 'See the "Hearth" output channel for details.' };
}
