// Read-only documents holding a proposed change, shown on the right of a diff until accepted.
import * as vscode from 'vscode';

interface Proposal {
  target: vscode.Uri;
  version: number;
  content: string;
}

export class ProposalDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  static readonly scheme = 'hearth-proposal';
  private readonly proposals = new Map<string, Proposal>();
  private counter = 0;
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  add(target: vscode.Uri, version: number, content: string): vscode.Uri {
    const name = target.path.split('/').pop() ?? 'proposal';
    const uri = vscode.Uri.from({ scheme: ProposalDocuments.scheme, path: `/${++this.counter}/${name}` });
    this.proposals.set(uri.toString(), { target, version, content });
    return uri;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.proposals.get(uri.toString())?.content ?? '';
  }

  /** Writes the proposal into its file (the user's explicit Accept). */
  async accept(uri: vscode.Uri): Promise<boolean> {
    const proposal = this.proposals.get(uri.toString());
    if (!proposal) {
      void vscode.window.showWarningMessage('Hearth: this proposal is no longer available. Press Apply on the code block again.');
      return false;
    }
    const doc = await vscode.workspace.openTextDocument(proposal.target);
    if (doc.version !== proposal.version) {
      const choice = await vscode.window.showWarningMessage(
        `Hearth: ${doc.uri.path.split('/').pop()} changed since the proposal was made. Replace it anyway?`,
        { modal: true },
        'Replace',
      );
      if (choice !== 'Replace') return false;
    }
    const edit = new vscode.WorkspaceEdit();
    edit.replace(doc.uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), proposal.content);
    const applied = await vscode.workspace.applyEdit(edit);
    if (applied) {
      this.proposals.delete(uri.toString());
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      await vscode.window.showTextDocument(doc);
    }
    return applied;
  }

  async reject(uri: vscode.Uri): Promise<void> {
    this.proposals.delete(uri.toString());
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  }

  dispose(): void {
    this.changed.dispose();
    this.proposals.clear();
  }
}
