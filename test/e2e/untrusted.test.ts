// Tidemark in a workspace the user does not trust: VS Code's Restricted Mode. Tidemark runs the
// shell commands of tidemark.json, so here it must run nothing, whatever the user does.
// Every contributed command is run from the palette, and the step waits for what that command
// shows (a notification, an editor, the report, its quick pick, which is escaped unchosen)
// before the next one: so each command provably ran, and none is still pending when the
// checks run or when the next palette opens. A new command needs its entry in `restricted`.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { contributedCommands, startSession, type Session } from './harness/session';
import { waitFor } from './harness/waitFor';
import {
  clickDialogButton,
  closeDialogs,
  dismissQuickInput,
  notifications,
  openQuickInput,
  runCommand,
  saveFile,
  screenshot,
  statusBarText,
  step,
  webviewFrame,
} from './harness/workbench';

/** A log line that says metrics were run (lines about trust explain a refusal, so they are fine). */
const runLine = (line: string) => /\b(run|runs|running|ran|collect|collected|collecting)\b/i.test(line) && !/trust/i.test(line);

function storesUnder(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir, { recursive: true }).map(String).filter((f) => f.endsWith('.db')) : [];
}

/** Every file of the workspace outside .git with its text, to see that nothing was written. */
function workspaceFiles(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const rel = path.relative(dir, path.join(entry.parentPath, entry.name));
    if (entry.isFile() && rel.split(path.sep)[0] !== '.git') files[rel] = readFileSync(path.join(dir, rel), 'utf8');
  }
  return files;
}

/** What a user sees once a command has done its work in Restricted Mode, in a folder without history. */
type Outcome =
  | { disabled: string }
  | { notification: string }
  | { quickInput: string }
  | { editor: string }
  | { logShown: true }
  | { report: string };

const restricted = (folderName: string): Record<string, Outcome> => ({
  'tidemark.runAll': { disabled: 'enablement isWorkspaceTrusted' },
  'tidemark.runMetric': { disabled: 'enablement isWorkspaceTrusted' },
  'tidemark.measureBaseline': { disabled: 'enablement isWorkspaceTrusted' },
  'tidemark.stop': { disabled: 'enablement tidemark.running: nothing runs' },
  'tidemark.compareBranches': { notification: `No runs are recorded for ${folderName} yet.` },
  'tidemark.selectStatusBarMetric': { quickInput: 'Show which metric in the status bar?' },
  'tidemark.createConfig': { notification: `${folderName} already has a tidemark.json.` },
  'tidemark.openConfig': { editor: 'tidemark.json' },
  'tidemark.showLog': { logShown: true },
  'tidemark.manageTrust': { editor: 'Workspace Trust' },
  'tidemark.clearHistory': { notification: `${folderName} has no recorded runs.` },
  'tidemark.exportHistory': { notification: `No runs are recorded for ${folderName} yet.` },
  'tidemark.openReport': { report: `${folderName} has no recorded history yet` },
  'tidemark.exportReportHtml': { quickInput: 'Export Tidemark Report as HTML' },
  // Team history and the past run git (and, for Measure History, the metrics): trusted only.
  'tidemark.pullTeamHistory': { disabled: 'enablement isWorkspaceTrusted' },
  'tidemark.publishRuns': { disabled: 'enablement isWorkspaceTrusted' },
  'tidemark.measureHistory': { disabled: 'enablement isWorkspaceTrusted' },
  // The gutter reads the coverage report a metric names in tidemark.json: with the rest, once trusted.
  'tidemark.toggleCoverageGutter': { disabled: 'enablement isWorkspaceTrusted' },
});

const reportNotice = '.empty[role="status"]';

/** Whether the outcome is on screen now (checked before the command too, so it is the command's doing). */
async function seen(page: Page, outcome: Exclude<Outcome, { disabled: string }>): Promise<boolean> {
  if ('notification' in outcome) return (await notifications(page)).includes(outcome.notification);
  if ('quickInput' in outcome) {
    const shown = await openQuickInput(page);
    return !!shown && (shown.title === outcome.quickInput || shown.placeholder === outcome.quickInput);
  }
  if ('editor' in outcome) return page.locator(`.tabs-container .tab.active[aria-label^="${outcome.editor}"]`).isVisible();
  if ('logShown' in outcome) {
    const text = await page.locator('.part.panel .view-lines').allTextContents();
    return text.join('\n').replace(/\u00a0/g, ' ').includes('Tidemark activated');
  }
  for (const frame of page.frames()) {
    const notice = await frame.$(reportNotice).catch(() => null);
    if (notice && ((await notice.textContent()) ?? '').includes(outcome.report)) return true;
  }
  return false;
}

