// "Export Conversation as Markdown": asks where, then writes the file.
import * as vscode from 'vscode';
import type { ChatController } from '../chat/chatController';
import { conversationToMarkdown } from '../chat/store/markdownExport';
import type { Conversation } from '../protocol/chat';
import type { HearthStore } from './storeAdapter';

export async function exportConversationToFile(controller: ChatController, store: HearthStore, id?: string): Promise<void> {
  const conversation: Conversation | undefined =
    !id || id === controller.current.id ? controller.current : await store.load(id);
  if (!conversation || conversation.messages.length === 0) {
    void vscode.window.showInformationMessage('Hearth: this conversation is empty; there is nothing to export yet.');
    return;
  }
  const safeName = conversation.title.replace(/[^\p{L}\p{N} _-]+/gu, '').trim().slice(0, 60) || 'conversation';
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const target = await vscode.window.showSaveDialog({
    title: 'Hearth: export conversation as Markdown',
    filters: { Markdown: ['md'] },
    ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, `${safeName}.md`) } : {}),
  });
  if (!target) return;
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(conversationToMarkdown(conversation)));
  void vscode.window.showInformationMessage(`Hearth: exported to ${vscode.workspace.asRelativePath(target)}.`);
}
