// The sidebar webview. It holds no conversation state: when VS Code disposes the hidden view
// (no retainContextWhenHidden), the webview asks again with `ready` and gets a fresh snapshot.
import { readdirSync } from 'node:fs';
import * as vscode from 'vscode';
import { WebviewToHostSchema, type HostToWebview, type WebviewToHost } from '../protocol/webviewMessages';
import { renderChatHtml } from './webviewHtml';

export type WebviewMessageHandler = (message: WebviewToHost) => Promise<void>;

export class ChatViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  static readonly viewId = 'hearth.chat';

  private view: vscode.WebviewView | undefined;
  private readonly posted = new vscode.EventEmitter<HostToWebview>();
  /** Every message posted to the webview, whether or not it is visible (tests listen here). */
  readonly onDidPost = this.posted.event;
  private readonly disposables: vscode.Disposable[] = [this.posted];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly handler: WebviewMessageHandler,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    const roots = [vscode.Uri.joinPath(this.extensionUri, 'dist'), vscode.Uri.joinPath(this.extensionUri, 'media')];
    view.webview.options = { enableScripts: true, enableCommandUris: false, localResourceRoots: roots };
    view.webview.html = this.html(view.webview);
    const subscription = view.webview.onDidReceiveMessage((raw: unknown) => void this.receive(raw));
    view.onDidDispose(() => {
      subscription.dispose();
      if (this.view === view) this.view = undefined;
    });
  }

  /** Validates a message from the webview and hands it to the handler; invalid ones are logged and dropped. */
  async receive(raw: unknown): Promise<void> {
    const parsed = WebviewToHostSchema.safeParse(raw);
    if (!parsed.success) {
      this.log.warn(`Ignored an invalid message from the chat view: ${parsed.error.issues[0]?.message ?? 'unknown'}`);
      return;
    }
    try {
      await this.handler(parsed.data);
    } catch (err) {
      this.log.error(err instanceof Error ? err : String(err));
      this.post({ type: 'notice', level: 'error', text: `Hearth: ${err instanceof Error ? err.message : String(err)}` });
    }
  }

  post(message: HostToWebview): void {
    this.posted.fire(message);
    // A hidden view has no webview; it resynchronises with `ready` when shown again.
    void this.view?.webview.postMessage(message);
  }

  async reveal(): Promise<void> {
    await vscode.commands.executeCommand(`${ChatViewProvider.viewId}.focus`);
  }

  get visible(): boolean {
    return this.view?.visible ?? false;
  }

  private html(webview: vscode.Webview): string {
    const media = vscode.Uri.joinPath(this.extensionUri, 'media');
    const styles = readdirSync(media.fsPath)
      .filter((name) => name.endsWith('.css'))
      .sort()
      .map((name) => webview.asWebviewUri(vscode.Uri.joinPath(media, name)).toString());
    return renderChatHtml({
      cspSource: webview.cspSource,
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview.js')).toString(),
      // VS Code's icons (copied from @vscode/codicons by the build) first, so the panel's styles can size them.
      styleUris: [webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'dist', 'codicons', 'codicon.css')).toString(), ...styles],
    });
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
