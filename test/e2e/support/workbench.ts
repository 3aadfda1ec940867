// A fresh code-server profile with the packaged Hearth VSIX installed, opened in headless Chromium.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from '@playwright/test';
import type { BrowserContext, FrameLocator, Page } from 'playwright-core';
import { launchChromium } from '../../../scripts/lib/browser';
import { createProfile, installVsix, startCodeServer, type CodeServerProfile, type RunningCodeServer } from '../../../scripts/lib/codeServer';
import { freshVsix } from '../../../scripts/lib/freshVsix';
import { cacheRoot } from '../../../scripts/lib/paths';
import { startFakeOpenAiServer, type FakeOpenAiServer } from '../../support/fakeOpenAiServer';

export interface Workbench {
  page: Page;
  server: RunningCodeServer;
  /** The code-server profile (its user data dir holds the extension's global storage). */
  profile: CodeServerProfile;
  runDir: string;
  close(): Promise<void>;
}

export async function openWorkbench(vsix: string, settings: Record<string, unknown>): Promise<Workbench> {
  const runDir = join(cacheRoot, 'e2e');
  const profile = createProfile(join(runDir, 'profile'), { fresh: true, settings });
  const workspace = join(runDir, 'workspace');
  mkdirSync(workspace, { recursive: true });
  writeFileSync(join(workspace, 'notes.md'), '# Notes\n');
  await installVsix(profile, vsix);
  const server = await startCodeServer(profile, { disableWorkspaceTrust: true });
  let browser: BrowserContext | undefined;
  try {
    const chromiumProfile = join(runDir, 'chromium');
    rmSync(chromiumProfile, { recursive: true, force: true });
    browser = await launchChromium(chromiumProfile);
    const page = browser.pages()[0] ?? (await browser.newPage());
    const url = new URL(server.url);
    url.searchParams.set('folder', workspace);
    await page.goto(url.toString());
    await expect(page.locator('.monaco-workbench')).toBeVisible({ timeout: 60_000 });
    const opened = browser;
    return {
      page,
      server,
      profile,
      runDir,
      close: async () => {
        await opened.close();
        await server.stop();
      },
    };
  } catch (error) {
    await browser?.close();
    await server.stop();
    throw error;
  }
}

/**
 * The packaged Hearth (built afresh when the sources changed) in a workbench whose provider is a new
 * fake OpenAI-compatible server. The first run may install code-server (minutes).
 */
export async function openWorkbenchOnFakeOpenAi(): Promise<{ server: FakeOpenAiServer; workbench: Workbench }> {
  const server = await startFakeOpenAiServer();
  try {
    const workbench = await openWorkbench(await freshVsix(), {
      'hearth.provider': 'openai',
      'hearth.openai.baseUrl': server.baseUrl,
      'hearth.openai.model': 'fake-model',
    });
    return { server, workbench };
  } catch (error) {
    await server.close();
    throw error;
  }
}

/** Clicks Hearth's activity-bar entry and returns its webview's document (two iframes deep). */
export async function openHearthView(page: Page): Promise<FrameLocator> {
  await page.locator('.part.activitybar .action-item a[aria-label^="Hearth"]').click();
  return page
    .frameLocator('iframe.webview.ready[src*="extensionId=hearth-dev.hearth"]')
    .frameLocator('#active-frame');
}

/** After a failed test: a screenshot of the workbench and where the server log is, for the CI output. */
export async function reportFailure(workbench: Workbench | undefined, state: string | undefined): Promise<void> {
  if (state !== 'failed' || !workbench) return;
  const file = join(workbench.runDir, `failure-${Date.now()}.png`);
  await workbench.page.screenshot({ path: file });
  console.log(`    screenshot: ${file}\n    code-server log: ${workbench.server.logFile}`);
}
