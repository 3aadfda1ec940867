// The digest the hub publishes for a file: SHA-256 for LFS files, the git blob id (SHA-1 over a
// "blob <size>\0" header, then the bytes) for files stored in git itself.
import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { RepoFile } from './repoListing';

export interface ExpectedDigest {
  algorithm: 'sha256' | 'git-sha1';
  hex: string;
}

export function expectedDigest(file: RepoFile): ExpectedDigest | undefined {
  if (file.sha256) return { algorithm: 'sha256', hex: file.sha256.toLowerCase() };
  if (file.gitOid) return { algorithm: 'git-sha1', hex: file.gitOid.toLowerCase() };
  return undefined;
}

export function startHash(file: RepoFile): Hash {
  if (file.sha256 || !file.gitOid) return createHash('sha256');
  return createHash('sha1').update(`blob ${file.size}\0`);
}

/** Feeds the bytes already on disk (a partial file being resumed) into the hash. */
export async function hashExisting(hash: Hash, path: string, length: number): Promise<void> {
  if (length === 0) return;
  for await (const chunk of createReadStream(path, { start: 0, end: length - 1 })) hash.update(chunk as Buffer);
}
