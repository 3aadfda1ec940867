// Workspace files for the composer's `#file:` mentions: completion of their names, and their content
// as an attachment (refused over a size cap, or when the file is not text).
import * as vscode from 'vscode';
import type { Attachment } from '../protocol/chat';
import { rankPaths } from './pathRanking';

/** Most files a completion list shows. */
export const fileMatchLimit = 20;
/** Largest file a mention attaches; a bigger one is refused with a way out. */
export const maxMentionBytes = 200_000;
/** Files scanned per search: enough for a large repository's names, bounded for a huge one. */
const scanLimit = 20_000;
/** One scan serves the keystrokes of one completion (the list is reused this long). */
const scanReuseMs = 5_000;

function excludeGlob(): string {
  const keys = (section: string): string[] =>
    Object.entries(vscode.workspace.getConfiguration(section).get<Record<string, unknown>>('exclude') ?? {})
      .filter(([, on]) => on === true)
      .map(([glob]) => glob);
  const globs = [...new Set(['**/node_modules/**', '**/.git/**', ...keys('files'), ...keys('search')])];
  return `{${globs.join(',')}}`;
}

export class WorkspaceFileFinder implements vscode.Disposable {
  private scan: { at: number; paths: Promise<string[]> } | undefined;
  private readonly disposed = new vscode.CancellationTokenSource();

  /**
   * Workspace-relative paths matching `query`, best first. The keystrokes of one completion share a
   * scan (an older request's answer is dropped by the panel, so none is cancelled mid-scan).
   */
  async find(query: string): Promise<string[]> {
    return rankPaths(await this.paths(), query, fileMatchLimit);
  }

  private paths(): Promise<string[]> {
    if (this.scan && Date.now() - this.scan.at < scanReuseMs) return this.scan.paths;
    const paths = Promise.resolve(vscode.workspace.findFiles('**/*', excludeGlob(), scanLimit, this.disposed.token)).then((uris) =>
      uris.map((uri) => vscode.workspace.asRelativePath(uri)),
    );
    const scan = { at: Date.now(), paths };
    this.scan = scan;
    // A failed scan is not reused: the next keystroke starts its own.
    paths.catch(() => {
      if (this.scan === scan) this.scan = undefined;
    });
    return paths;
  }

  dispose(): void {
    this.disposed.cancel();
    this.disposed.dispose();
  }
}

/** The workspace file a mention's path names, if it is one (never a path outside the workspace). */
export async function resolveWorkspaceFile(path: string): Promise<vscode.Uri | undefined> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  const parts = path.replace(/\\/g, '/').split('/').filter(Boolean);
  if (parts.length === 0 || parts.some((p) => p === '..' || p === '.')) return undefined;
  const candidates: vscode.Uri[] = [];
  for (const folder of folders) {
    // In a multi-root workspace, paths start with the folder's name (as asRelativePath writes them).
    if (folders.length > 1 && parts[0] === folder.name) candidates.push(vscode.Uri.joinPath(folder.uri, ...parts.slice(1)));
    candidates.push(vscode.Uri.joinPath(folder.uri, ...parts));
  }
  for (const uri of candidates) {
    try {
      if ((await vscode.workspace.fs.stat(uri)).type & vscode.FileType.File) return uri;
    } catch {
      // Not in this folder: try the next.
    }
  }
  return undefined;
}

function formatBytes(bytes: number): string {
  return bytes >= 1_000_000 ? `${(bytes / 1_000_000).toFixed(1)} MB` : `${Math.ceil(bytes / 1000)} KB`;
}

/** The attachment for `#file:path`, or why it cannot be made. */
export async function fileMentionAttachment(path: string): Promise<Attachment | string> {
  const uri = await resolveWorkspaceFile(path);
  if (!uri) return `#file:${path} is not a file in this workspace. Pick one from the list that #file: offers.`;
  const { size } = await vscode.workspace.fs.stat(uri);
  if (size > maxMentionBytes) {
    return `${path} is ${formatBytes(size)}; Hearth attaches files up to ${formatBytes(maxMentionBytes)}. Select the part you need and use #selection instead.`;
  }
  const bytes = await vscode.workspace.fs.readFile(uri);
  if (bytes.includes(0)) return `${path} is not a text file; Hearth attaches only text.`;
  // The document's text: unsaved edits included (what the user sees and means), and its language.
  const doc = await vscode.workspace.openTextDocument(uri);
  return { kind: 'file', label: path, content: doc.getText(), language: doc.languageId };
}
