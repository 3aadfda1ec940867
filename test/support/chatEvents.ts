// Reads a provider's event stream to the end for assertions: the events, the streamed text, and the
// ProviderError it ended with (any other error fails the test).
import * as assert from 'node:assert/strict';
import { ProviderError, type ChatEvent } from '../../src/providers/types';

export interface Outcome {
  events: ChatEvent[];
  text: string;
  error?: ProviderError;
}

export async function collect(stream: AsyncIterable<ChatEvent>, onEvent?: (e: ChatEvent) => void): Promise<Outcome> {
  const events: ChatEvent[] = [];
  try {
    for await (const event of stream) {
      events.push(event);
      onEvent?.(event);
    }
  } catch (err) {
    assert.ok(err instanceof ProviderError, `expected a ProviderError, got ${String(err)}`);
    return { events, text: textOf(events), error: err };
  }
  return { events, text: textOf(events) };
}

export function textOf(events: ChatEvent[]): string {
  return events.map((e) => (e.type === 'delta' ? e.text : '')).join('');
}

/** The reason of the final `finish` event, if the stream ended with one. */
export function finishOf(events: ChatEvent[]): string | undefined {
  const last = events.at(-1);
  return last?.type === 'finish' ? last.reason : undefined;
}
