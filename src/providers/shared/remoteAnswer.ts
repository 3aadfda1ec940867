// The life of one streamed answer from a remote API, the same for every SDK: open the request,
// pass text on as it arrives, tell a stop from a drop, keep what was shown when the stream fails.
// A provider describes only what differs: how to open, how to read a chunk, how a complete answer ends.
import { isAbortError, type ChatEvent, type ProviderError } from '../types';
import { AnswerMeter } from './answerMeter';
import { InlineThinking, type InlinePiece } from './inlineThinking';
import { StreamWatchdog, timeoutError, type StreamTimeouts } from './streamWatchdog';

export interface RemoteAnswer<Chunk> {
  /** Where the request goes, as shown in messages (no credentials). */
  endpoint: string;
  /** Creates the client and sends the request; may yield notices first (an announced retry). */
  open(signal: AbortSignal | undefined): AsyncGenerator<ChatEvent, AsyncIterable<Chunk>>;
  /**
   * The answer text a chunk carries, if any, and the reasoning (thinking) apart from it; the provider
   * records whatever else it says (usage, stop reason).
   */
  read(chunk: Chunk): string | ChunkText | undefined;
  /** The events that end a complete answer; throws when the stream ended without its end marker. */
  close(meter: AnswerMeter): Iterable<ChatEvent>;
  /** An error thrown while opening, before any text arrived. */
  openError(err: unknown): ProviderError;
  /** An error thrown mid-stream: the text already shown stays. */
  streamError(err: unknown): ProviderError;
}

export interface ChunkText {
  text?: string;
  reasoning?: string;
}

export async function* streamRemoteAnswer<Chunk>(
  answer: RemoteAnswer<Chunk>,
  now: () => number,
  timeouts: StreamTimeouts,
  signal?: AbortSignal,
): AsyncGenerator<ChatEvent> {
  if (signal?.aborted) {
    yield { type: 'finish', reason: 'cancelled' };
    return;
  }
  const watchdog = new StreamWatchdog(timeouts, signal);
  try {
    yield* stream(answer, now, watchdog);
  } finally {
    watchdog.dispose();
  }
}

async function* stream<Chunk>(answer: RemoteAnswer<Chunk>, now: () => number, watchdog: StreamWatchdog): AsyncGenerator<ChatEvent> {
  const startedAt = now();
  // Whoever aborted: the user (a stop, not an error) or the watchdog (an error that says which limit).
  const ended = (): ProviderError | 'cancelled' | undefined => {
    if (watchdog.expired) return timeoutError(watchdog.expired, answer.endpoint);
    return watchdog.signal.aborted ? 'cancelled' : undefined;
  };
  let chunks: AsyncIterable<Chunk>;
  try {
    chunks = yield* answer.open(watchdog.signal);
  } catch (err) {
    const reason = ended() ?? (isAbortError(err) ? 'cancelled' : undefined);
    if (reason === 'cancelled') {
      yield { type: 'finish', reason: 'cancelled' };
      return;
    }
    throw reason ?? answer.openError(err);
  }

  const meter = new AnswerMeter(startedAt, now);
  // Thinking a server leaves inline in the text is taken out of the answer.
  const inline = new InlineThinking();
  try {
    for await (const chunk of chunks) {
      watchdog.progress();
      const read = answer.read(chunk);
      const { text, reasoning } = typeof read === 'string' ? { text: read, reasoning: undefined } : (read ?? {});
      if (reasoning) yield* measured([...inline.reasoningApart(), { kind: 'reasoning', text: reasoning }], meter);
      if (text) yield* measured(inline.push(text), meter);
    }
  } catch (err) {
    if (!(watchdog.signal.aborted || isAbortError(err))) {
      yield* measured(inline.flush(), meter);
      throw answer.streamError(err);
    }
  }
  yield* measured(inline.flush(), meter);
  // The SDKs end the stream quietly when aborted, so the signal is the only witness.
  const reason = ended();
  if (reason !== undefined) {
    if (meter.sawText) yield { type: 'stats', stats: meter.stats() };
    if (reason !== 'cancelled') throw reason;
    yield { type: 'finish', reason: 'cancelled' };
    return;
  }
  yield* answer.close(meter);
}

/** Thinking and answer text as events, each counted by the meter. */
function* measured(pieces: InlinePiece[], meter: AnswerMeter): Generator<ChatEvent> {
  for (const piece of pieces) {
    if (piece.kind === 'rewind') {
      meter.answerWasReasoning();
      yield { type: 'answerWasReasoning' };
      continue;
    }
    if (!piece.text) continue;
    meter.onDelta(piece.text, piece.kind === 'reasoning');
    yield piece.kind === 'reasoning' ? { type: 'reasoning', text: piece.text } : { type: 'delta', text: piece.text };
  }
}
