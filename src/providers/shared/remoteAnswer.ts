// The life of one streamed answer from a remote API, the same for every SDK: open the request,
// pass text on as it arrives, tell a stop from a drop, keep what was shown when the stream fails.
// A provider describes only what differs: how to open, how to read a chunk, how a complete answer ends.
import { isAbortError, type ChatEvent, type ProviderError } from '../types';
import { AnswerMeter } from './answerMeter';

export interface RemoteAnswer<Chunk> {
  /** Creates the client and sends the request; may yield notices first (an announced retry). */
  open(signal: AbortSignal | undefined): AsyncGenerator<ChatEvent, AsyncIterable<Chunk>>;
  /** The answer text a chunk carries, if any; the provider records whatever else it says (usage, stop reason). */
  read(chunk: Chunk): string | undefined;
  /** The events that end a complete answer; throws when the stream ended without its end marker. */
  close(meter: AnswerMeter): Iterable<ChatEvent>;
  /** An error thrown while opening, before any text arrived. */
  openError(err: unknown): ProviderError;
  /** An error thrown mid-stream: the text already shown stays. */
  streamError(err: unknown): ProviderError;
}

export async function* streamRemoteAnswer<Chunk>(answer: RemoteAnswer<Chunk>, now: () => number, signal?: AbortSignal): AsyncGenerator<ChatEvent> {
  if (signal?.aborted) {
    yield { type: 'finish', reason: 'cancelled' };
    return;
  }
  const startedAt = now();
  let stream: AsyncIterable<Chunk>;
  try {
    stream = yield* answer.open(signal);
  } catch (err) {
    if (signal?.aborted || isAbortError(err)) {
      yield { type: 'finish', reason: 'cancelled' };
      return;
    }
    throw answer.openError(err);
  }

  const meter = new AnswerMeter(startedAt, now);
  try {
    for await (const chunk of stream) {
      const text = answer.read(chunk);
      if (text) {
        meter.onDelta();
        yield { type: 'delta', text };
      }
    }
  } catch (err) {
    if (!(signal?.aborted || isAbortError(err))) throw answer.streamError(err);
  }
  // The SDKs end the stream quietly when aborted, so the signal is the only witness.
  if (signal?.aborted) {
    if (meter.sawText) yield { type: 'stats', stats: meter.stats() };
    yield { type: 'finish', reason: 'cancelled' };
    return;
  }
  yield* answer.close(meter);
}
