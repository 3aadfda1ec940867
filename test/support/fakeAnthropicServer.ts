// A local stand-in for Anthropic's Messages API, for tests in plain Node (mocha) and inside the VS Code extension
// host. It speaks the real streaming wire format (SSE with named events: message_start, content_block_start,
// ping, content_block_delta/text_delta, content_block_stop, message_delta with usage and stop_reason,
// message_stop; errors as `{type:'error', error:{type, message}}`, over HTTP or as `event: error` mid-stream),
// checks requests as strictly as the classic API did (max_tokens required, no system role in `messages`, roles
// alternating, no empty text), and records every request. Waiting is by promise, never by polling.
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { defaultAnswerChunks, splitIntoChunks } from './fakeOpenAiServer';
import { type FakeApiServer, type RecordedRequest, ScenarioQueue, type ServerTls, fakeApiServer, isRecord, sendJson, startRecordingServer } from './recordingHttpServer';

export { defaultAnswerChunks, defaultAnswerText } from './fakeOpenAiServer';
export type { RecordedRequest } from './recordingHttpServer';

export type StopReason = 'end_turn' | 'max_tokens' | 'stop_sequence' | 'refusal' | 'model_context_window_exceeded';

/** What the server does with the next messages request(s). */
export type Scenario =
  | {
      kind: 'ok';
      /** text_delta texts; default: `defaultAnswerChunks(last user message)`. */
      chunks?: string[];
      /** Default: input = words in system + messages, output = number of chunks. */
      usage?: { input_tokens: number; output_tokens: number; cache_read_input_tokens?: number };
      stopReason?: StopReason;
      /** A thinking block streamed before the answer (extended thinking): not part of the answer. */
      thinkingChunks?: string[];
    }
  | {
      kind: 'slow';
      /** The text_delta repeated at each tick; default "tick ". */
      chunk?: string;
      /** Default 20 ms. */
      intervalMs?: number;
    }
  | {
      kind: 'status';
      status: number;
      /** Anthropic's error.type; default from the status (e.g. 529 -> overloaded_error). */
      type?: string;
      message?: string;
      /** Seconds, sent as the `retry-after` header. */
      retryAfter?: number;
    }
  | {
      /** Streams some text, then an `event: error` (how a mid-answer overload arrives). */
      kind: 'streamError';
      chunks?: string[];
      type?: string;
      message?: string;
    }
  | { kind: 'nonJson'; status?: number; body?: string }
  | {
      kind: 'drop';
      /** text_deltas sent before the socket is destroyed; default ["partial ", "answer "]. */
      chunks?: string[];
    };

export interface FakeAnthropicServerOptions {
  /** Speak https with this certificate; the base URL is then `https://127.0.0.1:PORT`. */
  tls?: ServerTls;
  /** When set, a request without this key (`x-api-key` or `Authorization: Bearer`) gets a 401. */
  apiKey?: string;
  /** Ids listed by `GET /v1/models`; default ["claude-fake-1", "claude-fake-mini"]. */
  models?: string[];
  /** Initial scenario; default `{ kind: 'ok' }`. */
  scenario?: Scenario;
}

/** baseUrl: the client's base URL, e.g. `http://127.0.0.1:PORT` (the SDK appends /v1/messages). */
export type FakeAnthropicServer = FakeApiServer<Scenario>;

interface MessagesBody {
  model: string;
  lastUser: string;
  promptWords: number;
}

