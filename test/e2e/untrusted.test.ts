// Tidemark in a workspace the user does not trust: VS Code's Restricted Mode. Tidemark runs the
// shell commands of tidemark.json, so here it must run nothing, whatever the user does.
// To extend: add user actions in 'runs nothing ...' before the checks; once the extension
// reports a refused run (log line or notification), wait for that first so the checks cannot
// pass merely because the run had not started yet.
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { contributedCommands, startSession, type Session } from './harness/session';
import { waitFor } from './harness/waitFor';
import { clickDialogButton, runCommand, saveFile, statusBarText, step } from './harness/workbench';

/** A log line that says metrics were run (lines about trust explain a refusal, so they are fine). */
const runLine = (line: string) => /\b(run|runs|running|ran|collect|collected|collecting)\b/i.test(line) && !/trust/i.test(line);

function storesUnder(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir, { recursive: true }).map(String).filter((f) => f.endsWith('.db')) : [];
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

  it('runs nothing: not on activation, save or any Tidemark command', async () => {
    await step(s.page, 'untrusted-03-nothing-ran', async () => {
      await waitFor(() => s.server.extensionLog().includes('Tidemark activated'), { what: "'Tidemark activated' in the Tidemark log channel" });
      await saveFile(s.page, 'src/app.js', 'export const edited = true;\n');
      for (const c of contributedCommands()) {
        if (await runCommand(s.page, c.paletteTitle, { ifPresent: true })) await s.page.keyboard.press('Escape');
      }
      assert.equal(existsSync(path.join(s.workspace.dir, '.tidemark')), false, 'a .tidemark store was made in the workspace');
      assert.deepEqual(storesUnder(s.server.extensionStorageDir(s.workspace.dir)), [], "a store was made in the extension's storage");
      const log = s.server.extensionLog();
      assert.deepEqual(log.split('\n').filter(runLine), [], `the Tidemark log reports a run:\n${log}`);
    });
  });
});
