// Launches the system Chromium through playwright-core with a fresh profile, offline-safe flags.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { chromiumPath, launchChromium } from '../../../scripts/lib/browser';

export interface LaunchedBrowser {
  context: BrowserContext;
  close(): Promise<void>;
}

export async function launchBrowser(extraFlags: string[] = []): Promise<LaunchedBrowser> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'hearth-chromium-'));
  let context: BrowserContext;
  try {
    context = await launchChromium(userDataDir, { viewport: { width: 420, height: 800 }, extraArgs: extraFlags });
  } catch (error) {
    rmSync(userDataDir, { recursive: true, force: true });
    throw new Error(
      `Could not start Chromium at ${chromiumPath()} (install it with 'apt-get install -y chromium', or set HEARTH_CHROMIUM): ${String(error)}`,
    );
  }
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
