/**
 * tidemark.json problems in the Problems panel, at their exact ranges: from the file on disk,
 * or from the live text while the file is open and being edited.
 */
import os from 'node:os';
import * as vscode from 'vscode';
import { CONFIG_FILE_NAME, parseConfig } from '../../core/config';
import type { ConfigProblem } from '../../core/types';
import { Disposable } from '../common/disposable';
import type { FolderRegistry } from '../folders/folderRegistry';

const LIVE_PARSE_DELAY_MS = 300;

export class ConfigDiagnostics extends Disposable {
  private readonly collection = this.register(vscode.languages.createDiagnosticCollection('tidemark'));
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(private readonly registry: FolderRegistry) {
    super();
    this.register(registry.onDidChangeFolders(() => this.refreshAll()));
    this.register(vscode.workspace.onDidChangeTextDocument((e) => this.edited(e.document)));
    this.register(vscode.workspace.onDidCloseTextDocument(() => this.refreshAll()));
  }

  private edited(doc: vscode.TextDocument): void {
    if (!this.registry.isConfigFile(doc.uri)) return;
    const key = doc.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        this.showLive(doc);
      }, LIVE_PARSE_DELAY_MS),
    );
  }

  private showLive(doc: vscode.TextDocument): void {
    if (doc.isClosed) return;
    const result = parseConfig(doc.getText(), { availableCores: os.availableParallelism() });
    const problems = result.ok ? [] : result.problems;
    this.collection.set(
      doc.uri,
      problems.map((p) => toDiagnostic(p, new vscode.Range(doc.positionAt(p.offset), doc.positionAt(p.offset + p.length)))),
    );
  }

  private refreshAll(): void {
    this.collection.clear();
    for (const model of this.registry.allFolders()) {
      const open = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === model.configPath);
      if (open?.isDirty) {
        this.showLive(open);
        continue;
      }
      if (model.problems.length === 0) continue;
      this.collection.set(
        model.configUri,
        model.problems.map((p) => toDiagnostic(p, new vscode.Range(p.line - 1, p.column - 1, p.endLine - 1, p.endColumn - 1))),
      );
    }
  }

  override dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    super.dispose();
  }
}

function toDiagnostic(problem: ConfigProblem, range: vscode.Range): vscode.Diagnostic {
  const where = problem.path === '' ? '' : `${problem.path}: `;
  const d = new vscode.Diagnostic(range, `${where}${problem.message}`, vscode.DiagnosticSeverity.Error);
  d.source = CONFIG_FILE_NAME;
  return d;
}
