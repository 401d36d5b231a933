/**
 * Opens a commit in VS Code (the report's Changes list and change markers): the built-in Git
 * extension's multi-file diff of the commit against its first parent (`vscode.changes` over
 * git: URIs), else `git show` of the commit as a read-only diff document. A commit this clone
 * does not have (a teammate's, not fetched yet) gets a clear message.
 */
import { execFile } from 'node:child_process';
import * as vscode from 'vscode';
import { resolveRevision } from '../../core/git/revisions';
import { restrictedToast } from '../common/toasts';

/** git's empty tree: the "parent" of a root commit. */
const EMPTY_TREE = '4b825dc642cb6eb9a060e54bf8d69288fbee4904';
const MAX_SHOW_BYTES = 2 * 1024 * 1024;

interface GitChange {
  readonly uri: vscode.Uri;
  readonly originalUri: vscode.Uri;
  readonly status: number;
}
interface GitRepository {
  readonly rootUri: vscode.Uri;
  diffBetween(ref1: string, ref2: string): Promise<GitChange[]>;
}
interface GitApi {
  readonly repositories: GitRepository[];
  toGitUri(uri: vscode.Uri, ref: string): vscode.Uri;
  openRepository?(root: vscode.Uri): Promise<GitRepository | null>;
}

/** Git's Status enum: INDEX_ADDED 1, ADDED_BY_US 10… only "added" and "deleted" matter here. */
const ADDED = new Set([1, 9, 13]);
const DELETED = new Set([2, 6]);

async function gitApi(): Promise<GitApi | undefined> {
  const extension = vscode.extensions.getExtension<{ getAPI(version: 1): GitApi; enabled?: boolean }>('vscode.git');
  if (!extension) return undefined;
  const exports = extension.isActive ? extension.exports : await extension.activate();
  return exports?.enabled === false ? undefined : exports?.getAPI(1);
}

function run(cwd: string, args: string[]): Promise<string | undefined> {
  return new Promise((resolve) =>
    execFile('git', args, { cwd, maxBuffer: MAX_SHOW_BYTES * 2, windowsHide: true, env: { ...process.env, GIT_TERMINAL_PROMPT: '0' } }, (error, stdout) =>
      resolve(error ? undefined : String(stdout)),
    ),
  );
}

export async function openCommit(cwd: string, commitSha: string, log: vscode.LogOutputChannel): Promise<void> {
  if (!vscode.workspace.isTrusted) {
    restrictedToast(vscode.l10n.t('Restricted Mode: Tidemark runs no git.'));
    return;
  }
  if (!/^[0-9a-f]{7,64}$/i.test(commitSha)) throw new Error(vscode.l10n.t('"{0}" is not a commit sha', commitSha.slice(0, 80)));
  const sha = await resolveRevision(cwd, commitSha);
  if (!sha) {
    void vscode.window.showWarningMessage(vscode.l10n.t('Commit {0} is not in this clone: fetch it first.', commitSha.slice(0, 12)));
    return;
  }
  const parentSha = (await resolveRevision(cwd, `${sha}^1`)) ?? EMPTY_TREE;
  const subject = ((await run(cwd, ['log', '-1', '--format=%s', '--end-of-options', sha])) ?? '').trim();
  const title = `${sha.slice(0, 7)}${subject ? ` ${subject.slice(0, 80)}` : ''}`;
  try {
    const api = await gitApi();
    const root = (await run(cwd, ['rev-parse', '--show-toplevel']))?.trim();
    const repository = api && root ? (api.repositories.find((r) => r.rootUri.fsPath === root) ?? (await api.openRepository?.(vscode.Uri.file(root)))) : undefined;
    if (api && repository) {
      const changes = await repository.diffBetween(parentSha, sha);
      if (changes.length) {
        const resources = changes.map((c) => [
          c.uri,
          ADDED.has(c.status) ? undefined : api.toGitUri(c.originalUri, parentSha),
          DELETED.has(c.status) ? undefined : api.toGitUri(c.uri, sha),
        ]);
        await vscode.commands.executeCommand('vscode.changes', `Tidemark: ${title}`, resources);
        return;
      }
    }
  } catch (error) {
    log.warn(`opening ${sha.slice(0, 7)} with the Git extension failed, showing git show instead: ${String(error)}`);
  }
  const text = await run(cwd, ['show', '--stat', '--patch', '--format=fuller', '--end-of-options', sha]);
  if (text === undefined) throw new Error(vscode.l10n.t('git show {0} failed', sha.slice(0, 12)));
  const document = await vscode.workspace.openTextDocument({ language: 'diff', content: text.length > MAX_SHOW_BYTES ? `${text.slice(0, MAX_SHOW_BYTES)}\n… (cut at 2 MiB)\n` : text });
  await vscode.window.showTextDocument(document, { preview: true });
}
