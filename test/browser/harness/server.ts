// A tiny local HTTP server for the test page: the bundle, the stylesheet, the VS Code API
// double, and an HTML page shaped like the one the extension serves (same CSP).
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { repoRoot } from './buildWebview';

export interface PageOptions {
  /** false: no CSP at all, so the sanitizer alone must keep hostile output inert. */
  csp: boolean;
}

export interface TestServer {
  origin: string;
  pageUrl(options: PageOptions): string;
  close(): Promise<void>;
}

const NONCE = 'hearthTestNonce0123456789';

function pageHtml(origin: string, options: PageOptions): string {
  const csp =
    `default-src 'none'; script-src 'nonce-${NONCE}'; style-src ${origin}; ` +
    `img-src ${origin} data:; font-src ${origin}`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
${options.csp ? `<meta http-equiv="Content-Security-Policy" content="${csp}">` : ''}
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${origin}/codicons/codicon.css">
<link rel="stylesheet" href="${origin}/media/chat.css">
<title>Hearth webview test</title>
</head>
<body>
<div id="root"></div>
<script nonce="${NONCE}" src="${origin}/fixtures/vscodeApiDouble.js"></script>
<script nonce="${NONCE}" src="${origin}/dist/webview.js"></script>
</body>
</html>`;
}

export async function startServer(bundlePath: string, extraFiles: Record<string, string> = {}): Promise<TestServer> {
  const files: Record<string, { path: string; type: string }> = {
    '/dist/webview.js': { path: bundlePath, type: 'text/javascript' },
    '/media/chat.css': { path: join(repoRoot, 'media', 'chat.css'), type: 'text/css' },
    // The Compare panel's own styles, which its tests add to the page (the extension gives both panels all of media/).
    '/media/compare.css': { path: join(repoRoot, 'media', 'compare.css'), type: 'text/css' },
    // The same files the build copies to dist/codicons/ (esbuild.mjs), with the font's relative URL.
    '/codicons/codicon.css': { path: join(repoRoot, 'node_modules', '@vscode', 'codicons', 'dist', 'codicon.css'), type: 'text/css' },
    '/codicons/codicon.ttf': { path: join(repoRoot, 'node_modules', '@vscode', 'codicons', 'dist', 'codicon.ttf'), type: 'font/ttf' },
    '/fixtures/vscodeApiDouble.js': { path: join(repoRoot, 'test', 'browser', 'fixtures', 'vscodeApiDouble.js'), type: 'text/javascript' },
  };
  for (const [route, path] of Object.entries(extraFiles)) files[route] = { path, type: 'text/javascript' };
  let origin = '';
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', origin);
    if (url.pathname === '/webview.html') {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      response.end(pageHtml(origin, { csp: url.searchParams.get('csp') !== 'off' }));
      return;
    }
    const file = files[url.pathname];
    if (!file) {
      response.writeHead(404).end();
      return;
    }
    readFile(file.path).then(
      (body) => response.writeHead(200, { 'content-type': file.type, 'cache-control': 'no-store' }).end(body),
      () => response.writeHead(500).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    pageUrl: (options) => `${origin}/webview.html${options.csp ? '' : '?csp=off'}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
