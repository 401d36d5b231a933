/**
 * "Tidemark: Toggle Coverage Gutter": marks the lines that a coverage metric's recorded report
 * leaves uncovered in every visible editor of that folder (a gutter mark, a line background
 * and an overview ruler mark in the contributed theme colours). Off by default; toggled from
 * the command palette, a coverage metric in the Metrics tree, or its status bar item. Redrawn
 * when the active editor changes, a run is recorded or the config changes.
 */
import path from 'node:path';
import * as vscode from 'vscode';
import { COMMANDS } from '../commands/ids';
import { Disposable } from '../common/disposable';
import { plural } from '../../shared/l10n';
import type { FolderModelImpl } from '../folders/folderModel';
import type { FolderRegistry } from '../folders/folderRegistry';
import { CoverageModel, linesOfFile } from './coverageModel';

/** What tree nodes pass. */
type NodeArg = { folder?: string; metric?: string } | undefined;

export const UNCOVERED_BACKGROUND = 'tidemark.coverage.uncoveredBackground';
export const UNCOVERED_RULER = 'tidemark.coverage.uncoveredRuler';
/** Set while the gutter is on (menus show the toggle's state). */
const ENABLED_KEY = 'tidemark.coverageGutterOn';

export class CoverageGutter extends Disposable {
  private readonly model = new CoverageModel();
  private readonly decoration: vscode.TextEditorDecorationType;
  private readonly item = this.register(vscode.window.createStatusBarItem('tidemark.coverage', vscode.StatusBarAlignment.Left, 49));
  /** Guards against an older, slower redraw overwriting a newer one. */
  private generation = 0;

  constructor(
    private readonly registry: FolderRegistry,
    extensionUri: vscode.Uri,
  ) {
    super();
    this.decoration = this.register(
      vscode.window.createTextEditorDecorationType({
        isWholeLine: true,
        backgroundColor: new vscode.ThemeColor(UNCOVERED_BACKGROUND),
        overviewRulerColor: new vscode.ThemeColor(UNCOVERED_RULER),
        overviewRulerLane: vscode.OverviewRulerLane.Left,
        gutterIconPath: vscode.Uri.joinPath(extensionUri, 'media', 'coverage-uncovered.svg'),
        gutterIconSize: 'contain',
      }),
    );
    this.item.name = 'Tidemark Coverage';
    this.item.command = COMMANDS.toggleCoverageGutter;
    this.register(vscode.commands.registerCommand(COMMANDS.toggleCoverageGutter, (arg?: NodeArg) => this.toggle(arg)));
    this.register(vscode.window.onDidChangeActiveTextEditor(() => void this.redraw()));
    this.register(vscode.window.onDidChangeVisibleTextEditors(() => void this.redraw()));
    this.register(
      registry.onDidRecordBuild((e) => {
        this.model.invalidate(e.folder.uri.toString());
        void this.redraw();
      }),
    );
    this.register(
      registry.onDidChangeFolders(() => {
        this.model.invalidate();
        void this.redraw();
      }),
    );
    void vscode.commands.executeCommand('setContext', ENABLED_KEY, false);
    void this.redraw();
  }

  /** Turns the gutter on or off; from a tree node, shows that metric's report (switching to it turns it on). */
  async toggle(arg?: NodeArg): Promise<void> {
    const model = this.registry.folderByUri(arg?.folder);
    if (model && arg?.metric) {
      const metric = model.config?.metrics[arg.metric];
      if (!metric) return;
      const current = this.model.metricOf(model.folder.uri.toString(), model.config);
      this.model.choose(model.folder.uri.toString(), arg.metric);
      this.model.enabled = current === arg.metric ? !this.model.enabled : true;
    } else {
      this.model.enabled = !this.model.enabled;
    }
    await vscode.commands.executeCommand('setContext', ENABLED_KEY, this.model.enabled);
    this.registry.log.info(`Coverage gutter ${this.model.enabled ? 'on' : 'off'}`);
    await this.redraw();
  }

