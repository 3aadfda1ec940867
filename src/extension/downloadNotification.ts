// One model download under a VS Code progress notification (bytes, speed, time left, Cancel), and
// what the user is told when it fails: a gated repository links to its page and offers to set a token.
import * as vscode from 'vscode';
import { formatBytes, formatEta } from '../hub/downloadProgress';
import { HubError } from '../hub/hubError';
import type { DownloadRequest } from '../hub/modelDownloader';
import type { InstalledModel } from '../hub/modelStore';
import { optional } from './optional';

export interface DownloadTarget {
  endpoint: string;
  modelsDir: string;
  token?: string;
  /** Certificates the user trusts (userTrustedFetch); the global fetch when absent. */
  fetch?: typeof fetch;
  log: vscode.LogOutputChannel;
}

/** Downloads under way; hearth.cancelModelDownloads (used by the tests, where notifications have no Cancel button) stops them. */
const running = new Set<AbortController>();

export function cancelAllDownloads(): void {
  running.forEach((a) => a.abort());
}

/** Runs one download under a progress notification; resolves with the installed model, or undefined after an error the user was shown. */
export async function runDownload(target: DownloadTarget, request: DownloadRequest, name: string): Promise<InstalledModel | undefined> {
  const { downloadModel } = await import('../hub/modelDownloader');
  const abort = new AbortController();
  running.add(abort);
  try {
    return await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Hearth: downloading ${name}`, cancellable: true },
      async (progress, token) => {
        token.onCancellationRequested(() => abort.abort());
        let reported = 0;
        return downloadModel(
          request,
          { endpoint: target.endpoint, modelsDir: target.modelsDir, ...optional('token', target.token), ...optional('fetch', target.fetch) },
          (p) => {
            const fraction = p.totalBytes ? p.bytes / p.totalBytes : 0;
            const increment = Math.max(0, fraction * 100 - reported);
            reported += increment;
            const speed = p.bytesPerSecond ? ` · ${formatBytes(p.bytesPerSecond)}/s` : '';
            const eta = formatEta(p.etaSeconds);
            const message =
              p.phase === 'resolving'
                ? 'looking up the files…'
                : p.phase === 'waiting'
                  ? `waiting: ${p.note ?? 'another download of this model'}`
                  : `${formatBytes(p.bytes)} of ${formatBytes(p.totalBytes)}${speed}${eta ? ` · ${eta}` : ''}`;
            progress.report({ message, increment });
          },
          abort.signal,
        );
      },
    );
  } catch (e) {
    reportFailure(target.log, e, name);
    return undefined;
  } finally {
    running.delete(abort);
  }
}

/** Tells the user; the command does not wait for them to answer (the buttons act on their own). */
export function reportFailure(log: vscode.LogOutputChannel, e: unknown, name: string): void {
  if (!(e instanceof HubError)) {
    log.error(`Download of ${name} failed: ${String(e)}`);
    void vscode.window.showErrorMessage(`Hearth: downloading ${name} failed: ${(e as Error).message}`);
    return;
  }
  log.warn(`Download of ${name}: ${e.kind}: ${e.message}`);
  if (e.kind === 'cancelled') {
    void vscode.window.showInformationMessage(`Hearth: download of ${name} stopped. Run Download Model again to resume where it stopped.`);
    return;
  }
  const actions = e.kind === 'gated' ? ['Open Model Page', 'Set Token…'] : [];
  void vscode.window.showErrorMessage(`Hearth: ${e.message}`, ...actions).then(async (choice) => {
    if (choice === 'Open Model Page' && e.link) await vscode.env.openExternal(vscode.Uri.parse(e.link));
    if (choice === 'Set Token…') await vscode.commands.executeCommand('hearth.setHubToken');
  });
}

