// The extension's commands, run on save and config problems, driven through VS Code's API inside
// a real extension host on the sample workspace, checked in the folder's real store.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import type { StoreApi } from '../../src/core/store/api';
import type { FolderModel, TidemarkServices } from '../../src/extension/folders/services';
import { SAMPLE_CONFIG } from '../fixtures/makeSampleWorkspace';
import { waitFor } from '../e2e/harness/waitFor';

const sampleMetrics = Object.keys(SAMPLE_CONFIG.metrics).sort();

/** Processes whose command line contains `text` (pgrep -f), for checking that kills happened. */
function processesMatching(text: string): string[] {
  try {
    return execFileSync('pgrep', ['-f', text], { encoding: 'utf8' }).split('\n').filter(Boolean);
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}

describe('Tidemark commands in the extension host', function () {
  this.timeout(60_000);
  let services: TidemarkServices;
  let model: FolderModel;
  let store: StoreApi;
  let configPath: string;
  let validConfig: string;
  const target = () => ({ folder: model.folder.uri.toString() });
  const runCount = async () => (await store.stats()).builds;

  before(async () => {
    const ext = vscode.extensions.getExtension<TidemarkServices>('tidemark.tidemark');
    assert.ok(ext, 'the extension is loaded');
    services = await ext.activate();
    model = await waitFor(() => services.folders().find((f) => f.config), { what: 'the sample folder with a valid config' });
    store = await model.store();
    configPath = vscode.Uri.joinPath(model.folder.uri, 'tidemark.json').fsPath;
    validConfig = readFileSync(configPath, 'utf8');
  });

  afterEach(async () => {
    if (readFileSync(configPath, 'utf8') !== validConfig) {
      writeFileSync(configPath, validConfig);
      await waitFor(() => model.config && !model.config.metrics.slow, { what: 'the sample config to be reloaded' });
    }
  });

  it('Run All Metrics on a folder records one manual run of every metric', async () => {
    const before = await runCount();
    await vscode.commands.executeCommand('tidemark.runAll', target());
    assert.equal(await runCount(), before + 1);
    const [{ build, outcomes }] = await store.builds({ limit: 1 });
    assert.equal(build.event, 'manual');
    assert.deepEqual(outcomes.map((o) => o.metric).sort(), sampleMetrics);
    assert.deepEqual(outcomes.filter((o) => o.status !== 'ok'), []);
  });

  it('runs requested while a run is going coalesce into one follow-up run', async () => {
    const before = await runCount();
    const requests = [1, 2, 3].map(() => vscode.commands.executeCommand('tidemark.runMetric', { ...target(), metric: 'coverage' }));
    await Promise.all(requests);
    assert.equal(await runCount(), before + 2, 'one run, then one follow-up for the two requests made during it');
  });

  it('Stop kills a running command and records nothing', async () => {
    const marker = 'sleep 31.25';
    const config = JSON.parse(validConfig);
    config.metrics.slow = { type: 'numeric', command: `${marker} && echo 1` };
    writeFileSync(configPath, JSON.stringify(config, null, 2));
    await waitFor(() => model.config?.metrics.slow, { what: 'the config with the slow metric to be loaded' });
    const before = await runCount();
    const started = Date.now();
    const run = vscode.commands.executeCommand('tidemark.runMetric', { ...target(), metric: 'slow' });
    await waitFor(() => processesMatching(marker).length > 0, { what: `"${marker}" to be running` });
    await vscode.commands.executeCommand('tidemark.stop');
    await run;
    assert.ok(Date.now() - started < 20_000, 'the run ended long before its command would have');
    await waitFor(() => processesMatching(marker).length === 0, { what: `"${marker}" to be killed`, timeoutMs: 10_000 });
    assert.equal(await runCount(), before, 'a stopped run was recorded');
  });

  it('an invalid tidemark.json is reported at the exact range and nothing runs', async () => {
    const invalid = validConfig.replace('"command": "cat coverage.txt",', '"command": "cat coverage.txt",\n      "timeout": "soon",');
    writeFileSync(configPath, invalid);
    const configUri = vscode.Uri.file(configPath);
    // Diagnostics of the file's previous text, or VS Code's own JSON validation, may come first:
    // wait for Tidemark's diagnostic of this mistake.
    const [diagnostic] = await waitFor(
      () => {
        const found = vscode.languages.getDiagnostics(configUri).filter((d) => d.source === 'tidemark.json' && /^metrics\.coverage\.timeout: /.test(d.message));
        return found.length ? found : undefined;
      },
      { what: "Tidemark's diagnostic on the timeout in tidemark.json" },
    );
    const doc = await vscode.workspace.openTextDocument(configUri);
    // An editor that had the file open reloads it from disk a moment later: read the range then.
    await waitFor(() => doc.getText() === invalid, { what: 'the open tidemark.json to show the file written on disk' });
    assert.equal(doc.getText(diagnostic.range), '"soon"');
    assert.match(diagnostic.message, /^metrics\.coverage\.timeout: /);
    assert.equal(diagnostic.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(model.config, undefined);

    const before = await runCount();
    await vscode.commands.executeCommand('tidemark.runAll', target());
    assert.equal(await runCount(), before, 'a run happened with an invalid config');
  });

  it('problems follow unsaved edits of tidemark.json', async () => {
    const configUri = vscode.Uri.file(configPath);
    const doc = await vscode.workspace.openTextDocument(configUri);
    // The previous test rewrote the file on disk: edit only once the editor has reloaded it.
    await waitFor(() => doc.getText() === validConfig && !doc.isDirty, { what: 'the open tidemark.json to match the file on disk' });
    // ...and once Tidemark has dropped its diagnostic on that test's invalid file, so the one
    // awaited below is the edit's, not the stale '"timeout": "soon"'.
    const ours = () => vscode.languages.getDiagnostics(configUri).filter((d) => d.source === 'tidemark.json');
    await waitFor(() => ours().length === 0, { what: "Tidemark's diagnostic on the previous file to go" });
    const at = doc.getText().indexOf('"unit": "percent"');
    const range = new vscode.Range(doc.positionAt(at), doc.positionAt(at + '"unit": "percent"'.length));
    const broken = new vscode.WorkspaceEdit();
    broken.replace(configUri, range, '"unit": "percents"');
    assert.ok(await vscode.workspace.applyEdit(broken));
    // VS Code's own JSON-schema validation (from the contributed jsonValidation) may report the
    // same mistake first: wait for Tidemark's diagnostic, which names the path.
    const [diagnostic] = await waitFor(() => (ours().length ? ours() : undefined), {
      what: "Tidemark's diagnostic for the unsaved edit",
    });
    assert.equal(diagnostic.range.start.line, range.start.line);
    assert.match(diagnostic.message, /^metrics\.coverage\.unit: /);
    // Nothing was saved: the config in use is still the valid one.
    assert.ok(model.config?.metrics.coverage);

    const fixed = new vscode.WorkspaceEdit();
    fixed.replace(configUri, new vscode.Range(doc.positionAt(at), doc.positionAt(at + '"unit": "percents"'.length)), '"unit": "percent"');
    assert.ok(await vscode.workspace.applyEdit(fixed));
    await waitFor(() => ours().length === 0, { what: 'the diagnostic to go once the edit is undone' });
    await doc.save();
  });

  it('saving a file matched by onSave records a save run of the matching metrics only', async () => {
    const before = await runCount();
    const appUri = vscode.Uri.joinPath(model.folder.uri, 'src', 'app.js');
    const doc = await vscode.workspace.openTextDocument(appUri);
    const original = doc.getText();
    const edit = new vscode.WorkspaceEdit();
    edit.insert(appUri, doc.positionAt(original.length), 'export const savedFromTheTest = 1;\n');
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.ok(await doc.save());
    await waitFor(async () => (await runCount()) === before + 1, { what: 'a run after the save' });
    const [{ build, outcomes }] = await store.builds({ limit: 1 });
    assert.equal(build.event, 'save');
    assert.equal(build.dirty, true);
    assert.deepEqual(outcomes.map((o) => o.metric).sort(), ['bundle-size', 'lines-of-code']);

    // Put the file back; that save runs the same metrics once more.
    const revert = new vscode.WorkspaceEdit();
    revert.replace(appUri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), original);
    assert.ok(await vscode.workspace.applyEdit(revert));
    assert.ok(await doc.save());
    await waitFor(async () => (await runCount()) === before + 2, { what: 'the run after restoring the file' });
  });
});
