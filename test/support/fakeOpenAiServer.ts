// A local stand-in for an OpenAI-compatible Chat Completions API, for tests in plain Node (mocha) and inside the
// VS Code extension host. It speaks the real streaming wire format (SSE `data: {json}\n\n`, role chunk, content
// deltas, finish chunk, optional usage chunk, `data: [DONE]`) and records every request. Waiting is by promise
// (`waitForRequests`, `waitForDisconnect`), never by polling.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type FakeApiServer, type RecordedRequest, ScenarioQueue, type ServerTls, fakeApiServer, isRecord, sendJson, startRecordingServer } from './recordingHttpServer';

export type { RecordedRequest } from './recordingHttpServer';

export interface FakeUsage {
  prompt_tokens: number;
  completion_tokens: number;
  /** OpenAI's and DeepSeek's breakdown: the part of completion_tokens spent reasoning. */
  completion_tokens_details?: { reasoning_tokens: number };
}

/** What the server does with the next chat request(s). */
export type Scenario =
  | {
      kind: 'ok';
      /** Content deltas; default: `defaultAnswerChunks(last user message)`. */
      chunks?: string[];
      /** Usage sent when the client asks for it; default: word counts. `false`: never send usage. */
      usage?: FakeUsage | false;
      /** Skip the first `{role:'assistant'}` chunk, as some local servers do. */
      omitRoleChunk?: boolean;
      /** Reasoning deltas sent before the answer (thinking models), in `reasoningField`. */
      reasoningChunks?: string[];
      /** `reasoning_content` (default: DeepSeek, Qwen/DashScope, vLLM, llama-server) or `reasoning` (OpenRouter). */
      reasoningField?: 'reasoning_content' | 'reasoning';
      finishReason?: 'stop' | 'length';
      /** Answer 400 when the request carries `stream_options` (servers that reject it). */
      rejectStreamOptions?: boolean;
    }
  | {
      kind: 'slow';
      /** The delta repeated at each tick; default "tick ". */
      chunk?: string;
      /** Default 20 ms. */
      intervalMs?: number;
    }
  | {
      kind: 'status';
      status: number;
      message?: string;
      type?: string;
      code?: string | null;
      /** Seconds, sent as the `retry-after` header. */
      retryAfter?: number;
    }
  | { kind: 'nonJson'; status?: number; body?: string }
  | {
      kind: 'drop';
      /** Deltas sent before the socket is destroyed; default ["partial ", "answer "]. */
      chunks?: string[];
    }
  | {
      /**
       * Deltas, then an error inside the HTTP 200 stream, then `data: [DONE]`. `llama`: llama-server's
       * `error: {code, message, type}` line; `data`: `data: {"error": {...}}`; `event`: `event: error` with a
       * bare `data: {message}`.
       */
      kind: 'streamError';
      style: 'llama' | 'data' | 'event';
      chunks?: string[];
      error?: { code?: number | string; message: string; type?: string };
    }
  | {
      /** Accepts the request, then sends nothing more: no headers (`headers: false`) or only the 200 headers. */
      kind: 'silent';
      headers: boolean;
    }
  | {
      /** Streams these deltas, then goes quiet with the connection open. */
      kind: 'stall';
      chunks?: string[];
    };

export interface FakeServerOptions {
  /** When set, a request without `Authorization: Bearer <apiKey>` gets OpenAI's 401. */
  apiKey?: string;
  /** Ids listed by `GET /v1/models`; default ["fake-model", "fake-model-mini"]. */
  models?: string[];
  /** Extra fields of every `/models` entry, e.g. vLLM's `{ max_model_len: 4096 }`. */
  modelFields?: Record<string, unknown>;
  /** Answer llama-server's `GET /props` with this body. */
  props?: unknown;
  /** Answer Ollama's `POST /api/show` with this body. */
  ollamaShow?: unknown;
  /** Initial scenario; default `{ kind: 'ok' }`. */
  scenario?: Scenario;
  /** Speak https with this certificate; the base URL is then `https://127.0.0.1:PORT/v1`. */
  tls?: ServerTls;
}

/** baseUrl: the client's base URL, e.g. `http://127.0.0.1:PORT/v1`. */
export type FakeOpenAiServer = FakeApiServer<Scenario>;

/** The answer `ok` streams by default: markdown that quotes the start of the user's last message. */
export function defaultAnswerText(lastUserMessage: string): string {
  const excerpt = lastUserMessage.replace(/\s+/g, ' ').trim().slice(0, 60);
  return `You said: "${excerpt}".\n\nHere is a **fake** answer with \`code\`:\n\n\`\`\`js\nconsole.log(1);\n\`\`\`\n`;
}

/** Splits text into word-sized deltas whose concatenation is the text. */
export function splitIntoChunks(text: string): string[] {
  return text.match(/\S+\s*|\s+/g) ?? [];
}

export function defaultAnswerChunks(lastUserMessage: string): string[] {
  return splitIntoChunks(defaultAnswerText(lastUserMessage));
}

const chatCompletionsPath = /^(?:\/v1)?\/chat\/completions$/;
const modelsPath = /^(?:\/v1)?\/models$/;

