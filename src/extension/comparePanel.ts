// Hearth: Compare Models — an editor-area webview that sends one prompt to two targets at once
// (src/chat/compare.ts does the work; this file is the VS Code glue). One panel per window: running
// the command again reveals it, with the new prompt if one is given.
import { readdirSync } from 'node:fs';
import * as vscode from 'vscode';
import type { ChatController, ConversationRepository } from '../chat/chatController';
import type { ComparisonResult, TargetDescription } from '../chat/compare';
import { CompareSession } from '../chat/compareSession';
import { CompareTargetsSchema, CompareToHostSchema, type CompareTarget, type CompareToHost, type HostToCompare } from '../protocol/compareMessages';
import { openableUrl } from './linkPolicy';
import type { ProviderHub } from './providerHub';
import { readSettings } from './settings';
import { renderChatHtml } from './webviewHtml';

export interface CompareDepsVscode {
  extensionUri: vscode.Uri;
  hub: ProviderHub;
  store: Pick<ConversationRepository, 'save' | 'scheduleSave'>;
  controller: ChatController;
  revealChat(): Promise<void>;
  log: vscode.LogOutputChannel;
}

/** What `hearth.compareModels` takes: a prompt (the chat composer's), or a whole run (tests, scripts). */
export interface CompareCommandArgs {
  prompt?: string;
  targets?: [CompareTarget, CompareTarget];
  /** Start at once instead of waiting for the panel's Compare button; the command then resolves with the result. */
  run?: boolean;
}

const localProviderId = 'local';

export class ComparePanel implements vscode.Disposable {
  static readonly viewType = 'hearth.compare';
  private panel: vscode.WebviewPanel | undefined;
  private readonly session: CompareSession;
  /** What the panel shows when it (re)loads: the prompt and targets it was opened with. */
  private initial: { prompt: string; targets: [CompareTarget, CompareTarget] } | undefined;
  private ready: Promise<void> | undefined;
  private markReady: (() => void) | undefined;

  constructor(private readonly deps: CompareDepsVscode) {
    this.session = new CompareSession({
      getProvider: (id) => deps.hub.get(id),
      describe: (target) => this.describe(target),
      store: deps.store,
      systemPrompt: () => readSettings().systemPrompt,
      post: (message) => this.post(message),
    });
  }

  /** Default pair: the local model against the configured remote provider (else the first remote one). */
  defaultTargets(): [CompareTarget, CompareTarget] {
    const options = this.deps.hub.options();
    const configured = this.deps.hub.defaultProviderId();
    const remote = configured !== localProviderId && options.some((o) => o.id === configured) ? configured : options.find((o) => o.kind === 'remote')?.id;
    return [this.withModel(localProviderId), this.withModel(remote ?? localProviderId)];
  }

  async open(args: CompareCommandArgs = {}): Promise<ComparisonResult | undefined> {
    const targets = args.targets ?? this.initial?.targets ?? this.defaultTargets();
    this.initial = { prompt: args.prompt ?? this.initial?.prompt ?? '', targets };
    if (this.panel) {
      this.panel.reveal(vscode.ViewColumn.Active);
      await this.sendInit();
    } else {
      this.create();
    }
    if (!args.run || !args.prompt?.trim()) return undefined;
    await this.ready;
    return this.session.run(args.prompt, targets);
  }

