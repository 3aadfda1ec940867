// A ChatProvider for any OpenAI-compatible Chat Completions API (OpenAI, Azure OpenAI, DeepSeek, Qwen/DashScope,
// Moonshot, Ollama, LM Studio, vLLM, llama-server), streaming through the official openai SDK.
//
// Retries: the SDK's own retries are off (they would retry silently and make Stop slow). Before the first token
// we retry what says "later" (429, 5xx) as `retryPolicy` decides, announced with a notice, and once each for two
// compatibility quirks: a server that rejects `stream_options`, a model that wants `max_completion_tokens`.
// Nothing is re-sent once text has streamed.
import { setTimeout as delay } from 'node:timers/promises';
import { APIError, type OpenAI } from 'openai';
import type { ChatCompletionChunk, ChatCompletionCreateParamsStreaming } from 'openai/resources/chat/completions';
import type { Stream } from 'openai/streaming';
import { ProviderError, type ChatEvent, type ChatProvider, type ChatRequest, type FinishReason, type ModelInfo } from '../types';
import type { AnswerMeter } from '../shared/answerMeter';
import { keyForRequest } from '../shared/keyOrigin';
import { answerReserve, droppedNotice, fitRemotePrompt } from '../shared/remoteBudget';
import { discoverContextWindow } from './contextWindow';
import { streamRemoteAnswer, type ChunkText } from '../shared/remoteAnswer';
import type { RemoteProviderOptions } from '../shared/remoteProviderOptions';
import { createOpenAiClient, type OpenAiSettings } from './openAiClient';
import { pickContextWindow } from '../presets/presetModelTable';
import { connectionClosed, displayUrl, toProviderError, toStreamError, type ErrorContext } from './openAiErrors';
import { defaultRetryPolicy, retryDelayMs, retryNotice } from '../shared/retryPolicy';

export type { OpenAiSettings } from './openAiClient';

export type OpenAiProviderOptions = RemoteProviderOptions<OpenAiSettings>;

interface Attempt {
  params: ChatCompletionCreateParamsStreaming;
  retriedStreamOptions: boolean;
  retriedMaxTokens: boolean;
  /** Retries of "later" statuses so far. */
  retries: number;
}

export class OpenAiProvider implements ChatProvider {
  readonly id: string;
  readonly label: string;
  readonly kind = 'remote' as const;
  private readonly now: () => number;
  /** Base URLs that rejected `stream_options`, so later requests skip it. */
  private readonly noStreamOptions = new Set<string>();
  /** `baseUrl model` pairs that want `max_completion_tokens`. */
  private readonly wantsMaxCompletionTokens = new Set<string>();
  /** Context windows the server reported, by `baseUrl model`: kept for the session, a "not said" for 10 minutes. */
  private readonly windows = new Map<string, { at: number; window: Promise<number | undefined> }>();

  constructor(private readonly options: OpenAiProviderOptions) {
    this.id = options.id ?? 'openai';
    this.label = options.label ?? 'OpenAI-compatible API';
    this.now = options.now ?? (() => performance.now());
  }

  /** The server's models; throws a ProviderError that says why when they cannot be listed (the picker shows it). */
  async models(signal?: AbortSignal): Promise<ModelInfo[]> {
    const settings = this.options.getSettings();
    const { origin, apiKey } = await keyForRequest(settings.baseUrl, this.options.getApiKey).catch((err: unknown) => {
      throw badBaseUrl(err);
    });
    try {
      const client = createOpenAiClient(settings, apiKey, this.options.fetch);
      const page = await client.models.list({ signal });
      return page.data.map((m) => ({ id: m.id })).sort((a, b) => a.id.localeCompare(b.id));
    } catch (err) {
      throw toProviderError(err, { baseUrl: settings.baseUrl, model: settings.model, apiKey, keyOrigin: origin });
    }
  }

  /** The user's setting, else what the server says (`contextSource`), else the preset's table. */
  async contextWindow(model: string | undefined, signal?: AbortSignal): Promise<number | undefined> {
    const settings = this.options.getSettings();
    const name = model ?? settings.model;
    const user = settings.contextWindow;
    const server = user ? undefined : await this.serverContextWindow(settings, name, signal);
    return pickContextWindow({ user, server, preset: settings.knownContextWindows?.[name] });
  }

