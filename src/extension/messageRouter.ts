// Routes validated webview messages: chat actions to the controller, editor actions to VS Code.
import * as vscode from 'vscode';
import type { ChatController } from '../chat/chatController';
import { codeTaskIds, codeTasks } from '../chat/codeTasks';
import type { HostToWebview, WebviewToHost } from '../protocol/webviewMessages';
import { insertAtCursor, openInNewFile, proposeApply } from './codeBlockActions';
import { estimateTokens, gatherContext } from './editorContext';
import { confirmLink } from './confirmLink';
import { followLink } from './linkPolicy';
import { composeMessage } from './composerMessage';
import type { ProposalDocuments } from './proposalDocuments';
import type { WorkspaceFileFinder } from './workspaceFiles';

export interface RouterDeps {
  controller: ChatController;
  proposals: ProposalDocuments;
  exportConversation(id: string): Promise<void>;
  /** Exact token count from the active provider when it can count, else undefined. */
  countTokens(text: string): Promise<number | undefined>;
  /** Straight to the panel: answers that are the webview's own business (completions), not the conversation's. */
  post(message: HostToWebview): void;
  files: WorkspaceFileFinder;
}

const composerCommands = codeTaskIds.map((id) => ({ slash: codeTasks[id].slash, label: codeTasks[id].label, description: codeTasks[id].description }));

export function createMessageRouter(deps: RouterDeps): (message: WebviewToHost) => Promise<void> {
  const { controller } = deps;
  return async (message) => {
    switch (message.type) {
      case 'ready':
        await controller.sendInit();
        return deps.post({ type: 'composerCommands', commands: composerCommands });
      case 'send': {
        const composed = await composeMessage(message.text, controller.attachedContext);
        if (typeof composed === 'string') {
          // The composer cleared itself on send: give the text back to fix and resend.
          deps.post({ type: 'restoreDraft', text: message.text });
          return controller.notice('warning', composed);
        }
        return controller.send(composed.content, composed.attachments);
      }
      case 'findFiles': {
        const files = await deps.files.find(message.query);
        return deps.post({ type: 'fileMatches', requestId: message.requestId, files });
      }
      case 'stop':
        return controller.stop();
      case 'newChat':
        return controller.newChat();
      case 'regenerate':
        return controller.regenerate(message.messageId);
      case 'continue':
        return controller.continueAnswer(message.messageId);
      case 'editAndResend':
        return controller.editAndResend(message.messageId, message.text);
      case 'selectConversation':
        return controller.select(message.id);
      case 'renameConversation':
        return controller.rename(message.id, message.title);
      case 'deleteConversation':
        return controller.delete(message.id);
      case 'undoDelete':
        return controller.undoDelete();
      case 'searchConversations':
        return controller.search(message.query);
      case 'exportConversation':
        return deps.exportConversation(message.id);
      case 'selectProvider':
        return controller.selectProvider(message.providerId);
      case 'selectModel':
        return controller.selectModel(message.model);
      case 'setApiKey':
        // No key argument: the command asks for it, bound to this provider's origin.
        return void (await vscode.commands.executeCommand('hearth.setApiKey', undefined, message.providerId));
      case 'downloadModel':
        return void (await vscode.commands.executeCommand('hearth.downloadModel'));
      case 'pickModel':
        return void (await vscode.commands.executeCommand('hearth.selectModel'));
      case 'removeContext':
        return controller.removeChip(message.id);
      case 'attachContext': {
        const attachment = gatherContext(message.kind);
        if (typeof attachment === 'string') return controller.notice('warning', attachment);
        const tokens = (await deps.countTokens(attachment.content)) ?? estimateTokens(attachment.content);
        return controller.addChip(attachment, tokens);
      }
      case 'openLink':
        return followLink(message.url, {
          confirm: confirmLink,
          open: async (url) => void (await vscode.env.openExternal(vscode.Uri.parse(url, true))),
          copy: (text) => Promise.resolve(vscode.env.clipboard.writeText(text)),
          refused: (raw) => controller.notice('warning', `Hearth opens only http, https and mailto links, not "${raw.slice(0, 100)}".`),
        });
      case 'copyText':
        await vscode.env.clipboard.writeText(message.text);
        return;
      case 'insertCode':
        await insertAtCursor(message.code);
        return;
      case 'applyCode': {
        const note = await proposeApply(message.code, deps.proposals);
        if (note) controller.notice('info', note);
        return;
      }
      case 'openCode':
        return openInNewFile(message.code, message.language);
      case 'compare':
        await vscode.commands.executeCommand('hearth.compareModels', message.text.trim() ? message.text : undefined);
        return;
    }
  };
}
