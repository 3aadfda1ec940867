// Opens the conversation store under global storage and reports files it had to set aside.
import * as vscode from 'vscode';
import { ConversationStore } from '../chat/store/conversationStore';

export type HearthStore = ConversationStore;

export function openConversationStore(
  globalStoragePath: string,
  log: vscode.LogOutputChannel,
  /** Shows a problem in the chat panel too. */
  report: (text: string) => void,
): ConversationStore {
  return new ConversationStore(globalStoragePath, {
    onProblem: (problem) => {
      const where = problem.movedTo ? ` It was moved to ${problem.movedTo}; nothing was deleted.` : '';
      log.warn(`Conversation file ${problem.file} could not be loaded: ${problem.reason}.${where}`);
      const text = `A saved conversation could not be read (${problem.reason}).${where}`;
      report(text);
      void vscode.window.showWarningMessage(`Hearth: ${text}`);
    },
    onSaveError: (id, err) => {
      log.error(`Saving conversation ${id} failed: ${err instanceof Error ? err.message : String(err)}`);
      void vscode.window.showErrorMessage(`Hearth: could not save the conversation: ${err instanceof Error ? err.message : String(err)}`);
    },
  });
}
