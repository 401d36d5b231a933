/**
 * Toasts with their action in a button, as VS Code's own do: a toast holds one line of about 60
 * characters (test/e2e/toasts.test.ts measures it), so the message says what is wrong and the
 * button does the fix instead of a sentence explaining it.
 *
 *   restrictedToast(vscode.l10n.t('Restricted Mode: trust the workspace to open commits.'))
 *   configProblemsToast(vscode.l10n.t("Fix the problems in {0}'s tidemark.json first.", name))
 */
import * as vscode from 'vscode';

/** A refusal in Restricted Mode, with VS Code's "Manage Workspace Trust". */
export function restrictedToast(message: string): void {
  const manage = vscode.l10n.t('Manage Workspace Trust');
  void vscode.window.showInformationMessage(message, manage).then((choice) => {
    if (choice === manage) void vscode.commands.executeCommand('workbench.trust.manage');
  });
}

/** tidemark.json has problems: "Show Problems" opens the Problems panel that lists them. */
export function configProblemsToast(message: string): void {
  const show = vscode.l10n.t('Show Problems');
  void vscode.window.showErrorMessage(message, show).then((choice) => {
    if (choice === show) void vscode.commands.executeCommand('workbench.actions.view.problems');
  });
}
