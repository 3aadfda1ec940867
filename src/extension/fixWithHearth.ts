// "Fix with Hearth" in the lightbulb of errors and warnings, in any language. The action only names
// the problems; `hearth.fix` finds the code around them and sends it when the user picks it, so the
// lightbulb stays cheap (it is asked on every cursor move).
import * as vscode from 'vscode';
import { z } from 'zod';

/** The argument the code action passes to `hearth.fix`: plain data, checked again when the command runs. */
export const FixRequestSchema = z.object({
  uri: z.string().min(1),
  problems: z
    .array(
      z.object({
        message: z.string(),
        severity: z.enum(['error', 'warning']),
        /** 0-based, as in the document. */
        startLine: z.number().int().nonnegative(),
        endLine: z.number().int().nonnegative(),
        source: z.string().optional(),
      }),
    )
    .min(1),
});
export type FixRequest = z.infer<typeof FixRequestSchema>;

export const fixWithHearthTitle = 'Fix with Hearth';

export class FixWithHearthProvider implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] };

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    if (context.only && !context.only.contains(vscode.CodeActionKind.QuickFix)) return [];
    const problems = context.diagnostics.filter((d) => d.severity <= vscode.DiagnosticSeverity.Warning);
    if (problems.length === 0) return [];
    const request: FixRequest = {
      uri: document.uri.toString(),
      problems: problems.map((d) => ({
        message: d.message,
        severity: d.severity === vscode.DiagnosticSeverity.Error ? 'error' : 'warning',
        startLine: d.range.start.line,
        endLine: d.range.end.line,
        ...(d.source ? { source: d.source } : {}),
      })),
    };
    const action = new vscode.CodeAction(fixWithHearthTitle, vscode.CodeActionKind.QuickFix);
    action.diagnostics = problems;
    action.command = { command: 'hearth.fix', title: fixWithHearthTitle, arguments: [request] };
    return [action];
  }
}

export function registerFixWithHearth(): vscode.Disposable {
  return vscode.languages.registerCodeActionsProvider('*', new FixWithHearthProvider(), FixWithHearthProvider.metadata);
}
