// Command-palette commands. Each is a thin call into the controller or a VS Code prompt.
import * as vscode from 'vscode';
import type { ChatController } from '../chat/chatController';
import { keyOrigin } from '../providers/shared/keyOrigin';
import type { ApiKeys } from './apiKeys';
import type { ChatViewProvider } from './chatViewProvider';
import { estimateTokens, gatherContext } from './editorContext';
import type { ProposalDocuments } from './proposalDocuments';
import type { ProviderHub } from './providerHub';
import { vscodeLmProviderId } from './vscodeLmProvider';

export interface CommandDeps {
  controller: ChatController;
  view: ChatViewProvider;
  keys: ApiKeys;
  hub: ProviderHub;
  proposals: ProposalDocuments;
  exportConversation(id?: string): Promise<void>;
}

/** The address (from the user's settings) a key being set or cleared is bound to; undefined after an error message. */
function keyTarget(hub: ProviderHub, providerId: string): { url: string; origin: string } | undefined {
  const url = hub.endpointUrl(providerId);
  try {
    if (url) return { url, origin: keyOrigin(url) };
  } catch (err) {
    void vscode.window.showErrorMessage(`Hearth: the base URL of ${hub.label(providerId)} is not valid: ${err instanceof Error ? err.message : String(err)} Fix it in your user settings.`);
    return undefined;
  }
  void vscode.window.showErrorMessage(`Hearth: ${hub.label(providerId)} takes no API key.`);
  return undefined;
}

export function registerCommands(deps: CommandDeps): vscode.Disposable[] {
  const { controller, view, keys, hub } = deps;
  const register = (id: string, run: (...args: unknown[]) => unknown) => vscode.commands.registerCommand(id, run);
  // The provider a key is for: the argument, else the configured provider if it needs a key, else the user's pick.
  const keyProvider = async (arg: unknown, title: string): Promise<string | undefined> => {
    if (typeof arg === 'string') return arg;
    const configured = hub.configuredKeyedProviderId();
    if (configured) return configured;
    const picked = await vscode.window.showQuickPick(
      hub.keyedProviders().map((p) => ({ label: p.label, id: p.id })),
      { title, placeHolder: 'Which provider is the key for?' },
    );
    return picked?.id;
  };

  return [
    register('hearth.openChat', () => view.reveal()),
    register('hearth.newChat', async () => {
      await controller.newChat();
      await view.reveal();
    }),
    register('hearth.stopGenerating', () => controller.stop()),
    register('hearth.selectProvider', async (arg?: unknown) => {
      const options = hub.options();
      const picked =
        typeof arg === 'string'
          ? options.find((o) => o.id === arg)
          : await vscode.window.showQuickPick(
              options.map((o) => ({ label: o.label, description: o.kind === 'local' ? 'runs on this machine' : 'remote API', id: o.id })),
              { title: 'Hearth: choose where answers come from' },
            );
      if (!picked) return;
      await vscode.workspace.getConfiguration('hearth').update('provider', picked.id, vscode.ConfigurationTarget.Global);
      await controller.selectProvider(picked.id);
    }),
    register('hearth.selectModel', async () => {
      const providerId = controller.current.providerId ?? hub.defaultProviderId();
      // Installed models, the demo model, Download Model… and Use a folder on disk… (src/extension/localModelPicker.ts).
      if (providerId === 'local') return vscode.commands.executeCommand('hearth.selectLocalModel');
      let models: string[] = [];
      let unlisted = '';
      try {
        models = await hub.listModels(providerId);
      } catch (err) {
        // Shown, not swallowed: the user can still type a name, knowing why there is no list.
        unlisted = err instanceof Error ? err.message : String(err);
        void vscode.window.showWarningMessage(`Hearth: could not list the models of ${hub.label(providerId)}: ${unlisted}`);
      }
      if (!models.length && !unlisted && providerId === vscodeLmProviderId) {
        void vscode.window.showWarningMessage('Hearth: VS Code has no chat models. Install and sign in to a chat model extension (e.g. GitHub Copilot Chat).');
        return;
      }
      const model = models.length
        ? (await vscode.window.showQuickPick(models, { title: 'Hearth: choose a model' }))
        : await vscode.window.showInputBox({
            title: 'Hearth: model name',
            prompt: `${unlisted ? `No model list (${unlisted}). ` : ''}The model name the API expects, e.g. ${hub.configuredModel(providerId) ?? 'gpt-4o-mini'}`,
          });
      if (!model) return;
      await controller.selectModel(model);
    }),
    register('hearth.setApiKey', async (arg?: unknown, providerArg?: unknown) => {
      const providerId = await keyProvider(providerArg, 'Hearth: set the API key for...');
      if (!providerId) return;
      const target = keyTarget(hub, providerId);
      if (!target) return;
      const key =
        typeof arg === 'string'
          ? arg
          : await vscode.window.showInputBox({
              title: `Hearth: API key for ${hub.label(providerId)} at ${target.origin}`,
              prompt: `Stored in VS Code SecretStorage (your OS keychain), never in settings, and sent only to ${target.origin}.`,
              password: true,
              ignoreFocusOut: true,
              validateInput: (v) => (v.trim() ? undefined : 'Paste the key, or press Escape to cancel.'),
            });
      if (!key?.trim()) return;
      try {
        await keys.set(providerId, target.url, key.trim());
      } catch (err) {
        void vscode.window.showErrorMessage(`Hearth: the key was not saved. ${err instanceof Error ? err.message : String(err)}`);
        return;
      }
      void vscode.window.showInformationMessage(`Hearth: API key for ${hub.label(providerId)} saved; it is sent only to ${target.origin}.`);
    }),
    register('hearth.clearApiKey', async (providerArg?: unknown) => {
      const providerId = await keyProvider(providerArg, 'Hearth: clear the API key of...');
      if (!providerId) return;
      const target = keyTarget(hub, providerId);
      if (!target) return;
      await keys.clear(providerId, target.url);
      void vscode.window.showInformationMessage(`Hearth: API key for ${hub.label(providerId)} at ${target.origin} removed.`);
    }),
    // The panel's own list (search, rename, export, delete), not a quick pick that could only switch.
    register('hearth.showConversations', async () => {
      await view.reveal();
      view.post({ type: 'showConversations' });
    }),
    register('hearth.exportConversation', () => deps.exportConversation()),
    register('hearth.askAboutSelection', async () => {
      const attachment = gatherContext('selection');
      if (typeof attachment === 'string') {
        void vscode.window.showWarningMessage(`Hearth: ${attachment}`);
        return;
      }
      controller.addChip(attachment, estimateTokens(attachment.content));
      await view.reveal();
    }),
    register('hearth.restartEngine', async () => {
      await hub.restartLocal();
      void vscode.window.showInformationMessage('Hearth: the local engine will start fresh on the next question.');
    }),
    register('hearth.acceptProposal', async (uri?: unknown) => {
      const target = uri instanceof vscode.Uri ? uri : vscode.window.activeTextEditor?.document.uri;
      if (target) await deps.proposals.accept(target);
    }),
    register('hearth.rejectProposal', async (uri?: unknown) => {
      const target = uri instanceof vscode.Uri ? uri : vscode.window.activeTextEditor?.document.uri;
      if (target) await deps.proposals.reject(target);
    }),
  ];
}
