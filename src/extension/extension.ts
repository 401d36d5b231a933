import * as vscode from 'vscode';

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('Tidemark', { log: true });
  context.subscriptions.push(log);
  log.info('Tidemark activated');
}

export function deactivate(): void {}