  private create(): void {
    const media = vscode.Uri.joinPath(this.deps.extensionUri, 'media');
    const panel = vscode.window.createWebviewPanel(ComparePanel.viewType, 'Hearth: Compare Models', vscode.ViewColumn.Active, {
      enableScripts: true,
      enableCommandUris: false,
      // Two answers may stream while the user looks at code in another tab: keep them, do not rebuild the page.
      retainContextWhenHidden: true,
      localResourceRoots: [vscode.Uri.joinPath(this.deps.extensionUri, 'dist'), media],
    });
    panel.iconPath = vscode.Uri.joinPath(media, 'hearth.svg');
    this.panel = panel;
    this.ready = new Promise((resolve) => (this.markReady = resolve));
    const styles = readdirSync(media.fsPath)
      .filter((name) => name.endsWith('.css'))
      .sort()
      .map((name) => panel.webview.asWebviewUri(vscode.Uri.joinPath(media, name)).toString());
    // The chat view's page and CSP: one nonce'd script, nothing remote, no inline anything.
    panel.webview.html = renderChatHtml({
      cspSource: panel.webview.cspSource,
      scriptUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(this.deps.extensionUri, 'dist', 'compare.js')).toString(),
      styleUris: [panel.webview.asWebviewUri(vscode.Uri.joinPath(this.deps.extensionUri, 'dist', 'codicons', 'codicon.css')).toString(), ...styles],
    });
    const subscription = panel.webview.onDidReceiveMessage((raw: unknown) => void this.receive(raw));
    panel.onDidDispose(() => {
      subscription.dispose();
      if (this.panel === panel) this.panel = undefined;
      // Closing the panel stops both answers; what they wrote is saved as stopped.
      void this.session.stop();
    });
  }

  private async receive(raw: unknown): Promise<void> {
    const parsed = CompareToHostSchema.safeParse(raw);
    if (!parsed.success) {
      this.deps.log.warn(`Ignored an invalid message from the compare panel: ${parsed.error.issues[0]?.message ?? 'unknown'}`);
      return;
    }
    try {
      await this.handle(parsed.data);
    } catch (err) {
      this.deps.log.error(err instanceof Error ? err : String(err));
      this.post({ type: 'notice', level: 'error', text: `Hearth: ${err instanceof Error ? err.message : String(err)}` });
    }
  }

  private async handle(message: CompareToHost): Promise<void> {
    switch (message.type) {
      case 'ready':
        await this.sendInit();
        this.markReady?.();
        return;
      case 'run':
        this.initial = { prompt: message.prompt, targets: message.targets };
        await this.session.run(message.prompt, message.targets);
        return;
      case 'stop':
        return this.session.stop();
      case 'continueInChat': {
        const id = this.session.conversationId(message.side);
        if (!id) return this.post({ type: 'notice', level: 'warning', text: 'Run a comparison first.' });
        await this.deps.controller.select(id);
        return this.deps.revealChat();
      }
      case 'setApiKey': {
        const providerId = this.session.providerId(message.side);
        if (!providerId) return this.post({ type: 'notice', level: 'warning', text: 'Run a comparison first.' });
        // No key argument: the command asks for it, bound to this provider's origin.
        return void (await vscode.commands.executeCommand('hearth.setApiKey', undefined, providerId));
      }
      case 'openLink': {
        const url = openableUrl(message.url);
        if (url) await vscode.env.openExternal(vscode.Uri.parse(url.toString(), true));
        return;
      }
      case 'copyText':
        return vscode.env.clipboard.writeText(message.text);
    }
  }

  private async sendInit(): Promise<void> {
    const initial = this.initial ?? { prompt: '', targets: this.defaultTargets() };
    this.post({ type: 'init', providers: this.deps.hub.options(), targets: initial.targets, prompt: initial.prompt, running: this.session.running });
  }

  private post(message: HostToCompare): void {
    void this.panel?.webview.postMessage(message);
  }

  private withModel(providerId: string): CompareTarget {
    const model = this.deps.hub.configuredModel(providerId);
    return { providerId, ...(model ? { model } : {}) };
  }

  private describe(target: CompareTarget): TargetDescription {
    const { hub } = this.deps;
    const option = hub.options().find((o) => o.id === target.providerId);
    const model = target.model ?? hub.configuredModel(target.providerId);
    const price = hub.priceFor(target.providerId, model);
    return {
      providerLabel: option?.label ?? target.providerId,
      ...(model ? { model } : {}),
      kind: option?.kind ?? 'remote',
      endpoint: hub.endpointLabel(target.providerId),
      ...(price ? { price } : {}),
      ...(option?.keyed ? { keyed: true } : {}),
    };
  }

  dispose(): void {
    void this.session.stop();
    this.panel?.dispose();
  }
}

export function registerCompareCommand(panel: ComparePanel): vscode.Disposable {
  return vscode.commands.registerCommand('hearth.compareModels', (arg?: unknown) => panel.open(compareArgs(arg)));
}

/** A string is a prompt (from the chat panel's Compare button); an object may carry targets too. */
function compareArgs(arg: unknown): CompareCommandArgs {
  if (typeof arg === 'string') return { prompt: arg };
  if (typeof arg !== 'object' || arg === null) return {};
  const { prompt, targets, run } = arg as Record<string, unknown>;
  const parsedTargets = CompareTargetsSchema.safeParse(targets);
  return {
    ...(typeof prompt === 'string' ? { prompt } : {}),
    ...(parsedTargets.success ? { targets: parsedTargets.data } : {}),
    ...(run === true ? { run: true } : {}),
  };
}