export async function startFakeAnthropicServer(options: FakeAnthropicServerOptions = {}): Promise<FakeAnthropicServer> {
  const scenarios = new ScenarioQueue<Scenario>(options.scenario ?? { kind: 'ok' });
  let messageCounter = 0;
  const server = await startRecordingServer(handle, options.tls);

  function handle(req: IncomingMessage, res: ServerResponse, recorded: RecordedRequest): void {
    const got = sentKey(req.headers);
    if (options.apiKey !== undefined && got !== options.apiKey) {
      // This fake quotes the key it got, so tests prove the client never shows a server message unredacted.
      sendError(res, 401, 'authentication_error', `invalid x-api-key: ${got ?? '(none)'}`);
      return;
    }
    if (req.method === 'GET' && recorded.path === '/v1/models') {
      const ids = options.models ?? ['claude-fake-1', 'claude-fake-mini'];
      const data = ids.map((id) => ({
        type: 'model',
        id,
        display_name: `Claude ${id}`,
        created_at: '2026-01-01T00:00:00Z',
        max_input_tokens: 200000,
        max_tokens: 64000,
      }));
      sendJson(res, 200, { data, has_more: false, first_id: ids[0] ?? null, last_id: ids.at(-1) ?? null });
      return;
    }
    if (req.method !== 'POST' || recorded.path !== '/v1/messages') {
      sendError(res, 404, 'not_found_error', `Not found: ${req.method} ${recorded.path}`);
      return;
    }
    const checked = checkMessagesBody(recorded.body);
    if (typeof checked === 'string') {
      sendError(res, 400, 'invalid_request_error', checked);
      return;
    }
    const s = scenarios.next();
    switch (s.kind) {
      case 'ok':
        return streamOk(res, checked, s);
      case 'slow':
        return streamSlow(res, checked, s.chunk ?? 'tick ', s.intervalMs ?? 20);
      case 'status':
        if (s.retryAfter !== undefined) res.setHeader('retry-after', String(s.retryAfter));
        sendError(res, s.status, s.type ?? defaultErrorType(s.status), s.message ?? defaultErrorMessage(s.status, checked.model));
        return;
      case 'streamError':
        return streamThenError(res, checked, s);
      case 'nonJson':
        res.writeHead(s.status ?? 502, { 'content-type': 'text/html' });
        res.end(s.body ?? '<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>');
        return;
      case 'drop':
        return streamThenDrop(res, checked, s.chunks ?? ['partial ', 'answer ']);
    }
  }

  function sse(res: ServerResponse, event: string, data: unknown): void {
    res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  function startMessage(res: ServerResponse, body: MessagesBody, inputTokens: number, cacheRead = 0): void {
    messageCounter += 1;
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive', 'request-id': `req_fake${messageCounter}` });
    sse(res, 'message_start', {
      type: 'message_start',
      message: {
        id: `msg_fake${messageCounter}`,
        type: 'message',
        role: 'assistant',
        model: body.model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: inputTokens, cache_creation_input_tokens: 0, cache_read_input_tokens: cacheRead, output_tokens: 1 },
      },
    });
  }

  function textBlock(res: ServerResponse, index: number, chunks: string[], stop = true): void {
    sse(res, 'content_block_start', { type: 'content_block_start', index, content_block: { type: 'text', text: '' } });
    if (index === 0) sse(res, 'ping', { type: 'ping' });
    for (const text of chunks) sse(res, 'content_block_delta', { type: 'content_block_delta', index, delta: { type: 'text_delta', text } });
    if (stop) sse(res, 'content_block_stop', { type: 'content_block_stop', index });
  }

  function streamOk(res: ServerResponse, body: MessagesBody, s: Extract<Scenario, { kind: 'ok' }>): void {
    const chunks = s.chunks ?? defaultAnswerChunks(body.lastUser);
    const usage = s.usage ?? { input_tokens: body.promptWords, output_tokens: chunks.length };
    startMessage(res, body, usage.input_tokens, usage.cache_read_input_tokens);
    let index = 0;
    if (s.thinkingChunks) {
      sse(res, 'content_block_start', { type: 'content_block_start', index, content_block: { type: 'thinking', thinking: '', signature: '' } });
      for (const thinking of s.thinkingChunks) sse(res, 'content_block_delta', { type: 'content_block_delta', index, delta: { type: 'thinking_delta', thinking } });
      sse(res, 'content_block_delta', { type: 'content_block_delta', index, delta: { type: 'signature_delta', signature: 'fakesig' } });
      sse(res, 'content_block_stop', { type: 'content_block_stop', index });
      index += 1;
    }
    textBlock(res, index, chunks);
    sse(res, 'message_delta', {
      type: 'message_delta',
      delta: { stop_reason: s.stopReason ?? 'end_turn', stop_sequence: null },
      usage: { output_tokens: usage.output_tokens },
    });
    sse(res, 'message_stop', { type: 'message_stop' });
    res.end();
  }

  function streamSlow(res: ServerResponse, body: MessagesBody, chunk: string, intervalMs: number): void {
    startMessage(res, body, body.promptWords);
    textBlock(res, 0, [], false);
    server.repeatUntilClosed(res, intervalMs, () =>
      sse(res, 'content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: chunk } }),
    );
  }

  function streamThenError(res: ServerResponse, body: MessagesBody, s: Extract<Scenario, { kind: 'streamError' }>): void {
    startMessage(res, body, body.promptWords);
    textBlock(res, 0, s.chunks ?? ['partial '], false);
    sse(res, 'error', { type: 'error', error: { type: s.type ?? 'overloaded_error', message: s.message ?? 'Overloaded' } });
    res.end();
  }

  function streamThenDrop(res: ServerResponse, body: MessagesBody, chunks: string[]): void {
    startMessage(res, body, body.promptWords);
    textBlock(res, 0, chunks, false);
    // Destroy only after the events have left, so the client really sees partial text first.
    server.dropAfterFlush(res);
  }

  return fakeApiServer(server, `${options.tls ? 'https' : 'http'}://127.0.0.1:${server.port}`, scenarios);
}

/** The key a client sent: Anthropic's own `x-api-key`, or a Bearer token (newer SDKs, proxies). */
function sentKey(headers: IncomingHttpHeaders): string | undefined {
  const xApiKey = headers['x-api-key'];
  if (typeof xApiKey === 'string' && xApiKey) return xApiKey;
  const auth = headers.authorization;
  return auth?.replace(/^Bearer\s+/i, '') || undefined;
}

/** The parts of a request the scenarios use, or the API's complaint about it. */
function checkMessagesBody(body: unknown): MessagesBody | string {
  if (!isRecord(body)) return 'Request body must be a JSON object.';
  if (typeof body.model !== 'string' || !body.model) return 'model: Field required';
  if (typeof body.max_tokens !== 'number' || !Number.isInteger(body.max_tokens) || body.max_tokens < 1) return 'max_tokens: Field required';
  if (body.stream !== true) return 'This fake only streams: set stream: true.';
  if (!Array.isArray(body.messages) || body.messages.length === 0) return 'messages: at least one message is required';
  const texts: string[] = typeof body.system === 'string' ? [body.system] : [];
  let previousRole: unknown;
  for (const [i, m] of body.messages.entries()) {
    if (!isRecord(m)) return `messages.${i}: Input should be an object`;
    if (m.role !== 'user' && m.role !== 'assistant') {
      return `messages.${i}.role: Input should be 'user' or 'assistant'${m.role === 'system' ? ' (use the top-level system parameter)' : ''}`;
    }
    if (m.role === previousRole) return `messages: roles must alternate between "user" and "assistant" (messages.${i})`;
    if (typeof m.content !== 'string' || !m.content.trim()) return `messages.${i}: text content blocks must be non-empty`;
    previousRole = m.role;
    texts.push(m.content);
  }
  const lastUser = [...body.messages].reverse().find((m) => isRecord(m) && m.role === 'user');
  return {
    model: body.model,
    lastUser: isRecord(lastUser) && typeof lastUser.content === 'string' ? lastUser.content : '',
    promptWords: texts.reduce((n, t) => n + splitIntoChunks(t).length, 0),
  };
}

function sendError(res: ServerResponse, status: number, type: string, message: string): void {
  sendJson(res, status, { type: 'error', error: { type, message }, request_id: 'req_fake_error' }, { 'request-id': 'req_fake_error' });
}

function defaultErrorType(status: number): string {
  switch (status) {
    case 400:
      return 'invalid_request_error';
    case 401:
      return 'authentication_error';
    case 402:
      return 'billing_error';
    case 403:
      return 'permission_error';
    case 404:
      return 'not_found_error';
    case 413:
      return 'request_too_large';
    case 429:
      return 'rate_limit_error';
    case 529:
      return 'overloaded_error';
    default:
      return 'api_error';
  }
}

function defaultErrorMessage(status: number, model: string): string {
  switch (status) {
    case 400:
      return 'prompt is too long: 215034 tokens > 200000 maximum';
    case 404:
      return `model: ${model}`;
    case 429:
      return 'This request would exceed the rate limit for your organization of 50 requests per minute.';
    case 529:
      return 'Overloaded';
    default:
      return status >= 500 ? 'Internal server error' : `Error ${status}.`;
  }
}