  private folderOf(uri: vscode.Uri): FolderModelImpl | undefined {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    return folder ? this.registry.folderByUri(folder.uri.toString()) : undefined;
  }

  /** Decorates every visible file editor and updates the status bar item for the active one. */
  async redraw(): Promise<void> {
    const generation = ++this.generation;
    const editors = vscode.window.visibleTextEditors.filter((e) => e.document.uri.scheme === 'file');
    const drawn = await Promise.all(editors.map(async (editor) => [editor, await this.uncoveredRanges(editor)] as const));
    if (generation !== this.generation || this.isDisposed) return;
    for (const [editor, ranges] of drawn) editor.setDecorations(this.decoration, ranges ?? []);
    await this.updateItem(generation, drawn.find(([e]) => e === vscode.window.activeTextEditor)?.[1]);
  }

  private async uncoveredRanges(editor: vscode.TextEditor): Promise<vscode.DecorationOptions[] | undefined> {
    if (!this.model.enabled) return undefined;
    const folder = this.folderOf(editor.document.uri);
    const read = folder && this.model.lines(folder.folder.uri.toString(), folder.cwd, folder.config);
    const lines = read && (await read);
    if (!lines || lines.kind !== 'lines') return undefined;
    const file = await linesOfFile(lines.files, editor.document.uri.fsPath);
    if (!file) return undefined;
    const hover = new vscode.MarkdownString(vscode.l10n.t('Not covered in the report of the metric {0}', `**${lines.metric}**`));
    const last = editor.document.lineCount;
    return file.uncovered
      .filter((n) => n >= 1 && n <= last)
      .map((n) => ({ range: new vscode.Range(n - 1, 0, n - 1, 0), hoverMessage: hover }));
  }

  private async updateItem(generation: number, ranges: vscode.DecorationOptions[] | undefined): Promise<void> {
    const editor = vscode.window.activeTextEditor;
    const folder = editor && this.folderOf(editor.document.uri);
    const uri = folder?.folder.uri.toString();
    const metric = uri && this.model.metricOf(uri, folder?.config);
    if (!folder || !uri || !metric) {
      this.item.hide();
      return;
    }
    if (!this.model.enabled) {
      this.item.text = `$(coverage) ${vscode.l10n.t('Coverage')}`;
      this.item.tooltip = vscode.l10n.t('Show the lines that the report of "{0}" leaves uncovered', metric);
      this.item.accessibilityInformation = { label: vscode.l10n.t('Coverage gutter off. Activate to show uncovered lines.') };
      this.item.show();
      return;
    }
    const lines = await this.model.lines(uri, folder.cwd, folder.config);
    if (generation !== this.generation || this.isDisposed) return;
    let text: string;
    let tooltip: string;
    if (!lines || lines.kind === 'error') {
      text = `$(coverage) ${vscode.l10n.t('Coverage: no report')}`;
      tooltip = vscode.l10n.t('Cannot read the coverage report of "{0}": {1}', metric, lines?.message ?? vscode.l10n.t('no report'));
      this.registry.log.warn(`Coverage gutter: ${tooltip}`);
    } else if (!ranges) {
      text = `$(coverage) ${vscode.l10n.t('Coverage: file not in report')}`;
      tooltip = vscode.l10n.t('The report of "{0}" has no lines for {1}', metric, path.basename(editor.document.uri.fsPath));
    } else {
      const n = ranges.length;
      const file = path.basename(editor.document.uri.fsPath);
      text = `$(coverage) ${plural(n, vscode.l10n.t('{0} uncovered line', n), vscode.l10n.t('{0} uncovered lines', n))}`;
      tooltip = plural(
        n,
        vscode.l10n.t('{0} line of {1} not covered in the report of "{2}". Activate to hide.', n, file, metric),
        vscode.l10n.t('{0} lines of {1} not covered in the report of "{2}". Activate to hide.', n, file, metric),
      );
    }
    this.item.text = text;
    this.item.tooltip = tooltip;
    this.item.accessibilityInformation = { label: vscode.l10n.t('Coverage gutter on. {0}', tooltip) };
    this.item.show();
  }
}
