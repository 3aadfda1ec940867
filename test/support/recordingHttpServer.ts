// The HTTP plumbing shared by the fake API servers: a server on 127.0.0.1 that records every
// request (body parsed), tells a client disconnect from a drop the fake itself caused, runs
// timers that end with their response, and lets tests wait by promise, never by polling.
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  /** Path without the query, e.g. `/v1/chat/completions`. */
  path: string;
  headers: IncomingHttpHeaders;
  rawBody: string;
  /** The parsed JSON body, or undefined when the body is empty or not JSON. */
  body: unknown;
  /** Set when the client closed the connection before the response ended. */
  clientDisconnected: boolean;
}

export interface RecordingServer {
  readonly port: number;
  readonly requests: RecordedRequest[];
  /** Calls `listener` for every request as it arrives (body parsed). Returns an unsubscribe function. */
  onRequest(listener: (request: RecordedRequest) => void): () => void;
  /** Resolves once `count` requests in total have arrived (at once if they already have). */
  waitForRequests(count: number): Promise<RecordedRequest[]>;
  /** Resolves once `count` clients in total have disconnected before their response ended. */
  waitForDisconnect(count?: number): Promise<RecordedRequest>;
  /** Calls `tick` every `intervalMs` until the response closes or the server does. */
  repeatUntilClosed(res: ServerResponse, intervalMs: number, tick: () => void): void;
  /** Destroys the connection once what was written has left: a drop by the server, not a client disconnect. */
  dropAfterFlush(res: ServerResponse): void;
  close(): Promise<void>;
}

export type RequestHandler = (req: IncomingMessage, res: ServerResponse, recorded: RecordedRequest) => void;

/** A certificate (PEM) and its key: the server speaks https with them. */
export interface ServerTls {
  cert: string;
  key: string;
}

export async function startRecordingServer(handle: RequestHandler, tls?: ServerTls): Promise<RecordingServer> {
  const requests: RecordedRequest[] = [];
  const requestListeners = new Set<(request: RecordedRequest) => void>();
  const disconnected: RecordedRequest[] = [];
  const disconnectWaiters: Array<{ count: number; resolve: (r: RecordedRequest) => void }> = [];
  const timers = new Set<NodeJS.Timeout>();
  const droppedByServer = new WeakSet<ServerResponse>();

  function recordDisconnect(request: RecordedRequest): void {
    request.clientDisconnected = true;
    disconnected.push(request);
    for (const waiter of [...disconnectWaiters]) {
      if (disconnected.length >= waiter.count) {
        disconnectWaiters.splice(disconnectWaiters.indexOf(waiter), 1);
        waiter.resolve(request);
      }
    }
  }

  const listener: RequestListener = (req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (part: Buffer) => parts.push(part));
    req.on('end', () => {
      const rawBody = Buffer.concat(parts).toString('utf8');
      const recorded: RecordedRequest = {
        method: req.method ?? 'GET',
        path: (req.url ?? '/').split('?')[0] ?? '/',
        headers: req.headers,
        rawBody,
        body: parseJson(rawBody),
        clientDisconnected: false,
      };
      requests.push(recorded);
      for (const listener of [...requestListeners]) listener(recorded);
      res.on('close', () => {
        if (!res.writableFinished && !droppedByServer.has(res)) recordDisconnect(recorded);
      });
      handle(req, res, recorded);
    });
  };
  const server = tls ? createHttpsServer(tls, listener) : createServer(listener);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });

  return {
    port: (server.address() as AddressInfo).port,
    requests,
    onRequest(listener) {
      requestListeners.add(listener);
      return () => requestListeners.delete(listener);
    },
    waitForRequests(count) {
      if (requests.length >= count) return Promise.resolve(requests.slice(0, count));
      return new Promise((resolve) => {
        const listener = (): void => {
          if (requests.length < count) return;
          requestListeners.delete(listener);
          resolve(requests.slice(0, count));
        };
        requestListeners.add(listener);
      });
    },
    waitForDisconnect(count = 1) {
      const reached = disconnected[count - 1];
      if (reached) return Promise.resolve(reached);
      return new Promise((resolve) => disconnectWaiters.push({ count, resolve }));
    },
    repeatUntilClosed(res, intervalMs, tick) {
      const timer = setInterval(() => {
        if (!res.destroyed) tick();
      }, intervalMs);
      timers.add(timer);
      res.on('close', () => {
        clearInterval(timer);
        timers.delete(timer);
      });
    },
    dropAfterFlush(res) {
      res.write('', () => {
        droppedByServer.add(res);
        res.socket?.destroy();
      });
    },
    close() {
      for (const timer of timers) clearInterval(timer);
      timers.clear();
      return new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

function parseJson(raw: string): unknown {
  if (!raw) return undefined;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return undefined;
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function sendJson(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(value));
}

/** The scenario for each next request: queued ones once each, in order, then the current one. */
export class ScenarioQueue<S> {
  private readonly queued: S[] = [];

  constructor(private current: S) {}

  next(): S {
    return this.queued.shift() ?? this.current;
  }

  set(scenario: S): void {
    this.current = scenario;
    this.queued.length = 0;
  }

  queue(...scenarios: S[]): void {
    this.queued.push(...scenarios);
  }
}

/** What a fake API server offers tests: the recording server's waits plus its scenarios. */
export interface FakeApiServer<S> extends Pick<RecordingServer, 'port' | 'requests' | 'onRequest' | 'waitForRequests' | 'waitForDisconnect' | 'close'> {
  /** Where a client points its base URL, e.g. `http://127.0.0.1:PORT/v1`. */
  readonly baseUrl: string;
  /** The scenario of every next request (drops any queued ones). */
  setScenario(scenario: S): void;
  /** Scenarios used once each, in order, by the next requests; then the `setScenario` one applies again. */
  queueScenarios(...scenarios: S[]): void;
}

export function fakeApiServer<S>(server: RecordingServer, baseUrl: string, scenarios: ScenarioQueue<S>): FakeApiServer<S> {
  return {
    baseUrl,
    port: server.port,
    requests: server.requests,
    onRequest: server.onRequest,
    waitForRequests: server.waitForRequests,
    waitForDisconnect: server.waitForDisconnect,
    close: server.close,
    setScenario: (scenario) => scenarios.set(scenario),
    queueScenarios: (...next) => scenarios.queue(...next),
  };
}