interface ChatBody {
  model: string;
  stream: boolean;
  includeUsage: boolean;
  hasStreamOptions: boolean;
  lastUser: string;
  promptWords: number;
}

export async function startFakeOpenAiServer(options: FakeServerOptions = {}): Promise<FakeOpenAiServer> {
  const scenarios = new ScenarioQueue<Scenario>(options.scenario ?? { kind: 'ok' });
  let completionCounter = 0;
  const server = await startRecordingServer(handle, options.tls);

  function handle(req: IncomingMessage, res: ServerResponse, recorded: RecordedRequest): void {
    if (options.apiKey !== undefined && req.headers.authorization !== `Bearer ${options.apiKey}`) {
      // OpenAI quotes (a masked form of) the key it got; this fake quotes it whole, so tests prove the client
      // never passes a server message through unredacted.
      const got = (req.headers.authorization ?? '').replace(/^Bearer\s+/i, '');
      sendError(res, 401, `Incorrect API key provided: ${got}. You can find your API key at https://platform.openai.com/account/api-keys.`, 'invalid_request_error', 'invalid_api_key');
      return;
    }
    if (req.method === 'GET' && modelsPath.test(recorded.path)) {
      const ids = options.models ?? ['fake-model', 'fake-model-mini'];
      sendJson(res, 200, { object: 'list', data: ids.map((id) => ({ id, object: 'model', created: 1700000000, owned_by: 'fake', ...options.modelFields })) });
      return;
    }
    if (req.method === 'GET' && recorded.path === '/props' && options.props !== undefined) {
      sendJson(res, 200, options.props);
      return;
    }
    if (req.method === 'POST' && recorded.path === '/api/show' && options.ollamaShow !== undefined) {
      sendJson(res, 200, options.ollamaShow);
      return;
    }
    if (req.method !== 'POST' || !chatCompletionsPath.test(recorded.path)) {
      sendError(res, 404, `Unknown request URL: ${req.method} ${recorded.path}.`, 'invalid_request_error', 'unknown_url');
      return;
    }
    const body = readChatBody(recorded.body);
    if (!body) {
      sendError(res, 400, 'We could not parse the JSON body of your request.', 'invalid_request_error', null);
      return;
    }
    const s = scenarios.next();
    switch (s.kind) {
      case 'ok':
        return streamOk(res, body, s);
      case 'slow':
        return streamSlow(res, body, s.chunk ?? 'tick ', s.intervalMs ?? 20);
      case 'status':
        if (s.retryAfter !== undefined) res.setHeader('retry-after', String(s.retryAfter));
        sendError(res, s.status, s.message ?? defaultStatusMessage(s.status, body.model), s.type ?? defaultStatusType(s.status), s.code === undefined ? defaultStatusCode(s.status) : s.code);
        return;
      case 'nonJson':
        res.writeHead(s.status ?? 502, { 'content-type': 'text/html' });
        res.end(s.body ?? '<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>');
        return;
      case 'drop':
        return streamThenDrop(res, body, s.chunks ?? ['partial ', 'answer ']);
      case 'streamError':
        return streamThenError(res, body, s);
      case 'silent':
        // Nothing more is written: the connection stays open until the client gives up or the server closes.
        if (s.headers) {
          startStream(res);
          res.flushHeaders();
        }
        return;
      case 'stall': {
        const id = nextId();
        startStream(res);
        for (const c of s.chunks ?? ['partial ']) res.write(`data: ${chunkJson(id, body.model, { content: c }, null, body.includeUsage)}\n\n`);
        return;
      }
    }
  }

  function nextId(): string {
    completionCounter += 1;
    return `chatcmpl-fake${completionCounter}`;
  }

  function chunkJson(id: string, model: string, delta: Record<string, unknown>, finishReason: string | null, includeUsage: boolean): string {
    return JSON.stringify({
      id,
      object: 'chat.completion.chunk',
      created: Math.floor(Date.now() / 1000),
      model,
      system_fingerprint: 'fp_fake',
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
      ...(includeUsage ? { usage: null } : {}),
    });
  }

  function startStream(res: ServerResponse): void {
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive' });
  }

  function streamOk(res: ServerResponse, body: ChatBody, s: Extract<Scenario, { kind: 'ok' }>): void {
    if (s.rejectStreamOptions && body.hasStreamOptions) {
      sendError(res, 400, "Unrecognized request argument supplied: stream_options", 'invalid_request_error', null);
      return;
    }
    const chunks = s.chunks ?? defaultAnswerChunks(body.lastUser);
    const finishReason = s.finishReason ?? 'stop';
    const usage: FakeUsage | false = s.usage ?? { prompt_tokens: body.promptWords, completion_tokens: chunks.length };
    if (!body.stream) {
      sendJson(res, 200, {
        id: nextId(),
        object: 'chat.completion',
        created: Math.floor(Date.now() / 1000),
        model: body.model,
        choices: [{ index: 0, message: { role: 'assistant', content: chunks.join(''), refusal: null }, logprobs: null, finish_reason: finishReason }],
        ...(usage ? { usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens } } : {}),
      });
      return;
    }
    const id = nextId();
    const lines: string[] = [];
    if (!s.omitRoleChunk) lines.push(chunkJson(id, body.model, { role: 'assistant', content: '', refusal: null }, null, body.includeUsage));
    // DeepSeek sends `content: null` beside the reasoning; the answer's chunks then carry `reasoning_content: null`.
    const field = s.reasoningField ?? 'reasoning_content';
    for (const r of s.reasoningChunks ?? []) lines.push(chunkJson(id, body.model, { content: null, [field]: r }, null, body.includeUsage));
    for (const c of chunks) lines.push(chunkJson(id, body.model, { content: c }, null, body.includeUsage));
    lines.push(chunkJson(id, body.model, {}, finishReason, body.includeUsage));
    if (body.includeUsage && usage) {
      lines.push(JSON.stringify({
        id,
        object: 'chat.completion.chunk',
        created: Math.floor(Date.now() / 1000),
        model: body.model,
        system_fingerprint: 'fp_fake',
        choices: [],
        usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens },
      }));
    }
    startStream(res);
    for (const line of lines) res.write(`data: ${line}\n\n`);
    res.end('data: [DONE]\n\n');
  }

  function streamSlow(res: ServerResponse, body: ChatBody, chunk: string, intervalMs: number): void {
    const id = nextId();
    startStream(res);
    res.write(`data: ${chunkJson(id, body.model, { role: 'assistant', content: '' }, null, body.includeUsage)}\n\n`);
    server.repeatUntilClosed(res, intervalMs, () => res.write(`data: ${chunkJson(id, body.model, { content: chunk }, null, body.includeUsage)}\n\n`));
  }

  function streamThenDrop(res: ServerResponse, body: ChatBody, chunks: string[]): void {
    const id = nextId();
    startStream(res);
    res.write(`data: ${chunkJson(id, body.model, { role: 'assistant', content: '' }, null, body.includeUsage)}\n\n`);
    for (const c of chunks) res.write(`data: ${chunkJson(id, body.model, { content: c }, null, body.includeUsage)}\n\n`);
    // Destroy only after the chunks have left, so the client really sees partial text first.
    server.dropAfterFlush(res);
  }

  function streamThenError(res: ServerResponse, body: ChatBody, s: Extract<Scenario, { kind: 'streamError' }>): void {
    const id = nextId();
    const error = s.error ?? { code: 500, message: 'the model crashed while generating', type: 'server_error' };
    startStream(res);
    for (const c of s.chunks ?? ['partial ']) res.write(`data: ${chunkJson(id, body.model, { content: c }, null, body.includeUsage)}\n\n`);
    if (s.style === 'llama') res.write(`error: ${JSON.stringify(error)}\n\n`);
    else if (s.style === 'data') res.write(`data: ${JSON.stringify({ error })}\n\n`);
    else res.write(`event: error\ndata: ${JSON.stringify({ message: error.message })}\n\n`);
    res.end('data: [DONE]\n\n');
  }

  return fakeApiServer(server, `${options.tls ? 'https' : 'http'}://127.0.0.1:${server.port}/v1`, scenarios);
}

