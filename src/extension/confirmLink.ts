// The host-side prompt for a link that is not plain https to a public host: the whole URL, why
// it is shown, and Open / Copy (a modal, so a link cannot be opened by a stray keypress).
import * as vscode from 'vscode';

export async function confirmLink(url: string, reason: string): Promise<'open' | 'copy' | undefined> {
  const choice = await vscode.window.showWarningMessage(
    'Open this link from the answer?',
    { modal: true, detail: `${url}\n\n${reason}. Open it only if you expected it.` },
    'Open',
    'Copy',
  );
  return choice === 'Open' ? 'open' : choice === 'Copy' ? 'copy' : undefined;
}
