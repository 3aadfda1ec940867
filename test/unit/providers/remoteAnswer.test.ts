import * as assert from 'node:assert/strict';
import { type RemoteAnswer, streamRemoteAnswer } from '../../../src/providers/shared/remoteAnswer';
import type { StreamTimeouts } from '../../../src/providers/shared/streamWatchdog';
import { type ChatEvent, ProviderError } from '../../../src/providers/types';

type Chunk = { text?: string; end?: boolean };

/** A scripted answer: chunks to stream, an optional failure after them, and a record of what was asked. */
interface ScriptOptions {
  openFails?: Error;
  failAfter?: Error;
  onChunk?: (c: Chunk) => void;
  /** Never answer the request: wait until aborted, as a silent server does. */
  hangOnOpen?: boolean;
  /** After the chunks, wait until aborted, as a server that went quiet mid-answer does. */
  hangAfter?: boolean;
  /** Wait this long before each chunk. */
  gapMs?: number;
}

/** Resolves never; rejects with an AbortError when the signal aborts (what fetch does). */
function untilAborted(signal: AbortSignal | undefined): Promise<never> {
  const abortError = () => Object.assign(new Error('aborted'), { name: 'AbortError' });
  if (signal?.aborted) return Promise.reject(abortError());
  return new Promise((_, reject) => signal?.addEventListener('abort', () => reject(abortError())));
}

function scripted(chunks: Chunk[], options: ScriptOptions = {}): RemoteAnswer<Chunk> & { ended: boolean } {
  const state = { ended: false };
  return Object.assign(state, {
    endpoint: 'https://api.example.test/v1',
    async *open(signal: AbortSignal | undefined): AsyncGenerator<ChatEvent, AsyncIterable<Chunk>> {
      yield { type: 'notice', text: 'opening' } as ChatEvent;
      if (options.openFails) throw options.openFails;
      if (options.hangOnOpen) await untilAborted(signal);
      return (async function* () {
        for (const c of chunks) {
          if (options.gapMs) await new Promise((resolve) => setTimeout(resolve, options.gapMs));
          options.onChunk?.(c);
          yield c;
        }
        if (options.failAfter) throw options.failAfter;
        if (options.hangAfter) await untilAborted(signal);
      })();
    },
    read(c: Chunk) {
      if (c.end) state.ended = true;
      return c.text;
    },
    close(): ChatEvent[] {
      if (!state.ended) throw new ProviderError('network', 'cut');
      return [{ type: 'finish', reason: 'stop' }];
    },
    openError: (err: unknown) => new ProviderError('server', `open: ${(err as Error).message}`),
    streamError: (err: unknown) => new ProviderError('network', `stream: ${(err as Error).message}`),
  });
}

async function run(answer: RemoteAnswer<Chunk>, signal?: AbortSignal, timeouts: StreamTimeouts = {}): Promise<{ events: ChatEvent[]; error?: ProviderError }> {
  const events: ChatEvent[] = [];
  let clock = 0;
  try {
    for await (const e of streamRemoteAnswer(answer, () => (clock += 10), timeouts, signal)) events.push(e);
  } catch (err) {
    assert.ok(err instanceof ProviderError, String(err));
    return { events, error: err };
  }
  return { events };
}

const kinds = (events: ChatEvent[]): string[] => events.map((e) => (e.type === 'delta' ? `delta:${e.text}` : e.type === 'finish' ? `finish:${e.reason}` : e.type));

