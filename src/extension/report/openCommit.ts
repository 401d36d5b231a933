/**
 * Shows a commit from the report's Changes list in VS Code: the built-in Git extension's
 * changes of that commit against its first parent, in the multi-file diff editor. Without
 * the Git extension (disabled, or the folder is not one of its repositories) the sha is
 * copied and the user is told so.
 */
import * as vscode from 'vscode';

/** The part of the built-in Git extension's API (vscode.git, API version 1) used here. */
interface GitChange {
  readonly uri: vscode.Uri;
  readonly originalUri: vscode.Uri;
}
interface GitRepository {
  getCommit(ref: string): Promise<{ hash: string; message: string; parents: string[] }>;
  diffBetween(ref1: string, ref2: string): Promise<GitChange[]>;
}
interface GitApi {
  getRepository(uri: vscode.Uri): GitRepository | null;
  toGitUri(uri: vscode.Uri, ref: string): vscode.Uri;
}
interface GitExtension {
  getAPI(version: 1): GitApi;
}

async function gitApi(): Promise<GitApi | undefined> {
  const extension = vscode.extensions.getExtension<GitExtension>('vscode.git');
  if (!extension) return undefined;
  const exports = extension.isActive ? extension.exports : await extension.activate();
  return exports?.getAPI(1);
}

export async function openCommit(folder: vscode.Uri, sha: string, log: vscode.LogOutputChannel): Promise<void> {
  try {
    const api = await gitApi();
    const repository = api?.getRepository(folder);
    if (!api || !repository) throw new Error('the Git extension has no repository for this folder');
    const commit = await repository.getCommit(sha);
    const parent = commit.parents[0];
    const subject = commit.message.split('\n')[0];
    if (!parent) {
      await vscode.env.clipboard.writeText(sha);
      void vscode.window.showInformationMessage(`${sha.slice(0, 7)} "${subject}" is the first commit; its sha was copied.`);
      return;
    }
    const changes = await repository.diffBetween(parent, commit.hash);
    const resources = changes.map((c) => [c.uri, api.toGitUri(c.originalUri, parent), api.toGitUri(c.uri, commit.hash)]);
    await vscode.commands.executeCommand('vscode.changes', `${commit.hash.slice(0, 7)} ${subject}`, resources);
  } catch (error) {
    log.warn(`report: could not show commit ${sha.slice(0, 10)}: ${(error as Error).message}`);
    await vscode.env.clipboard.writeText(sha);
    void vscode.window.showWarningMessage(`Tidemark could not show commit ${sha.slice(0, 7)} (${(error as Error).message}); its sha was copied.`);
  }
}
