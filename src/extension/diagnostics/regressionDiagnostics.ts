/**
 * Regressions in the Problems panel: a metric whose rules fail (Error) or warn (Warning) is
 * reported on its key in tidemark.json with the rules' explanations. A collection of its own
 * ('tidemark-regressions'), so config problems and regressions never overwrite each other.
 * Opt out with `tidemark.problems.showRegressions`.
 */
import { promises as fs } from 'node:fs';
import * as vscode from 'vscode';
import { Disposable } from '../common/disposable';
import type { FolderModelImpl } from '../folders/folderModel';
import type { FolderRegistry } from '../folders/folderRegistry';
import type { FolderStates } from '../state/folderStates';
import { metricKeyRange } from './metricKeyRange';
import { alarmOf, problemEntry } from '../views/judgement';

export const REGRESSIONS_SOURCE = 'tidemark';

export function showRegressions(model: FolderModelImpl): boolean {
  return vscode.workspace.getConfiguration('tidemark', model.folder).get<boolean>('problems.showRegressions', true);
}

export class RegressionDiagnostics extends Disposable {
  private readonly collection = this.register(vscode.languages.createDiagnosticCollection('tidemark-regressions'));
  /** Guards against an older, slower refresh overwriting a newer one. */
  private generation = 0;

  constructor(
    private readonly registry: FolderRegistry,
    private readonly states: FolderStates,
  ) {
    super();
    // The folders' state changes after every recorded run, config or settings change and HEAD move.
    this.register(states.onDidChange(() => void this.refresh()));
  }

  async refresh(): Promise<void> {
    const generation = ++this.generation;
    const entries: [vscode.Uri, vscode.Diagnostic[]][] = [];
    for (const model of this.registry.folders()) {
      const diagnostics = showRegressions(model) ? await this.folderDiagnostics(model) : [];
      entries.push([model.configUri, diagnostics]);
    }
    if (generation !== this.generation || this.isDisposed) return;
    this.collection.clear();
    this.collection.set(entries);
  }

  private async folderDiagnostics(model: FolderModelImpl): Promise<vscode.Diagnostic[]> {
    if (!model.config) return [];
    const { evaluation } = (await this.states.get(model)).evaluation;
    const alarming = evaluation?.metrics.filter((m) => alarmOf(m) !== undefined) ?? [];
    if (alarming.length === 0) return [];
    // Positions from the text the editor shows (unsaved edits included), else from the file.
    const open = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === model.configPath);
    const text = open ? open.getText() : await fs.readFile(model.configPath, 'utf8').catch(() => undefined);
    if (text === undefined) return [];
    return alarming.map((m) => {
      const found = metricKeyRange(text, m.metric);
      // A metric missing from the text (edited away since) is reported at the top of the file.
      const range = found ? new vscode.Range(found.start.line, found.start.character, found.end.line, found.end.character) : new vscode.Range(0, 0, 0, 0);
      const severity = alarmOf(m) === 'fail' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning;
      const entry = problemEntry(m);
      const d = new vscode.Diagnostic(range, entry.message, severity);
      d.source = REGRESSIONS_SOURCE;
      d.code = m.metric;
      // The baseline as a second, short row: the message stays one row wide.
      d.relatedInformation = entry.baselines.map((b) => new vscode.DiagnosticRelatedInformation(new vscode.Location(model.configUri, range), vscode.l10n.t("Judged against the {0}", b)));
      return d;
    });
  }

  override dispose(): void {
    this.generation++;
    super.dispose();
  }
}
