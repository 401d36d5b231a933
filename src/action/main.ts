/**
 * The GitHub Action's entry point (bundled as dist/action.js, run by action.yml with node20).
 * It drives the `tidemark` CLI beside it as child processes, exactly as a workflow would:
 *  - push to the default branch: collect (event ci), publish --push (notes to origin);
 *  - pull request: fetch what it needs (base branch, unshallow), pull notes, collect, check
 *    --markdown, job summary, outputs, and ONE PR comment (a hidden marker) updated in place
 *    by later runs through the REST API with GITHUB_TOKEN;
 *  - any other event: collect and check.
 * Exit code follows `check` (0 ok, 1 a "fail" rule broken), or 0 with warn-only.
 */
import { spawn } from 'node:child_process';
import { appendFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';

export const COMMENT_MARKER = '<!-- tidemark-report -->';

interface Step {
  code: number;
  stdout: string;
  stderr: string;
}

function input(name: string, fallback = ''): string {
  // The runner passes inputs as INPUT_<NAME> (upper case, spaces as _; hyphens kept).
  const value = process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`];
  return value === undefined || value.trim() === '' ? fallback : value.trim();
}

function run(command: string, args: string[], cwd: string, echo = true): Promise<Step> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, CI: 'true', GIT_TERMINAL_PROMPT: '0' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => {
      stdout += String(b);
      if (echo) process.stdout.write(b);
    });
    child.stderr.on('data', (b: Buffer) => {
      stderr += String(b);
      process.stderr.write(b);
    });
    child.on('error', (err) => resolve({ code: 127, stdout, stderr: err.message }));
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

const cli = path.join(__dirname, 'cli.js');
const tidemark = (args: string[], cwd: string, echo = true) => run(process.execPath, [cli, ...args], cwd, echo);
const git = (args: string[], cwd: string) => run('git', args, cwd, false);

function setOutput(name: string, value: string): void {
  const file = process.env.GITHUB_OUTPUT;
  if (!file) return;
  if (value.includes('\n')) {
    const delimiter = `tidemark_${randomUUID()}`;
    appendFileSync(file, `${name}<<${delimiter}\n${value}\n${delimiter}\n`);
  } else {
    appendFileSync(file, `${name}=${value}\n`);
  }
}

function notice(kind: 'warning' | 'error' | 'notice', message: string): void {
  process.stdout.write(`::${kind}::${message.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')}\n`);
}

async function api(method: string, url: string, token: string, body?: unknown): Promise<unknown> {
  const response = await fetch(url, {
    method,
    headers: {
      accept: 'application/vnd.github+json',
      authorization: `Bearer ${token}`,
      'x-github-api-version': '2022-11-28',
      'user-agent': 'tidemark-action',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${new URL(url).pathname}: HTTP ${response.status} ${(await response.text()).slice(0, 200)}`);
  return response.status === 204 ? null : response.json();
}

/** Creates the PR comment, or updates the one carrying the marker: never a second one. */
export async function upsertComment(apiUrl: string, repository: string, issue: number, token: string, markdown: string): Promise<'created' | 'updated'> {
  const body = `${COMMENT_MARKER}\n${markdown}`;
  const base = `${apiUrl.replace(/\/$/, '')}/repos/${repository}`;
  for (let page = 1; page <= 50; page++) {
    const comments = (await api('GET', `${base}/issues/${issue}/comments?per_page=100&page=${page}`, token)) as { id: number; body?: string }[];
    const ours = comments.find((c) => typeof c.body === 'string' && c.body.includes(COMMENT_MARKER));
    if (ours) {
      await api('PATCH', `${base}/issues/comments/${ours.id}`, token, { body });
      return 'updated';
    }
    if (comments.length < 100) break;
  }
  await api('POST', `${base}/issues/${issue}/comments`, token, { body });
  return 'created';
}

interface CheckJson {
  status?: string;
  rules?: { metric: string; status: string; severity: string }[];
}

async function ensureHistory(cwd: string, baseRef: string | undefined, remote: string): Promise<void> {
  const shallow = await git(['rev-parse', '--is-shallow-repository'], cwd);
  if (shallow.stdout.trim() === 'true') await git(['fetch', '--quiet', '--no-tags', '--unshallow', remote], cwd);
  if (baseRef) await git(['fetch', '--quiet', '--no-tags', remote, `+refs/heads/${baseRef}:refs/remotes/${remote}/${baseRef}`], cwd);
}

async function main(): Promise<number> {
  const workspace = process.env.GITHUB_WORKSPACE ?? process.cwd();
  const cwd = path.resolve(workspace, input('working-directory', '.'));
  const warnOnly = /^(true|1|yes)$/i.test(input('warn-only', 'false'));
  const remote = input('remote', 'origin');
  const token = input('token', process.env.GITHUB_TOKEN ?? '');
  const eventName = process.env.GITHUB_EVENT_NAME ?? '';
  const eventPath = process.env.GITHUB_EVENT_PATH;
  const event = (eventPath ? JSON.parse(readFileSync(eventPath, 'utf8')) : {}) as {
    pull_request?: { number: number; base?: { ref?: string } };
    repository?: { default_branch?: string; full_name?: string };
  };
  const defaultBranch = event.repository?.default_branch;
  const isPullRequest = eventName.startsWith('pull_request') && event.pull_request !== undefined;

  if (!isPullRequest && defaultBranch && process.env.GITHUB_REF === `refs/heads/${defaultBranch}`) {
    // Main line: record and share. Pull first so this job's store has the team's history too.
    await ensureHistory(cwd, undefined, remote);
    const collected = await tidemark(['collect', '--event', 'ci'], cwd);
    if (collected.code !== 0) return collected.code;
    const published = await tidemark(['publish', '--push', '--remote', remote], cwd);
    setOutput('status', published.code === 0 ? 'published' : 'sharing-failed');
    if (published.code !== 0) {
      notice('error', `tidemark publish failed: ${published.stderr.trim().split('\n')[0] ?? ''}`);
      return warnOnly ? 0 : published.code;
    }
    return 0;
  }

  const baseRef = event.pull_request?.base?.ref;
  await ensureHistory(cwd, baseRef, remote);
  const pulled = await tidemark(['pull', '--remote', remote], cwd);
  if (pulled.code !== 0) notice('warning', `no shared history: ${pulled.stderr.trim().split('\n')[0] ?? ''}`);
  const collected = await tidemark(['collect', '--event', 'ci'], cwd);
  if (collected.code !== 0) return collected.code;
  const markdownRun = await tidemark(['check', '--markdown'], cwd, false);
  const jsonRun = await tidemark(['check', '--json'], cwd, false);
  const markdown = markdownRun.stdout.trim() || `Tidemark could not check this run:\n\n\`\`\`\n${markdownRun.stderr.trim()}\n\`\`\``;
  let report: CheckJson = {};
  try {
    report = JSON.parse(jsonRun.stdout) as CheckJson;
  } catch {
    // check failed before judging (config or no run): the markdown says why.
  }
  const failing = [...new Set((report.rules ?? []).filter((r) => r.status === 'fail').map((r) => r.metric))];
  process.stdout.write(`${markdown}\n`);
  if (process.env.GITHUB_STEP_SUMMARY) appendFileSync(process.env.GITHUB_STEP_SUMMARY, `${markdown}\n`);
  setOutput('status', report.status ?? 'error');
  setOutput('failing', failing.join(','));
  setOutput('markdown', markdown);

  if (isPullRequest && /^(true|1|yes)$/i.test(input('comment', 'true'))) {
    const repository = process.env.GITHUB_REPOSITORY ?? event.repository?.full_name;
    const apiUrl = process.env.GITHUB_API_URL ?? 'https://api.github.com';
    if (!token || !repository) notice('warning', 'no token or repository: the pull request comment was not written');
    else {
      try {
        const how = await upsertComment(apiUrl, repository, event.pull_request!.number, token, markdown);
        process.stdout.write(`Tidemark: pull request comment ${how}.\n`);
      } catch (error) {
        notice('warning', `the pull request comment could not be written: ${(error as Error).message}`);
      }
    }
  }
  if (warnOnly) return 0;
  return markdownRun.code;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    notice('error', `tidemark action: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
