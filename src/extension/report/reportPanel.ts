/**
 * Report panel host (owned by the report work; stub until it lands).
 * Registers the `tidemark.openReport` and `tidemark.exportReportHtml` command handlers and the
 * webview panel serializer for `tidemark.report`.
 */
import * as vscode from 'vscode';
import type { TidemarkServices } from '../services';

export function registerReportPanel(_context: vscode.ExtensionContext, _services: TidemarkServices): vscode.Disposable {
  return new vscode.Disposable(() => {});
}
