// Runs the cached code-server with everything it writes kept inside one profile folder, so runs neither touch
// the user's home nor each other. Used by the integration runner, the e2e tests and `npm start`.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { ensureCodeServer, type CodeServerInstall } from './codeServerInstall';

export interface CodeServerProfile {
  root: string;
  userDataDir: string;
  extensionsDir: string;
  userSettingsFile: string;
  /** Environment for code-server and everything it starts (the extension host included). */
  env: NodeJS.ProcessEnv;
}

export interface RunningCodeServer {
  /** e.g. `http://127.0.0.1:PORT/` */
  url: string;
  port: number;
  logFile: string;
  /** Resolves when the server process exits. */
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

export interface StartOptions {
  host?: string;
  /** Default: a free port. */
  port?: number;
  /** Lets the workbench run an extension test payload (`?payload=`); off for interactive use. */
  testDriver?: boolean;
  /** Skip workspace trust (tests); interactive use keeps it. */
  disableWorkspaceTrust?: boolean;
  /** Folder opened when the URL has no `?folder=`. */
  folder?: string;
}

const baseUserSettings = {
  'telemetry.telemetryLevel': 'off',
  'workbench.startupEditor': 'none',
  'workbench.enableExperiments': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'update.mode': 'none',
  // Profiles live inside this git repository: no "open the parent repository?" prompt.
  'git.openRepositoryInParentFolders': 'never',
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
};

/**
 * Makes (or reuses) a profile folder. `fresh` wipes it first. `settings` are merged over the current user
 * settings, which start as `baseUserSettings` (telemetry off, no welcome page).
 */
export function createProfile(root: string, options: { fresh: boolean; settings?: Record<string, unknown> }): CodeServerProfile {
  if (options.fresh) rmSync(root, { recursive: true, force: true });
  const dirs = {
    userData: join(root, 'user-data'),
    extensions: join(root, 'extensions'),
    xdgConfig: join(root, 'xdg', 'config'),
    xdgData: join(root, 'xdg', 'data'),
    xdgCache: join(root, 'xdg', 'cache'),
    tmp: join(root, 'tmp'),
  };
  for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true });
  const userSettingsFile = join(dirs.userData, 'User', 'settings.json');
  mkdirSync(join(dirs.userData, 'User'), { recursive: true });
  const current = existsSync(userSettingsFile) ? (JSON.parse(readFileSync(userSettingsFile, 'utf8')) as Record<string, unknown>) : baseUserSettings;
  writeFileSync(userSettingsFile, JSON.stringify({ ...current, ...options.settings }, null, 2));
  writeFileSync(join(root, 'config.yaml'), 'auth: none\ncert: false\n');
  return {
    root,
    userDataDir: dirs.userData,
    extensionsDir: dirs.extensions,
    userSettingsFile,
    env: {
      ...process.env,
      XDG_CONFIG_HOME: dirs.xdgConfig,
      XDG_DATA_HOME: dirs.xdgData,
      XDG_CACHE_HOME: dirs.xdgCache,
      TMPDIR: dirs.tmp,
    },
  };
}

function commonArgs(profile: CodeServerProfile): string[] {
  return [
    '--user-data-dir', profile.userDataDir,
    '--extensions-dir', profile.extensionsDir,
    '--config', join(profile.root, 'config.yaml'),
    '--disable-telemetry',
    '--disable-update-check',
  ];
}

/** Installs a VSIX into the profile (replacing an installed version). */
export async function installVsix(profile: CodeServerProfile, vsixPath: string): Promise<void> {
  const install = await ensureCodeServer();
  const output: string[] = [];
  const child = spawn(install.node, [install.entry, ...commonArgs(profile), '--force', '--install-extension', vsixPath], {
    env: profile.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (d: Buffer) => output.push(d.toString()));
  child.stderr.on('data', (d: Buffer) => output.push(d.toString()));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  const text = output.join('');
  if (code !== 0 || !/successfully installed/i.test(text)) {
    throw new Error(`Installing ${vsixPath} into code-server failed (exit ${code}):\n${text}`);
  }
}

export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitUntilHealthy(url: string, child: ChildProcess, logFile: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exitCode: number | null | undefined;
  child.once('exit', (code) => (exitCode = code));
  while (Date.now() < deadline) {
    if (exitCode !== undefined) throw new Error(`code-server exited (code ${exitCode}) before it was ready; see ${logFile}:\n${tail(logFile)}`);
    try {
      const response = await fetch(new URL('healthz', url), { signal: AbortSignal.timeout(2000) });
      if (response.ok) return;
    } catch {
      // Not listening yet: poll again.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`code-server did not answer ${url}healthz within ${timeoutMs / 1000} s; see ${logFile}:\n${tail(logFile)}`);
}

function tail(file: string, lines = 30): string {
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n') : '(no log)';
}

/** Starts code-server for the profile and resolves once it answers /healthz. */
export async function startCodeServer(profile: CodeServerProfile, options: StartOptions = {}): Promise<RunningCodeServer> {
  const install: CodeServerInstall = await ensureCodeServer();
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? (await freePort(host));
  const logFile = join(profile.root, 'code-server.log');
  const args = [
    install.entry,
    '--bind-addr', `${host}:${port}`,
    '--auth', 'none',
    ...commonArgs(profile),
    '--ignore-last-opened',
    ...(options.disableWorkspaceTrust ? ['--disable-workspace-trust'] : []),
    // Without it a built workbench ignores the extension test payload.
    ...(options.testDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
    ...(options.folder ? [options.folder] : []),
  ];
  const log = createWriteStream(logFile, { flags: 'a' });
  // Its own process group, so stop() ends the extension host and the other helpers it starts too.
  const child = spawn(install.node, args, { env: profile.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://${host}:${port}/`;
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const pid = child.pid;
    if (pid === undefined) return;
    process.kill(-pid, 'SIGTERM');
    const timer = setTimeout(() => {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }, 5000);
    await exited;
    clearTimeout(timer);
    // Helpers spawned while the server was shutting down are still in its group: end them too.
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // The group is empty.
    }
  };
  try {
    await waitUntilHealthy(url, child, logFile, 30_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, port, logFile, exited, stop };
}