  private async serverContextWindow(settings: OpenAiSettings, name: string, signal?: AbortSignal): Promise<number | undefined> {
    if (!settings.contextSource) return undefined;
    const cacheKey = `${settings.baseUrl} ${name}`;
    const cached = this.windows.get(cacheKey);
    if (cached && (Date.now() - cached.at < 10 * 60_000 || (await cached.window) !== undefined)) return cached.window;
    const source = settings.contextSource;
    const window = (async () => {
      const { apiKey } = await keyForRequest(settings.baseUrl, this.options.getApiKey);
      const fetchImpl = this.options.fetch ?? ((input, init) => globalThis.fetch(input, init));
      const headers: Record<string, string> = apiKey ? { authorization: `Bearer ${apiKey}` } : {};
      return discoverContextWindow({ baseUrl: settings.baseUrl, model: name, source, headers, fetch: fetchImpl }, signal);
    })().catch(() => undefined);
    this.windows.set(cacheKey, { at: Date.now(), window });
    return window;
  }

  async *chat(request: ChatRequest, signal?: AbortSignal): AsyncGenerator<ChatEvent> {
    const settings = this.options.getSettings();
    const model = request.model ?? settings.model;
    const { origin, apiKey } = await keyForRequest(settings.baseUrl, this.options.getApiKey).catch((err: unknown) => {
      throw badBaseUrl(err);
    });
    if (!model) throw new ProviderError('badModel', `No model is chosen for ${this.label}.`, 'Pick one in the panel\'s model picker (Hearth: Select Model), or set "model" for this endpoint in hearth.endpoints.');
    const window = await this.contextWindow(model, signal);
    let messages = request.messages;
    if (window) {
      const fitted = fitRemotePrompt(messages, window, answerReserve(window, request.maxTokens ?? settings.maxTokens ?? undefined));
      messages = fitted.messages;
      if (fitted.dropped) yield { type: 'notice', text: droppedNotice(fitted.dropped, model, window) };
    }
    const ctx: ErrorContext = { baseUrl: settings.baseUrl, model, apiKey, keyOrigin: origin };
    const outcome: StreamOutcome = {};
    yield* streamRemoteAnswer<ChatCompletionChunk>(
      {
        endpoint: displayUrl(settings.baseUrl),
        open: (openSignal) => {
          let client: OpenAI;
          try {
            client = createOpenAiClient(settings, apiKey, this.options.fetch);
          } catch (err) {
            throw badBaseUrl(err);
          }
          return this.open(client, this.buildParams({ ...request, messages }, settings, model), settings.baseUrl, openSignal);
        },
        read: (chunk) => readChunk(chunk, outcome),
        close: (meter) => closingEvents(outcome, meter, ctx),
        openError: (err) => toProviderError(err, ctx),
        streamError: (err) => toStreamError(err, ctx),
      },
      this.now,
      settings.timeouts ?? {},
      signal,
    );
  }

  private buildParams(request: ChatRequest, settings: OpenAiSettings, model: string): ChatCompletionCreateParamsStreaming {
    const maxTokens = request.maxTokens ?? settings.maxTokens ?? undefined;
    const temperature = request.temperature ?? settings.temperature ?? undefined;
    const params: ChatCompletionCreateParamsStreaming = {
      model,
      messages: request.messages.map((m) => ({ role: m.role, content: m.content })),
      stream: true,
    };
    if (!this.noStreamOptions.has(settings.baseUrl)) params.stream_options = { include_usage: true };
    if (maxTokens !== undefined) {
      if (this.wantsMaxCompletionTokens.has(`${settings.baseUrl} ${model}`) || settings.maxTokensField === 'max_completion_tokens' || isOpenAiItself(settings.baseUrl)) {
        params.max_completion_tokens = maxTokens;
      } else {
        params.max_tokens = maxTokens;
      }
    }
    if (temperature !== undefined) params.temperature = temperature;
    return params;
  }

