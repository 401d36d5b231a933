// Runs inside a real extension host (code-server or desktop VS Code) opened on the sample workspace.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';

const extensionId = 'tidemark.tidemark';

function tidemark(): vscode.Extension<unknown> {
  const ext = vscode.extensions.getExtension(extensionId);
  assert.ok(ext, `${extensionId} is not loaded in this extension host`);
  return ext;
}

describe('Tidemark in the extension host', () => {
  // Activation on workspaceContains may still be under way when the suite starts.
  before(async () => {
    await tidemark().activate();
  });

  it('opened the sample workspace, which contains tidemark.json', async () => {
    const found = await vscode.workspace.findFiles('tidemark.json');
    assert.equal(found.length, 1);
  });

  it('is active', () => {
    assert.equal(tidemark().isActive, true);
  });

  it('registers every command contributed in package.json', async () => {
    const contributed: Array<{ command: string }> = tidemark().packageJSON.contributes?.commands ?? [];
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepEqual(
      contributed.map((c) => c.command).filter((c) => !registered.has(c)),
      [],
      'contributed commands without a handler',
    );
  });

  it('registers no tidemark command that package.json does not contribute (internal ones and view commands aside)', async () => {
    const contributes = tidemark().packageJSON.contributes ?? {};
    const contributed = new Set<string>((contributes.commands ?? []).map((c: { command: string }) => c.command));
    const viewIds: string[] = Object.values<Array<{ id: string }>>(contributes.views ?? {}).flatMap((views) => views.map((v) => v.id));
    const extra = (await vscode.commands.getCommands(true)).filter(
      (c) => c.startsWith('tidemark.') && !contributed.has(c) && !c.startsWith('tidemark.internal.') && !viewIds.some((v) => c.startsWith(`${v}.`)),
    );
    assert.deepEqual(extra, [], 'registered but not contributed');
  });
});
