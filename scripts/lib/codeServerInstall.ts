// Installs code-server (VS Code's server and web workbench, fully offline) on first use into
// .vscode-test/code-server-<version>/, the way @vscode/test-electron caches VS Code. code-server 4.139 needs
// Node 24, which comes from the npm package node-<platform>-<arch> into the same cache; its headers are what
// node-gyp builds code-server's native modules against.
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import * as lockfile from 'proper-lockfile';
import { cacheRoot } from './paths';

export const codeServerVersion = '4.139.1';
export const nodeVersion = '24.22.3';

/** Native modules of VS Code's server that its postinstall must build; loading them proves the install. */
const nativeProbe = ['@vscode/spdlog', 'node-pty', '@parcel/watcher', 'kerberos', '@vscode/sqlite3'];

export interface CodeServerInstall {
  /** The cache folder of this version. */
  dir: string;
  /** The Node 24 binary that runs code-server. */
  node: string;
  /** code-server's entry script (`out/node/entry.js`). */
  entry: string;
}

function nodePackageName(): string {
  const platform = process.platform === 'win32' ? 'win' : process.platform;
  if (!['linux', 'darwin'].includes(platform)) {
    throw new Error(`The code-server test harness supports Linux and macOS; this is ${process.platform}. On Windows run "npm run test:electron".`);
  }
  return `node-${platform}-${process.arch}`;
}

function layout(): CodeServerInstall & { nodeDir: string; nodePackageDir: string; marker: string } {
  const dir = join(cacheRoot, `code-server-${codeServerVersion}`);
  const nodeDir = join(dir, `node-${nodeVersion}`);
  const nodePackageDir = join(nodeDir, 'node_modules', nodePackageName());
  return {
    dir,
    nodeDir,
    nodePackageDir,
    node: join(nodePackageDir, 'bin', 'node'),
    entry: join(dir, 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
    marker: join(dir, 'installed.json'),
  };
}

/** The npm CLI script, so that it can be run by Node 24 (code-server's postinstall checks npm's Node version). */
function npmCli(): string {
  const fromNpm = process.env.npm_execpath;
  if (fromNpm && /npm-cli\.js$/.test(fromNpm)) return fromNpm;
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, 'npm');
    if (existsSync(candidate)) {
      const real = realpathSync(candidate);
      if (real.endsWith('.js')) return real;
    }
  }
  throw new Error('Cannot find the npm CLI (npm-cli.js): run this through npm or put npm on PATH.');
}

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv, logFile: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const log = createWriteStream(logFile, { flags: 'a' });
    log.write(`\n$ ${command} ${args.join(' ')}\n`);
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.pipe(log, { end: false });
    child.stderr.pipe(log, { end: false });
    child.once('error', reject);
    child.once('close', (code) => {
      log.end(() => {
        if (code === 0) return resolve();
        const tail = readFileSync(logFile, 'utf8').split('\n').slice(-40).join('\n');
        reject(new Error(`${command} ${args.join(' ')} failed (exit ${code}); last lines of ${logFile}:\n${tail}`));
      });
    });
  });
}

/** This process's environment without the npm_* settings of the npm that may have started it (its project config). */
function inheritedEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)));
}

function checkBuildPrerequisites(): void {
  if (process.platform === 'linux' && !existsSync('/usr/include/gssapi/gssapi.h')) {
    throw new Error('code-server builds the "kerberos" native module, which needs the Kerberos headers: run `sudo apt-get install -y libkrb5-dev` (Debian/Ubuntu) and try again.');
  }
}

async function install(paths: ReturnType<typeof layout>): Promise<void> {
  checkBuildPrerequisites();
  rmSync(paths.dir, { recursive: true, force: true });
  mkdirSync(paths.nodeDir, { recursive: true });
  const logFile = join(paths.dir, 'install.log');
  console.log(`[code-server] installing ${codeServerVersion} with Node ${nodeVersion} into ${paths.dir} (once; 2-8 minutes; log: ${logFile})`);
  const started = Date.now();
  const npm = npmCli();
  const packageJson = (dependencies: Record<string, string>, allowScripts: Record<string, boolean>): string =>
    JSON.stringify({ name: 'hearth-test-cache', private: true, dependencies, allowScripts }, null, 2);

  writeFileSync(join(paths.nodeDir, 'package.json'), packageJson({ [nodePackageName()]: nodeVersion }, {}));
  await run(process.execPath, [npm, 'install', '--no-audit', '--no-fund'], paths.nodeDir, inheritedEnv(), logFile);

  // npm 11 runs a dependency's install scripts only when package.json's allowScripts allows them. code-server's
  // postinstall runs nested `npm install`s in its own folders, whose package.json files carry their own
  // allowScripts for VS Code's native modules. (An allow-list in the environment or ~/.npmrc would reach those
  // nested installs as an env setting, which npm rejects there: EALLOWSCRIPTS.)
  writeFileSync(
    join(paths.dir, 'package.json'),
    packageJson({ 'code-server': codeServerVersion }, { [`code-server@${codeServerVersion}`]: true, argon2: true }),
  );
  const env: NodeJS.ProcessEnv = {
    ...inheritedEnv(),
    // npm runs under Node 24 (postinstall checks npm's Node version) and so do the nested npm calls.
    PATH: `${join(paths.nodePackageDir, 'bin')}${delimiter}${process.env.PATH ?? ''}`,
    // The user's ~/.npmrc may point nodedir at another Node's headers (wrong ABI).
    npm_config_nodedir: paths.nodePackageDir,
  };
  await run(paths.node, [npm, 'install', '--no-audit', '--no-fund'], paths.dir, env, logFile);
  if (!existsSync(paths.entry)) throw new Error(`code-server installed but ${paths.entry} is missing; see ${logFile}.`);
  // npm only warns when it skips an install script: prove the native modules were built for this Node.
  const vscodeDir = join(paths.dir, 'node_modules', 'code-server', 'lib', 'vscode');
  const probe = nativeProbe.map((m) => `require(${JSON.stringify(m)})`).join(';');
  await run(paths.node, ['-e', probe], vscodeDir, env, logFile).catch((error: unknown) => {
    throw new Error(`code-server's native modules do not load (were their install scripts skipped?): ${error instanceof Error ? error.message : String(error)}`);
  });
  writeFileSync(paths.marker, JSON.stringify({ codeServerVersion, nodeVersion, installedAt: new Date().toISOString() }));
  console.log(`[code-server] installed in ${Math.round((Date.now() - started) / 1000)} s`);
}

function isInstalled(paths: ReturnType<typeof layout>): boolean {
  return existsSync(paths.marker) && existsSync(paths.entry) && existsSync(paths.node);
}

/** Returns the cached code-server, installing it first when missing. Safe to call from concurrent processes. */
export async function ensureCodeServer(): Promise<CodeServerInstall> {
  const paths = layout();
  if (!isInstalled(paths)) {
    mkdirSync(cacheRoot, { recursive: true });
    const release = await lockfile.lock(cacheRoot, {
      lockfilePath: join(cacheRoot, `code-server-${codeServerVersion}.lock`),
      // Another process may be installing (minutes): wait for it rather than fail.
      retries: { retries: 400, factor: 1, minTimeout: 1000, maxTimeout: 1000 },
      stale: 30_000,
    });
    try {
      if (!isInstalled(paths)) await install(paths);
    } finally {
      await release();
    }
  }
  return { dir: paths.dir, node: paths.node, entry: paths.entry };
}