  /** Sends the request, retrying once for each known compatibility quirk and for a short 429. */
  private async *open(
    client: OpenAI,
    params: ChatCompletionCreateParamsStreaming,
    baseUrl: string,
    signal: AbortSignal | undefined,
  ): AsyncGenerator<ChatEvent, Stream<ChatCompletionChunk>> {
    const attempt: Attempt = { params, retriedStreamOptions: false, retriedMaxTokens: false, retries: 0 };
    const policy = this.options.retry ?? defaultRetryPolicy;
    for (;;) {
      try {
        return await client.chat.completions.create(attempt.params, { signal });
      } catch (err) {
        if (!(err instanceof APIError)) throw err;
        const text = `${err.message} ${JSON.stringify(err.error ?? '')}`;
        if (err.status === 400 && !attempt.retriedStreamOptions && attempt.params.stream_options && /stream_options/i.test(text)) {
          this.noStreamOptions.add(baseUrl);
          const { stream_options: _dropped, ...rest } = attempt.params;
          attempt.params = rest;
          attempt.retriedStreamOptions = true;
          continue;
        }
        if (err.status === 400 && !attempt.retriedMaxTokens && attempt.params.max_tokens !== undefined && /max_completion_tokens/.test(text)) {
          this.wantsMaxCompletionTokens.add(`${baseUrl} ${attempt.params.model}`);
          const { max_tokens: maxTokens, ...rest } = attempt.params;
          attempt.params = { ...rest, max_completion_tokens: maxTokens };
          attempt.retriedMaxTokens = true;
          continue;
        }
        const code = typeof err.code === 'string' ? err.code : undefined;
        const waitMs = retryDelayMs({ status: err.status, headers: err.headers, ...(code ? { code } : {}) }, attempt.retries, policy);
        if (waitMs !== undefined && err.status !== undefined) {
          yield { type: 'notice', text: retryNotice(err.status, waitMs, attempt.retries, policy) };
          attempt.retries += 1;
          await delay(waitMs, undefined, { signal });
          continue;
        }
        throw err;
      }
    }
  }
}

/** What the stream told us besides text. */
interface StreamOutcome {
  finishReason?: string;
  usage?: ChatCompletionChunk['usage'];
}

/** Records usage and the finish reason; returns the answer text and the reasoning a chunk carries. */
function readChunk(chunk: ChatCompletionChunk, outcome: StreamOutcome): ChunkText | undefined {
  // vLLM can send usage on every chunk; OpenAI on a last chunk with no choices. Keep the latest.
  if (chunk.usage) outcome.usage = chunk.usage;
  const choice = chunk.choices?.[0];
  if (!choice) return undefined;
  if (choice.finish_reason) outcome.finishReason = choice.finish_reason;
  const delta = choice.delta;
  if (!delta) return undefined;
  return { ...(delta.content ? { text: delta.content } : {}), ...reasoningOf(delta) };
}

/**
 * The model thinking aloud, which the SDK's types do not know: `reasoning_content` (DeepSeek,
 * Qwen/DashScope, vLLM, llama-server) or `reasoning` (OpenRouter, newer vLLM). Not part of the answer.
 */
function reasoningOf(delta: object): { reasoning?: string } {
  for (const field of ['reasoning_content', 'reasoning']) {
    const value: unknown = Reflect.get(delta, field);
    if (typeof value === 'string' && value) return { reasoning: value };
  }
  return {};
}

/** The events that end a complete answer; a stream without a finish reason was cut. */
function closingEvents(outcome: StreamOutcome, meter: AnswerMeter, ctx: ErrorContext): ChatEvent[] {
  if (outcome.finishReason === undefined) throw connectionClosed(ctx);
  const { usage } = outcome;
  const events: ChatEvent[] = [];
  const reasoningTokens = meter.reasoningTokens(usage?.completion_tokens, usage?.completion_tokens_details?.reasoning_tokens ?? undefined);
  if (usage) {
    events.push({
      type: 'usage',
      usage: { promptTokens: usage.prompt_tokens ?? 0, completionTokens: usage.completion_tokens ?? 0, ...(reasoningTokens ? { reasoningTokens } : {}) },
    });
  }
  events.push({ type: 'stats', stats: meter.stats(usage?.completion_tokens) });
  if (outcome.finishReason === 'content_filter') events.push({ type: 'notice', text: "The provider's content filter stopped the answer." });
  events.push({ type: 'finish', reason: toFinishReason(outcome.finishReason) });
  return events;
}

function badBaseUrl(err: unknown): ProviderError {
  return new ProviderError('badRequest', `hearth.openai.baseUrl: ${err instanceof Error ? err.message : String(err)}`, 'Fix hearth.openai.baseUrl in your user settings.');
}

function toFinishReason(reason: string): FinishReason {
  return reason === 'length' ? 'length' : 'stop';
}

function isOpenAiItself(baseUrl: string): boolean {
  try {
    return new URL(baseUrl).hostname === 'api.openai.com';
  } catch {
    return false;
  }
}
