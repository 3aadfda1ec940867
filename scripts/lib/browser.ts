// Chromium driven by playwright-core (no Playwright browser download: the system's Chromium).
import { existsSync } from 'node:fs';
import { chromium, type BrowserContext } from 'playwright-core';

const candidates = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];

export function chromiumPath(): string {
  const fromEnv = process.env.HEARTH_CHROMIUM;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`HEARTH_CHROMIUM points at ${fromEnv}, which does not exist.`);
    return fromEnv;
  }
  const found = candidates.find((path) => existsSync(path));
  if (!found) {
    throw new Error(`No Chromium found (looked for ${candidates.join(', ')}). Install it (Debian/Ubuntu: \`sudo apt-get install -y chromium\`) or set HEARTH_CHROMIUM to a Chromium/Chrome binary.`);
  }
  return found;
}

/** Flags that work as root in containers and keep Chromium off the (closed) network. */
export const chromiumFlags = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface ChromiumOptions {
  viewport?: { width: number; height: number };
  extraArgs?: string[];
}

/** A headless Chromium with a fresh profile in `userDataDir`. */
export function launchChromium(userDataDir: string, options: ChromiumOptions = {}): Promise<BrowserContext> {
  return chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath(),
    headless: true,
    viewport: options.viewport ?? { width: 1400, height: 900 },
    args: [...chromiumFlags, ...(options.extraArgs ?? [])],
  });
}
