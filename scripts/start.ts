// `npm start`: build and package Hearth, install it into a persistent code-server profile (.vscode-test/start/),
// and serve VS Code on 127.0.0.1 with a sample workspace until Ctrl+C. Settings, conversations and API keys
// persist between runs in that profile. PORT picks the port (default: a free one).
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createProfile, installVsix, startCodeServer } from './lib/codeServer';
import { freshVsix } from './lib/freshVsix';
import { cacheRoot } from './lib/paths';

const sampleFiles: Record<string, string> = {
  'README.md': '# Sample workspace\n\nOpen the Hearth panel in the activity bar and ask about these files.\n',
  'fizzbuzz.py': 'def fizzbuzz(n):\n    for i in range(1, n + 1):\n        print("Fizz" * (i % 3 == 0) + "Buzz" * (i % 5 == 0) or i)\n',
  'server.ts': "import { createServer } from 'node:http';\n\ncreateServer((_req, res) => res.end('hello')).listen(3000);\n",
};

function parsePort(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`PORT must be a port number (1-65535), got "${value}".`);
  return port;
}

async function main(): Promise<void> {
  const port = parsePort(process.env.PORT);
  const vsix = await freshVsix();
  const root = join(cacheRoot, 'start');
  const profile = createProfile(join(root, 'profile'), { fresh: false });
  const workspace = join(root, 'sample-workspace');
  mkdirSync(workspace, { recursive: true });
  for (const [name, text] of Object.entries(sampleFiles)) {
    if (!existsSync(join(workspace, name))) writeFileSync(join(workspace, name), text);
  }
  await installVsix(profile, vsix);
  const server = await startCodeServer(profile, { ...(port ? { port } : {}), disableWorkspaceTrust: true, folder: workspace });
  const url = new URL(server.url);
  url.searchParams.set('folder', workspace);
  console.log(`\nHearth is running in VS Code at\n\n    ${url}\n\nProfile: ${profile.root}\nServer log: ${server.logFile}\nPress Ctrl+C to stop.`);

  let stopping = false;
  const shutdown = (): void => {
    stopping = true;
    void server.stop().then(() => process.exit(0));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
  const code = await server.exited;
  if (stopping) return;
  console.error(`code-server exited (code ${code}); see ${server.logFile}.`);
  process.exit(code ?? 1);
}

main().catch((error: unknown) => {
  console.error(`[start] ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
