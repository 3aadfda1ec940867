// One downloader per model folder across processes (two VS Code windows): a lock directory beside
// the folder, refreshed while held and taken over once stale (its holder died).
import { setTimeout as delay } from 'node:timers/promises';
import * as lockfile from 'proper-lockfile';
import { cancelled } from './hubError';

export interface LockOptions {
  /** A lock not refreshed for this long belongs to a dead process (proper-lockfile's minimum is 2000). */
  staleMs: number;
  /** How often a waiting downloader tries again. */
  retryMs: number;
  onWaiting(): void;
}

/** Takes the lock of dir (which need not exist yet), waiting while another live process holds it. */
export async function lockFolder(dir: string, options: LockOptions, signal: AbortSignal): Promise<() => Promise<void>> {
  let told = false;
  for (;;) {
    if (signal.aborted) throw cancelled();
    try {
      return await lockfile.lock(dir, {
        lockfilePath: `${dir}.lock`,
        realpath: false,
        stale: options.staleMs,
        update: Math.max(1000, Math.floor(options.staleMs / 2)),
        // Its default throws from a timer, which would take the extension host down; every file is
        // hash-checked before it is moved into place, so a lost lock cannot put bad bytes there.
        onCompromised: () => undefined,
      });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ELOCKED') throw e;
    }
    if (!told) options.onWaiting();
    told = true;
    try {
      await delay(options.retryMs, undefined, { signal });
    } catch {
      throw cancelled();
    }
  }
}
