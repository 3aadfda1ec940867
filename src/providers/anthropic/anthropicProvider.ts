// A ChatProvider for Anthropic's Messages API (and Anthropic-compatible proxies), streaming through the official
// @anthropic-ai/sdk. The SDK's retries are off: they would retry 429/5xx/529 silently and make Stop slow; every
// failure is shown to the user as it is, with what to do about it.
import { setTimeout as delay } from 'node:timers/promises';
import { APIError, type Anthropic } from '@anthropic-ai/sdk';
import type { MessageCreateParamsStreaming, RawMessageStreamEvent, StopReason } from '@anthropic-ai/sdk/resources/messages';
import type { Usage } from '../../protocol/chat';
import type { AnswerMeter } from '../shared/answerMeter';
import { keyAction, keyForRequest } from '../shared/keyOrigin';
import { answerReserve, droppedNotice, fitRemotePrompt } from '../shared/remoteBudget';
import { streamRemoteAnswer, type ChunkText } from '../shared/remoteAnswer';
import { defaultRetryPolicy, retryDelayMs, retryNotice } from '../shared/retryPolicy';
import type { RemoteProviderOptions } from '../shared/remoteProviderOptions';
import { ProviderError, type ChatEvent, type ChatProvider, type ChatRequest, type FinishReason, type ModelInfo } from '../types';
import { createAnthropicClient, normalizeAnthropicBaseUrl, type AnthropicSettings } from './anthropicClient';
import { displayUrl, setKeyAction, streamClosed, toAnthropicError, toAnthropicStreamError, type AnthropicErrorContext } from './anthropicErrors';
import { toAnthropicPrompt } from './anthropicMessages';
import { pickContextWindow } from '../presets/presetModelTable';

export type { AnthropicSettings } from './anthropicClient';

export type AnthropicProviderOptions = RemoteProviderOptions<AnthropicSettings>;

/** What the stream told us besides text. */
interface StreamOutcome {
  stopReason?: StopReason | null;
  sawMessageStop: boolean;
  inputTokens?: number;
  outputTokens?: number;
}

export class AnthropicProvider implements ChatProvider {
  readonly id: string;
  readonly label: string;
  readonly kind = 'remote' as const;
  private readonly now: () => number;

  constructor(private readonly options: AnthropicProviderOptions) {
    this.id = options.id ?? 'anthropic';
    this.label = options.label ?? 'Anthropic (Claude)';
    this.now = options.now ?? (() => performance.now());
  }

  /** The API's models; throws a ProviderError that says why when they cannot be listed (the picker shows it). */
  async models(signal?: AbortSignal): Promise<ModelInfo[]> {
    const settings = this.options.getSettings();
    let key: Awaited<ReturnType<typeof keyForRequest>>;
    try {
      key = await keyForRequest(normalizeAnthropicBaseUrl(settings.baseUrl), this.options.getApiKey);
    } catch (err) {
      throw badBaseUrl(err);
    }
    const ctx: AnthropicErrorContext = { baseUrl: settings.baseUrl, model: settings.model, apiKey: key.apiKey, keyOrigin: key.origin };
    if (!key.apiKey) throw new ProviderError('auth', `No Anthropic API key is set for ${key.origin}.`, keyAction(ctx, setKeyAction));
    try {
      const client = createAnthropicClient(settings, key.apiKey, this.options.fetch);
      const page = await client.models.list({ limit: 100 }, { signal });
      return page.data.map((m) => ({
        id: m.id,
        ...(m.display_name ? { label: m.display_name } : {}),
        ...(m.max_input_tokens ? { contextWindow: m.max_input_tokens } : {}),
      }));
    } catch (err) {
      throw toAnthropicError(err, ctx);
    }
  }

  /** From the user's setting, else the model's `max_input_tokens` in the API's model list, else the preset's table. */
  async contextWindow(model: string | undefined, signal?: AbortSignal): Promise<number | undefined> {
    const settings = this.options.getSettings();
    const name = model ?? settings.model;
    const user = settings.contextWindow;
    const server = user ? undefined : await this.models(signal).then((models) => models.find((m) => m.id === name)?.contextWindow, () => undefined);
    return pickContextWindow({ user, server, preset: settings.knownContextWindows?.[name] });
  }

  async *chat(request: ChatRequest, signal?: AbortSignal): AsyncGenerator<ChatEvent> {
    const settings = this.options.getSettings();
    const model = request.model ?? settings.model;
    let key: Awaited<ReturnType<typeof keyForRequest>>;
    try {
      key = await keyForRequest(normalizeAnthropicBaseUrl(settings.baseUrl), this.options.getApiKey);
    } catch (err) {
      throw badBaseUrl(err);
    }
    const { origin, apiKey } = key;
    // The user's setting or the preset's table: listing models before every question would cost a round trip.
    const window = pickContextWindow({ user: settings.contextWindow, preset: settings.knownContextWindows?.[model] });
    if (window) {
      const fitted = fitRemotePrompt(request.messages, window, answerReserve(window, settings.maxTokens));
      if (fitted.dropped) yield { type: 'notice', text: droppedNotice(fitted.dropped, model, window) };
      request = { ...request, messages: fitted.messages };
    }
    const ctx: AnthropicErrorContext = { baseUrl: settings.baseUrl, model, apiKey, keyOrigin: origin };
    const outcome: StreamOutcome = { sawMessageStop: false };
    const fetchImpl = this.options.fetch;
    const policy = this.options.retry ?? defaultRetryPolicy;
    yield* streamRemoteAnswer<RawMessageStreamEvent>(
      {
        endpoint: displayUrl(settings.baseUrl),
        async *open(openSignal) {
          if (!apiKey) throw new ProviderError('auth', `No Anthropic API key is set for ${origin}.`, keyAction(ctx, setKeyAction));
          let client: Anthropic;
          try {
            client = createAnthropicClient(settings, apiKey, fetchImpl);
          } catch (err) {
            throw badBaseUrl(err);
          }
          const params = buildParams(request, settings, model);
          for (let retry = 0; ; retry += 1) {
            try {
              return await client.messages.create(params, { signal: openSignal });
            } catch (err) {
              const failure = err instanceof APIError ? { status: err.status, headers: err.headers } : undefined;
              const waitMs = failure ? retryDelayMs(failure, retry, policy) : undefined;
              if (waitMs === undefined || failure?.status === undefined) throw err;
              yield { type: 'notice', text: retryNotice(failure.status, waitMs, retry, policy) };
              await delay(waitMs, undefined, { signal: openSignal });
            }
          }
        },
        read: (event) => readEvent(event, outcome),
        close: (meter) => closingEvents(outcome, meter, ctx),
        openError: (err) => toAnthropicError(err, ctx),
        streamError: (err) => toAnthropicStreamError(err, ctx),
      },
      this.now,
      settings.timeouts ?? {},
      signal,
    );
  }
}

