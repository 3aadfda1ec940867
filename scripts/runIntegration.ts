// Runs test/integration inside a real VS Code extension host, offline: code-server serves VS Code, headless
// Chromium opens the workbench with a test payload (extensionDevelopmentPath = this repo, extensionTestsPath =
// the bundled suite), the workbench streams the mocha output back, and we exit with the suite's code.
// Usage: npm run test:integration [-- --grep <pattern>]   (HEARTH_TEST_TIMEOUT_S overrides the 300 s limit)
import { createWriteStream, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { format } from 'node:util';
import type { BrowserContext } from 'playwright-core';
import { buildIntegrationTests } from './buildIntegrationTests';
import { launchChromium } from './lib/browser';
import { createProfile, startCodeServer } from './lib/codeServer';
import { cacheRoot, integrationIndex, repoRoot } from './lib/paths';
import { trustTestCertificates } from './lib/testCertificateTrust';
import { readRemoteAuthority, testPayloadUrl } from './lib/testPayload';

interface AutomationLog {
  relativePath: string;
  contents: string;
}

/** Workbench log lines that are expected offline and say nothing about the tests (all go to logs/workbench.log). */
const noise = [
  /open-vsx\.org|vsda|Failed to load resource|marketplace|gallery/i,
  /^\[(?:AgentHost|ChatModelSelection|AccountPolicyGate|reconnection-grace-time|Service Worker)/,
  /^(?:Creating a socket|Resolving connection token|Resolved connection token|Updating additional builtin extensions cache|Timed out waiting for authentication provider|Creation of workbench contribution)/,
];

function argValue(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

/** One run of the suite in a fresh profile, window and extension host. */
interface SuiteRun {
  name: string;
  /** Workspace trust on, the folder never trusted: the window opens in Restricted Mode. */
  untrusted: boolean;
  grep?: string;
}

async function main(): Promise<number> {
  if (!existsSync(join(repoRoot, 'dist', 'extension.js'))) {
    console.error('dist/extension.js is missing: run `npm run build` first.');
    return 1;
  }
  await buildIntegrationTests();
  const grep = argValue('--grep');
  const runs: SuiteRun[] = [{ name: 'integration', untrusted: false, ...(grep ? { grep } : {}) }];
  // What a repository's settings may do depends on trust: that suite plays again in Restricted Mode.
  const untrustedGrep = 'workspace settings cannot redirect';
  if (!grep || new RegExp(grep).test(untrustedGrep)) runs.push({ name: 'integration-untrusted', untrusted: true, grep: untrustedGrep });
  for (const run of runs) {
    const code = await runSuite(run);
    if (code !== 0) return code;
  }
  return 0;
}

async function runSuite(run: SuiteRun): Promise<number> {
  const started = Date.now();
  const timeoutS = Number(process.env.HEARTH_TEST_TIMEOUT_S ?? 300);
  const runDir = join(cacheRoot, run.name);
  // Restricted Mode without the modal trust prompt (which a test window would leave unanswered).
  const trustSettings = run.untrusted ? { 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never' } : {};
  const profile = createProfile(join(runDir, 'profile'), { fresh: true, settings: trustSettings });
  const workspace = join(runDir, 'workspace');
  rmSync(workspace, { recursive: true, force: true });
  mkdirSync(workspace, { recursive: true });
  writeFileSync(join(workspace, 'hello.py'), 'def greet(name):\n    return f"Hello, {name}!"\n');
  const logsDir = join(runDir, 'logs');
  rmSync(logsDir, { recursive: true, force: true });
  // NODE_EXTRA_CA_CERTS is read when a process starts: it is set for code-server, whose extension host inherits it.
  const tlsDir = trustTestCertificates(runDir, profile.env);

  const server = await startCodeServer(profile, { testDriver: true, disableWorkspaceTrust: !run.untrusted });
  let browser: BrowserContext | undefined;
  let timer: NodeJS.Timeout | undefined;
  try {
    const chromiumProfile = join(runDir, 'chromium');
    rmSync(chromiumProfile, { recursive: true, force: true });
    browser = await launchChromium(chromiumProfile);
    const page = browser.pages()[0] ?? (await browser.newPage());
    let resolveExit: (code: number) => void = () => undefined;
    const exitCode = new Promise<number>((resolve) => (resolveExit = resolve));
    await page.exposeFunction('codeAutomationExit', (code: number, logs: AutomationLog[]) => {
      for (const log of logs ?? []) {
        const file = join(logsDir, log.relativePath);
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, log.contents);
      }
      resolveExit(code);
    });
    mkdirSync(logsDir, { recursive: true });
    const workbenchLog = createWriteStream(join(logsDir, 'workbench.log'));
    await page.exposeFunction('codeAutomationLog', (type: string, args: unknown[]) => {
      const line = format(...(Array.isArray(args) ? args : [args]));
      workbenchLog.write(`${line}\n`);
      if (noise.some((pattern) => pattern.test(line))) return;
      (type === 'error' ? process.stderr : process.stdout).write(`${line}\n`);
    });
    page.on('pageerror', (error) => console.error(`[workbench page error] ${error.message}`));

    const authority = await readRemoteAuthority(server.url);
    const url = testPayloadUrl(server.url, authority, {
      folder: workspace,
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: integrationIndex,
      env: {
        HEARTH_TEST_USER_SETTINGS: profile.userSettingsFile,
        HEARTH_TEST_TRUST: run.untrusted ? 'untrusted' : 'trusted',
        ...(tlsDir ? { HEARTH_TEST_TLS_DIR: tlsDir } : {}),
        ...(run.grep ? { HEARTH_TEST_GREP: run.grep } : {}),
      },
    });
    console.log(`[${run.name}] code-server ${server.url} (ready ${((Date.now() - started) / 1000).toFixed(1)} s); running the suite in its extension host`);
    await page.goto(url);

    const timedOut = new Promise<number>((resolve) => {
      timer = setTimeout(() => {
        console.error(
          `\n[${run.name}] TIMEOUT: the suite did not finish within ${timeoutS} s (HEARTH_TEST_TIMEOUT_S). ` +
            `Extension host logs: ${join(profile.userDataDir, 'logs')}; server log: ${server.logFile}.`,
        );
        resolve(1);
      }, timeoutS * 1000);
    });
    const code = await Promise.race([exitCode, timedOut]);
    console.log(`[${run.name}] ${code === 0 ? 'passed' : `FAILED (exit ${code})`} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    if (code !== 0) console.log(`[${run.name}] logs: ${logsDir}, ${join(profile.userDataDir, 'logs')}`);
    return code;
  } finally {
    clearTimeout(timer);
    await browser?.close();
    await server.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`[integration] could not run the suite: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
    process.exit(1);
  },
);
