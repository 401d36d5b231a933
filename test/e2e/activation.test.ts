// Tidemark installed from its VSIX into a real code-server, opened on the trusted sample workspace.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startSession, type Session } from './harness/session';
import { waitFor } from './harness/waitFor';
import { notifications, pageErrors, statusBarText, step } from './harness/workbench';

describe('Tidemark in code-server, trusted sample workspace', () => {
  let s: Session;
  before(async () => {
    s = await startSession('activation');
  });
  after(async () => {
    await s?.stop();
  });

  it('activates without errors in its log', async () => {
    await step(s.page, 'activation-01-activated', async () => {
      const log: string = await waitFor(() => (s.server.extensionLog().includes('Tidemark activated') ? s.server.extensionLog() : ''), {
        what: "'Tidemark activated' in the Tidemark log channel",
      });
      assert.doesNotMatch(log, /\[error\]/, `the Tidemark log has errors:\n${log}`);
      const hostErrors = s.server
        .extensionHostLog()
        .split('\n')
        .filter((l) => /\[error\]/.test(l) && /tidemark/i.test(l));
      assert.deepEqual(hostErrors, [], 'the extension host logged errors about Tidemark');
      const toasts = (await notifications(s.page)).filter((t) => /tidemark/i.test(t));
      assert.deepEqual(toasts, [], 'the workbench shows notifications about Tidemark');
      assert.deepEqual(pageErrors(s.page).filter((e) => /tidemark/i.test(e)), [], 'the workbench page threw errors about Tidemark');
    });
  });

  it('runs trusted: no Restricted Mode', async () => {
    await step(s.page, 'activation-02-trusted', async () => {
      assert.deepEqual(await statusBarText(s.page, 'status.workspaceTrust'), []);
    });
  });

  it("uses the workspace storage the harness computes for the extension's store", async () => {
    // The demo and later scenarios find the extension's store (context.storageUri) this way.
    const workspaceStorage = path.dirname(s.server.extensionStorageDir(s.workspace.dir));
    const meta = path.join(workspaceStorage, 'meta.json');
    await waitFor(() => existsSync(meta), { what: `${meta} to be written by VS Code` });
    assert.equal(JSON.parse(readFileSync(meta, 'utf8')).name, path.basename(s.workspace.dir));
  });
});