function badBaseUrl(err: unknown): ProviderError {
  return new ProviderError('badRequest', err instanceof Error ? err.message : String(err), 'Fix hearth.anthropic.baseUrl in your user settings.');
}

/** The events that end a complete answer; a stream with neither a stop reason nor message_stop was cut. */
function closingEvents(outcome: StreamOutcome, meter: AnswerMeter, ctx: AnthropicErrorContext): ChatEvent[] {
  if (!outcome.sawMessageStop && !outcome.stopReason) throw streamClosed(ctx);
  const events: ChatEvent[] = [];
  const usage = toUsage(outcome);
  // Anthropic counts thinking within output_tokens; its share is estimated from the streamed text.
  const reasoningTokens = meter.reasoningTokens(usage?.completionTokens, undefined);
  if (usage) events.push({ type: 'usage', usage: { ...usage, ...(reasoningTokens ? { reasoningTokens } : {}) } });
  events.push({ type: 'stats', stats: meter.stats(outcome.outputTokens) });
  const notice = stopNotice(outcome.stopReason);
  if (notice) events.push({ type: 'notice', text: notice });
  events.push({ type: 'finish', reason: toFinishReason(outcome.stopReason) });
  return events;
}

function buildParams(request: ChatRequest, settings: AnthropicSettings, model: string): MessageCreateParamsStreaming {
  const prompt = toAnthropicPrompt(request.messages);
  if (prompt.messages.length === 0) {
    throw new ProviderError('badRequest', 'There is no message to send to Anthropic.', 'Type a question and send it.');
  }
  const maxTokens = request.maxTokens ?? settings.maxTokens;
  if (!Number.isInteger(maxTokens) || maxTokens < 1) {
    throw new ProviderError('badRequest', `hearth.anthropic.maxTokens must be a whole number of at least 1 (got ${maxTokens}).`, 'Fix hearth.anthropic.maxTokens in Settings.');
  }
  return {
    model,
    max_tokens: maxTokens,
    messages: prompt.messages,
    stream: true,
    ...(prompt.system !== undefined ? { system: prompt.system } : {}),
    ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
  };
}

/** Records usage and the stop reason; returns the answer text an event carries, and thinking apart from it. */
function readEvent(event: RawMessageStreamEvent, outcome: StreamOutcome): string | ChunkText | undefined {
  switch (event.type) {
    case 'message_start': {
      const u = event.message.usage;
      outcome.inputTokens = u.input_tokens + (u.cache_creation_input_tokens ?? 0) + (u.cache_read_input_tokens ?? 0);
      outcome.outputTokens = u.output_tokens;
      return undefined;
    }
    case 'content_block_delta':
      if (event.delta.type === 'thinking_delta') return { reasoning: event.delta.thinking };
      return event.delta.type === 'text_delta' ? event.delta.text : undefined;
    case 'message_delta': {
      // Counts here are cumulative for the whole message.
      const u = event.usage;
      if (u.input_tokens !== null && u.input_tokens !== undefined) {
        outcome.inputTokens = u.input_tokens + (u.cache_creation_input_tokens ?? 0) + (u.cache_read_input_tokens ?? 0);
      }
      outcome.outputTokens = u.output_tokens;
      outcome.stopReason = event.delta.stop_reason;
      return undefined;
    }
    case 'message_stop':
      outcome.sawMessageStop = true;
      return undefined;
    default:
      return undefined;
  }
}

function toUsage(outcome: StreamOutcome): Usage | undefined {
  if (outcome.inputTokens === undefined && outcome.outputTokens === undefined) return undefined;
  return { promptTokens: outcome.inputTokens ?? 0, completionTokens: outcome.outputTokens ?? 0 };
}

function toFinishReason(reason: StopReason | null | undefined): FinishReason {
  return reason === 'max_tokens' || reason === 'model_context_window_exceeded' ? 'length' : 'stop';
}

function stopNotice(reason: StopReason | null | undefined): string | undefined {
  switch (reason) {
    case 'max_tokens':
      return 'The answer reached hearth.anthropic.maxTokens and was cut short.';
    case 'model_context_window_exceeded':
      return "The answer filled the model's context window and was cut short. Start a new conversation to continue.";
    case 'refusal':
      return 'Claude declined to continue this answer.';
    default:
      return undefined;
  }
}