/** Back to a plain workbench: no quick input, dialog, editor or notification left by the last command. */
async function clearScreen(page: Page): Promise<void> {
  await dismissQuickInput(page);
  await closeDialogs(page);
  await runCommand(page, 'View: Close All Editors');
  await runCommand(page, 'Notifications: Clear All Notifications');
  await waitFor(async () => (await notifications(page)).length === 0, { what: 'the notifications to be cleared' });
}

describe('Tidemark in a workspace that is not trusted', () => {
  let s: Session;
  before(async () => {
    s = await startSession('untrusted', { trusted: false });
  });
  after(async () => {
    await s?.stop();
  });

  it('opens in Restricted Mode when the user does not trust the authors', async () => {
    await step(s.page, 'untrusted-01-trust-prompt', async () => {
      await waitFor(() => s.page.locator('.monaco-dialog-box').isVisible(), { what: 'the workspace trust prompt' });
    });
    await step(s.page, 'untrusted-02-restricted-mode', async () => {
      await clickDialogButton(s.page, "No, I don't trust the authors");
      await waitFor(async () => (await statusBarText(s.page, 'status.workspaceTrust')).some((t) => t.includes('Restricted Mode')), {
        what: 'Restricted Mode in the status bar',
      });
    });
  });

  it('runs nothing and writes nothing: not on activation, save or any Tidemark command', async () => {
    await step(s.page, 'untrusted-03-nothing-ran', async () => {
      await waitFor(() => s.server.extensionLog().includes('Tidemark activated'), { what: "'Tidemark activated' in the Tidemark log channel" });
      await saveFile(s.page, 'src/app.js', 'export const edited = true;\n');
      const filesAfterSave = workspaceFiles(s.workspace.dir);
      const outcomes = restricted(path.basename(s.workspace.dir));
      for (const c of contributedCommands()) {
        const outcome = outcomes[c.command];
        assert.ok(outcome, `${c.command} is not covered: add to 'restricted' what a user sees after it in Restricted Mode`);
        await clearScreen(s.page);
        if ('disabled' in outcome) {
          assert.equal(await runCommand(s.page, c.paletteTitle, { ifPresent: true }), false, `"${c.paletteTitle}" is offered in Restricted Mode (${outcome.disabled})`);
          continue;
        }
        assert.equal(await seen(s.page, outcome), false, `before "${c.paletteTitle}" its outcome is already on screen: ${JSON.stringify(outcome)}`);
        await runCommand(s.page, c.paletteTitle);
        await waitFor(() => seen(s.page, outcome), { what: `what "${c.paletteTitle}" shows: ${JSON.stringify(outcome)}` }).catch(async (err: Error) => {
          throw new Error(`${err.message}; quick input: ${JSON.stringify(await openQuickInput(s.page))}, notifications: ${JSON.stringify(await notifications(s.page))}`);
        });
        await screenshot(s.page, `untrusted-03-${c.command.replace(/^tidemark\./, '')}`);
        if ('quickInput' in outcome) await dismissQuickInput(s.page);
        if ('report' in outcome) {
          // The panel answered: viewing the untrusted folder's (absent) history created no store.
          assert.match((await (await webviewFrame(s.page, reportNotice)).textContent(reportNotice)) ?? '', /not available/i);
          assert.deepEqual(storesUnder(s.server.extensionStorageDir(s.workspace.dir)), [], 'opening the report made a store');
        }
      }
      await clearScreen(s.page);
      assert.equal(existsSync(path.join(s.workspace.dir, '.tidemark')), false, 'a .tidemark store was made in the workspace');
      assert.deepEqual(storesUnder(s.server.extensionStorageDir(s.workspace.dir)), [], "a store was made in the extension's storage");
      const filesNow = workspaceFiles(s.workspace.dir);
      const written = [...new Set([...Object.keys(filesAfterSave), ...Object.keys(filesNow)])].filter((f) => filesNow[f] !== filesAfterSave[f]);
      assert.deepEqual(written, [], 'commands created, changed or deleted these workspace files');
      const log = s.server.extensionLog();
      assert.deepEqual(log.split('\n').filter(runLine), [], `the Tidemark log reports a run:\n${log}`);
    });
  });
});
