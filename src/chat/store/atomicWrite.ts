// Crash-safe file replacement: write a temp file in the same folder, fsync it, rename it over the target,
// fsync the folder. A reader (or the next start after a crash) sees the old file or the new one, never half.
import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

const tempSuffix = '.tmp';

/** Temp files are dot-files ending in .tmp, so listings of `*.json` never see them. */
export function isTempFileName(name: string): boolean {
  return name.startsWith('.') && name.endsWith(tempSuffix);
}

export async function writeFileAtomic(target: string, data: string): Promise<void> {
  const dir = dirname(target);
  const temp = join(dir, `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}${tempSuffix}`);
  const handle = await open(temp, 'wx', 0o600);
  try {
    await handle.writeFile(data, 'utf8');
    await handle.sync();
  } catch (err) {
    await handle.close();
    await rm(temp, { force: true });
    throw err;
  }
  await handle.close();
  try {
    await renameWithRetry(temp, target);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
  await fsyncDirectory(dir);
}

/** Windows refuses a rename while another process (an indexer, a virus scanner) briefly holds the target. */
async function renameWithRetry(from: string, to: string): Promise<void> {
  for (const backoffMs of [10, 50, 200]) {
    try {
      await rename(from, to);
      return;
    } catch (err) {
      if (process.platform !== 'win32' || !isBusy(err)) throw err;
      await delay(backoffMs);
    }
  }
  await rename(from, to);
}

function isBusy(err: unknown): boolean {
  const code = typeof err === 'object' && err !== null && 'code' in err ? err.code : undefined;
  return code === 'EPERM' || code === 'EACCES' || code === 'EBUSY';
}

/** Makes the rename itself durable. Windows cannot open a folder for fsync; NTFS journals renames anyway. */
export async function fsyncDirectory(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Some file systems (network mounts) do not support it; the data file itself is already synced.
  }
}
