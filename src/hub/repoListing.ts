// What a repository holds at a revision, through @huggingface/hub: the commit a branch points to, and
// every file with its size and hash (LFS sha256 for large files, the git blob id for small ones).
import { listFiles, modelInfo } from '@huggingface/hub';
import { HubError } from './hubError';

export interface RepoFile {
  path: string;
  size: number;
  /** LFS files: the SHA-256 of the content. */
  sha256?: string;
  /** Files stored in git itself: the git blob id (SHA-1 of "blob <size>\0" + content). */
  gitOid?: string;
}

const COMMIT = /^[0-9a-f]{40}$/;

export async function resolveCommit(repo: string, revision: string, endpoint: string, fetchFn: typeof fetch): Promise<string> {
  if (COMMIT.test(revision)) return revision;
  const info = await modelInfo({ name: repo, revision, hubUrl: endpoint, fetch: fetchFn, additionalFields: ['sha'] });
  const sha = info.sha;
  if (typeof sha !== 'string' || !COMMIT.test(sha)) throw new HubError('badRepo', `${endpoint} did not say which commit ${repo}@${revision} is.`);
  return sha;
}

export async function listRepoFiles(repo: string, commit: string, endpoint: string, fetchFn: typeof fetch): Promise<RepoFile[]> {
  const files: RepoFile[] = [];
  for await (const entry of listFiles({ repo: { type: 'model', name: repo }, revision: commit, recursive: true, hubUrl: endpoint, fetch: fetchFn })) {
    if (entry.type !== 'file') continue;
    files.push({
      path: entry.path,
      size: entry.size,
      ...(entry.lfs ? { sha256: entry.lfs.oid } : entry.oid ? { gitOid: entry.oid } : {}),
    });
  }
  return files;
}