describe('streamRemoteAnswer (the life of a remote answer)', () => {
  it('passes notices and text on, then the closing events', async () => {
    const { events, error } = await run(scripted([{ text: 'Hel' }, {}, { text: 'lo' }, { end: true }]));
    assert.equal(error, undefined);
    assert.deepEqual(kinds(events), ['notice', 'delta:Hel', 'delta:lo', 'finish:stop']);
  });

  it('an already aborted signal finishes as cancelled without opening', async () => {
    const answer = scripted([{ text: 'x' }]);
    const { events } = await run(answer, AbortSignal.abort());
    assert.deepEqual(kinds(events), ['finish:cancelled']);
  });

  it('maps an error while opening; an abort error while opening is a cancellation', async () => {
    const failed = await run(scripted([], { openFails: new Error('refused') }));
    assert.equal(failed.error?.message, 'open: refused');
    const abort = Object.assign(new Error('aborted'), { name: 'AbortError' });
    const cancelled = await run(scripted([], { openFails: abort }));
    assert.deepEqual(kinds(cancelled.events), ['notice', 'finish:cancelled']);
  });

  it('a failure mid-stream keeps the text already passed on and says why', async () => {
    const { events, error } = await run(scripted([{ text: 'partial' }], { failAfter: new Error('reset') }));
    assert.deepEqual(kinds(events), ['notice', 'delta:partial']);
    assert.equal(error?.message, 'stream: reset');
  });

  it('a stream that ends without its end marker is reported by close()', async () => {
    const { events, error } = await run(scripted([{ text: 'partial' }]));
    assert.deepEqual(kinds(events), ['notice', 'delta:partial']);
    assert.equal(error?.message, 'cut');
  });

  it('Stop mid-stream ends with the stats so far and a cancelled finish, not an error', async () => {
    const controller = new AbortController();
    const answer = scripted([{ text: 'one' }, { text: 'two' }, { end: true }], {
      onChunk: (c) => {
        if (c.text === 'two') controller.abort();
      },
    });
    const { events, error } = await run(answer, controller.signal);
    assert.equal(error, undefined);
    // The SDKs end quietly on abort; here the stream even goes on, and the signal still decides.
    assert.deepEqual(kinds(events), ['notice', 'delta:one', 'delta:two', 'stats', 'finish:cancelled']);
    const stats = events.find((e) => e.type === 'stats');
    assert.equal(stats?.type === 'stats' && stats.stats.timeToFirstTokenMs, 10);
  });

  it('ends a request the server accepted but never answered, with the first-chunk limit named', async () => {
    const { events, error } = await run(scripted([{ text: 'never' }], { hangOnOpen: true }), undefined, { firstChunkMs: 30, idleMs: 10_000 });
    assert.deepEqual(kinds(events), ['notice']);
    assert.equal(error?.kind, 'network');
    assert.match(error?.message ?? '', /api\.example\.test.*accepted the request but sent nothing/);
    assert.match(error?.action ?? '', /hearth\.remote\.firstTokenTimeoutSeconds/);
  });

  it('ends an answer whose server went quiet midway, keeping the text and naming the idle limit', async () => {
    const { events, error } = await run(scripted([{ text: 'partial' }], { hangAfter: true }), undefined, { firstChunkMs: 10_000, idleMs: 30 });
    assert.deepEqual(kinds(events), ['notice', 'delta:partial', 'stats']);
    assert.match(error?.message ?? '', /stopped sending in the middle of the answer/);
    assert.match(error?.action ?? '', /partial answer is kept.*hearth\.remote\.idleTimeoutSeconds/);
  });

  it('lets a steady stream run past the idle limit in total, and Stop still wins over the watchdog', async () => {
    const steady = scripted([{ text: 'a' }, { text: 'b' }, { text: 'c' }, { text: 'd' }, { end: true }], { gapMs: 5 });
    const { events, error } = await run(steady, undefined, { firstChunkMs: 1000, idleMs: 1000 });
    assert.equal(error, undefined);
    assert.deepEqual(kinds(events), ['notice', 'delta:a', 'delta:b', 'delta:c', 'delta:d', 'finish:stop']);

    const controller = new AbortController();
    const stopped = await run(scripted([{ text: 'x' }], { hangAfter: true, onChunk: () => queueMicrotask(() => controller.abort()) }), controller.signal, { idleMs: 10_000 });
    assert.equal(stopped.error, undefined, 'a Stop is not a timeout');
    assert.deepEqual(kinds(stopped.events), ['notice', 'delta:x', 'stats', 'finish:cancelled']);
  });
});