function readChatBody(body: unknown): ChatBody | undefined {
  if (!isRecord(body) || !Array.isArray(body.messages)) return undefined;
  const messages = body.messages.filter(isRecord);
  const texts = messages.map((m) => (typeof m.content === 'string' ? m.content : ''));
  const lastUser = [...messages].reverse().find((m) => m.role === 'user');
  const streamOptions = body.stream_options;
  return {
    model: typeof body.model === 'string' ? body.model : 'fake-model',
    stream: body.stream === true,
    hasStreamOptions: streamOptions !== undefined,
    includeUsage: isRecord(streamOptions) && streamOptions.include_usage === true,
    lastUser: lastUser && typeof lastUser.content === 'string' ? lastUser.content : '',
    promptWords: texts.reduce((n, t) => n + splitIntoChunks(t).length, 0),
  };
}

function sendError(res: ServerResponse, status: number, message: string, type: string, code: string | null): void {
  sendJson(res, status, { error: { message, type, param: null, code } });
}

function defaultStatusMessage(status: number, model: string): string {
  switch (status) {
    case 401:
      return 'Incorrect API key provided.';
    case 404:
      return `The model \`${model}\` does not exist or you do not have access to it.`;
    case 429:
      return `Rate limit reached for ${model} on requests per min (RPM): Limit 3, Used 3, Requested 1.`;
    case 400:
      return "This model's maximum context length is 8192 tokens. However, your messages resulted in 9000 tokens. Please reduce the length of the messages.";
    default:
      return status >= 500 ? 'The server had an error while processing your request. Sorry about that!' : `Error ${status}.`;
  }
}

function defaultStatusType(status: number): string {
  if (status === 429) return 'requests';
  return status >= 500 ? 'server_error' : 'invalid_request_error';
}

function defaultStatusCode(status: number): string | null {
  switch (status) {
    case 401:
      return 'invalid_api_key';
    case 404:
      return 'model_not_found';
    case 429:
      return 'rate_limit_exceeded';
    case 400:
      return 'context_length_exceeded';
    default:
      return null;
  }
}
