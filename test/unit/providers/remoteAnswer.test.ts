import * as assert from 'node:assert/strict';
import { type RemoteAnswer, streamRemoteAnswer } from '../../../src/providers/shared/remoteAnswer';
import { type ChatEvent, ProviderError } from '../../../src/providers/types';

type Chunk = { text?: string; end?: boolean };

/** A scripted answer: chunks to stream, an optional failure after them, and a record of what was asked. */
function scripted(chunks: Chunk[], options: { openFails?: Error; failAfter?: Error; onChunk?: (c: Chunk) => void } = {}): RemoteAnswer<Chunk> & { ended: boolean } {
  const state = { ended: false };
  return Object.assign(state, {
    async *open(): AsyncGenerator<ChatEvent, AsyncIterable<Chunk>> {
      yield { type: 'notice', text: 'opening' } as ChatEvent;
      if (options.openFails) throw options.openFails;
      return (async function* () {
        for (const c of chunks) {
          options.onChunk?.(c);
          yield c;
        }
        if (options.failAfter) throw options.failAfter;
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

async function run(answer: RemoteAnswer<Chunk>, signal?: AbortSignal): Promise<{ events: ChatEvent[]; error?: ProviderError }> {
  const events: ChatEvent[] = [];
  let clock = 0;
  try {
    for await (const e of streamRemoteAnswer(answer, () => (clock += 10), signal)) events.push(e);
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
});
