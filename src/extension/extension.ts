// Entry point. Activation only wires objects together: the store, providers and the engine
// start on first use, so opening VS Code costs next to nothing.
import * as vscode from 'vscode';
import { ChatController } from '../chat/chatController';
import type { HostToWebview } from '../protocol/webviewMessages';
import { ApiKeys } from './apiKeys';
import { ChatViewProvider } from './chatViewProvider';
import { createParticipantHandler, registerChatParticipant, type ParticipantDeps } from './chatParticipant';
import { registerCodeTaskCommands } from './codeTaskActions';
import { registerCommands } from './commands';
import { ComparePanel, registerCompareCommand } from './comparePanel';
import { exportConversationToFile } from './exportConversation';
import { registerFixWithHearth } from './fixWithHearth';
import { registerLocalLanguageModels } from './localLanguageModels';
import { createMessageRouter } from './messageRouter';
import { ProposalDocuments } from './proposalDocuments';
import { installedModelIds, registerModelDownloads, resolveInstalledModel } from './modelDownloads';
import { ProviderHub } from './providerHub';
import { readSettings } from './settings';
import { openConversationStore } from './storeAdapter';
import { WorkspaceFileFinder } from './workspaceFiles';

/** What `activate` returns: a hook for the integration tests to drive the view's message path. */
export interface HearthApi {
  testing: {
    receiveFromWebview(message: unknown): Promise<void>;
    onDidPostToWebview(listener: (message: HostToWebview) => void): vscode.Disposable;
    /** The @hearth chat participant's request handler, for a synthetic ChatRequest. */
    chatParticipant: ReturnType<typeof createParticipantHandler>;
  };
}

export function activate(context: vscode.ExtensionContext): HearthApi {
  const log = vscode.window.createOutputChannel('Hearth', { log: true });
  // A key saved before keys were bound to origins moves to the origin of the user's own settings.
  const keys: ApiKeys = new ApiKeys(context.secrets, (id): string | undefined => hub.endpointUrl(id));
  const hub = new ProviderHub(context.extensionUri, keys, log, {
    resolve: (id) => resolveInstalledModel(context, id),
    installed: () => installedModelIds(context),
  });
  const proposals = new ProposalDocuments();
  let view: ChatViewProvider | undefined;
  const store = openConversationStore(context.globalStorageUri.fsPath, log, (text) =>
    view?.post({ type: 'notice', level: 'warning', text }),
  );

  const post = (message: HostToWebview): void => {
    if (message.type === 'generating') void vscode.commands.executeCommand('setContext', 'hearth.generating', message.generating);
    view?.post(message);
  };
  const controller = new ChatController({
    store,
    providers: () => hub.options(),
    getProvider: (id) => hub.get(id),
    providerStatus: (id, model) => hub.status(id, model),
    settings: () => {
      const s = readSettings();
      return {
        providerId: s.provider,
        systemPrompt: s.systemPrompt,
        modelFor: (id) => hub.configuredModel(id),
        endpointFor: (id) => hub.endpointLabel(id),
        priceFor: (id, model) => hub.priceFor(id, model),
      };
    },
    post,
  });
  const exportConversation = (id?: string) => exportConversationToFile(controller, store, id);
  const workspaceFiles = new WorkspaceFileFinder();
  const router = createMessageRouter({
    controller,
    proposals,
    exportConversation,
    countTokens: (text) => hub.countTokens(controller.current.providerId ?? readSettings().provider, text),
    post,
    files: workspaceFiles,
  });
  view = new ChatViewProvider(context.extensionUri, router, log);
  const chatView = view;
  const compare = new ComparePanel({ extensionUri: context.extensionUri, hub, store, controller, revealChat: () => chatView.reveal(), log });
  // @hearth answers with what the panel's conversation uses now.
  const participantDeps: ParticipantDeps = {
    current: () => {
      const providerId = controller.current.providerId ?? readSettings().provider;
      const model = controller.current.model ?? hub.configuredModel(providerId);
      return { providerId, ...(model ? { model } : {}) };
    },
    getProvider: (id) => hub.get(id),
    systemPrompt: () => readSettings().systemPrompt,
    log,
  };

  context.subscriptions.push(
    log,
    hub,
    proposals,
    workspaceFiles,
    view,
    vscode.window.registerWebviewViewProvider(ChatViewProvider.viewId, view),
    vscode.workspace.registerTextDocumentContentProvider(ProposalDocuments.scheme, proposals),
    ...registerCommands({ controller, view, keys, hub, proposals, exportConversation }),
    ...registerModelDownloads({ context, controller, keys, log }),
    compare,
    registerCompareCommand(compare),
    ...registerCodeTaskCommands({ controller, view }),
    registerFixWithHearth(),
    ...registerChatParticipant(context.extensionUri, participantDeps),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration('hearth')) return;
      hub.settingsChanged(e);
      void controller.settingsChanged();
    }),
    context.secrets.onDidChange(() => hub.keysChanged()),
    { dispose: () => void controller.dispose() },
  );

  // The local models in VS Code's own model picker (vendor 'hearth'), answered by the panel's engine.
  registerLocalLanguageModels(context, { hub, log });

  const testView = view;
  const chatParticipant = createParticipantHandler(participantDeps);
  return {
    testing: {
      receiveFromWebview: (message) => testView.receive(message),
      // A copy, as the real webview gets: the host keeps updating its own objects after posting.
      onDidPostToWebview: (listener) => testView.onDidPost((message) => listener(structuredClone(message))),
      chatParticipant,
    },
  };
}

export function deactivate(): void {
  // Everything is in context.subscriptions.
}
