// A forward HTTP proxy for tests: it serves absolute-form requests (`POST http://host/path`) and tunnels, sends them on to
// the address `routes` gives for the host (so a host that exists nowhere else is reachable only through it),
// and records each request. It is what `http.proxy` points VS Code at in the proxy test.
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';

export interface ProxiedRequest {
  method: string;
  url: string;
}

export interface ForwardProxy {
  url: string;
  requests: ProxiedRequest[];
  close(): Promise<void>;
}

/** `routes`: host (with port, if any) -> `127.0.0.1:PORT`. Anything else gets 502. */
export async function startForwardProxy(routes: Record<string, string>): Promise<ForwardProxy> {
  const requests: ProxiedRequest[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let target: URL;
    try {
      target = new URL(req.url ?? '');
    } catch {
      res.writeHead(400).end('absolute-form request expected');
      return;
    }
    requests.push({ method: req.method ?? 'GET', url: target.toString() });
    const to = routes[target.host];
    if (!to) {
      res.writeHead(502).end(`no route to ${target.host}`);
      return;
    }
    const [hostname, port] = to.split(':');
    const upstream = httpRequest(
      { hostname, port: Number(port), method: req.method, path: `${target.pathname}${target.search}`, headers: { ...req.headers, host: target.host } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    res.on('close', () => upstream.destroy());
    req.pipe(upstream);
  });
  // Tunnels (`CONNECT host:port`), which undici's proxy agent uses for plain-http targets too.
  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    const hostPort = req.url ?? '';
    requests.push({ method: 'CONNECT', url: hostPort });
    const to = routes[hostPort] ?? routes[hostPort.replace(/:80$/, '')];
    if (!to) {
      client.end('HTTP/1.1 502 Bad Gateway\r\n\r\n');
      return;
    }
    const [hostname, port] = to.split(':');
    const upstream = connect(Number(port), hostname ?? '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
