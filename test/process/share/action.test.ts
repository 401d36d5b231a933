/**
 * The GitHub Action run exactly as the runner runs it: `node dist/action.js` with the GITHUB_*
 * variables, INPUT_* inputs, a real-shaped event file, $GITHUB_OUTPUT and $GITHUB_STEP_SUMMARY,
 * a bare repository as origin and GITHUB_API_URL pointing at a loopback server implementing
 * the issue-comment endpoints.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { tempDir } from '../../unit/collect/helpers';
import { clone, ensureBuilt, git, newOrigin, noteLines, root } from './helpers';

let tmp: { dir: string; cleanup(): void };
before(() => {
  ensureBuilt();
  tmp = tempDir();
});
after(() => tmp.cleanup());

const CONFIG = {
  metrics: {
    size: { type: 'numeric', command: 'cat size.txt', unit: 'bytes', direction: 'lower-is-better', thresholds: { maxIncreasePercent: 10 } },
    status: { type: 'label', command: 'echo green' },
  },
};

interface Recorded {
  method: string;
  url: string;
  authorization: string | undefined;
  body: unknown;
}

/** GitHub's issue-comment endpoints, in memory, recording every request. */
function fakeGitHub(): Promise<{ server: Server; url: string; requests: Recorded[]; comments: { id: number; body: string }[] }> {
  const requests: Recorded[] = [];
  const comments: { id: number; body: string }[] = [{ id: 1, body: 'LGTM from a human' }];
  let nextId = 100;
  const server = createServer((req, res) => {
    let text = '';
    req.on('data', (b) => (text += String(b)));
    req.on('end', () => {
      const body = text ? (JSON.parse(text) as { body: string }) : undefined;
      requests.push({ method: req.method!, url: req.url!, authorization: req.headers.authorization, body });
      const send = (status: number, value: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(value));
      };
      const url = new URL(req.url!, 'http://x');
      if (req.method === 'GET' && url.pathname === '/repos/acme/app/issues/7/comments') {
        const page = Number(url.searchParams.get('page') ?? 1);
        return send(200, page === 1 ? comments : []);
      }
      if (req.method === 'POST' && url.pathname === '/repos/acme/app/issues/7/comments') {
        const comment = { id: nextId++, body: body!.body };
        comments.push(comment);
        return send(201, comment);
      }
      const m = /^\/repos\/acme\/app\/issues\/comments\/(\d+)$/.exec(url.pathname);
      if (req.method === 'PATCH' && m) {
        const comment = comments.find((c) => c.id === Number(m[1]));
        if (!comment) return send(404, { message: 'Not Found' });
        comment.body = body!.body;
        return send(200, comment);
      }
      send(404, { message: 'Not Found' });
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests, comments })));
}

interface ActionRun {
  code: number | null;
  stdout: string;
  outputs: string;
  summary: string;
}

let runCount = 0;
/** One job step: a fresh runner temp dir with its event, output and summary files. */
function runAction(workspace: string, eventName: string, event: object, env: Record<string, string>, inputs: Record<string, string> = {}): Promise<ActionRun> {
  const runner = path.join(tmp.dir, `runner-${++runCount}`);
  mkdirSync(runner);
  const files = { event: path.join(runner, 'event.json'), output: path.join(runner, 'output'), summary: path.join(runner, 'summary.md') };
  writeFileSync(files.event, JSON.stringify(event));
  writeFileSync(files.output, '');
  writeFileSync(files.summary, '');
  // action.yml's inputs with their defaults, as the runner passes them.
  const defaults: Record<string, string> = { token: 'ghs_test_token', 'warn-only': 'false', 'working-directory': '.', remote: 'origin', comment: 'true' };
  const inputEnv = Object.fromEntries(Object.entries({ ...defaults, ...inputs }).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v]));
  const action = readFileSync(path.join(root, 'action.yml'), 'utf8');
  const main = /main:\s*(\S+)/.exec(action)![1];
  return new Promise((resolve) => {
    const child = spawn('node', [path.join(root, main)], {
      cwd: workspace,
      env: {
        ...process.env,
        CI: 'true',
        GITHUB_ACTIONS: 'true',
        GITHUB_WORKSPACE: workspace,
        GITHUB_EVENT_NAME: eventName,
        GITHUB_EVENT_PATH: files.event,
        GITHUB_OUTPUT: files.output,
        GITHUB_STEP_SUMMARY: files.summary,
        GITHUB_REPOSITORY: 'acme/app',
        GIT_AUTHOR_NAME: 'ci',
        GIT_AUTHOR_EMAIL: 'ci@example.com',
        GIT_COMMITTER_NAME: 'ci',
        GIT_COMMITTER_EMAIL: 'ci@example.com',
        ...inputEnv,
        ...env,
      },
    });
    let stdout = '';
    child.stdout.on('data', (b) => (stdout += String(b)));
    child.stderr.on('data', (b) => (stdout += String(b)));
    child.on('close', (code) => resolve({ code, stdout, outputs: readFileSync(files.output, 'utf8'), summary: readFileSync(files.summary, 'utf8') }));
  });
}

test('the action publishes on the default branch; on a pull request it checks, summarises, and keeps ONE comment up to date', { timeout: 600_000 }, async () => {
  const github = await fakeGitHub();
  try {
    const dir = path.join(tmp.dir, 'action');
    const origin = newOrigin(dir, CONFIG);
    const repository = { full_name: 'acme/app', default_branch: 'main' };

    // 1. A push to main: collect, publish, push the notes to origin.
    const mainJob = clone(origin, path.join(dir, 'main-job'));
    const push = await runAction(mainJob, 'push', { ref: 'refs/heads/main', repository }, { GITHUB_REF: 'refs/heads/main', GITHUB_REF_NAME: 'main', GITHUB_API_URL: github.url });
    assert.equal(push.code, 0, push.stdout);
    assert.match(push.outputs, /^status=published$/m);
    const mainLines = noteLines(origin);
    assert.deepEqual(mainLines.map((l) => [l.metric_id, l.branch, l.event]).sort(), [['size', 'main', 'ci'], ['status', 'main', 'ci']]);

    // 2. A pull request whose size doubled (a developer pushed the branch).
    const dev = clone(origin, path.join(dir, 'dev'));
    git(dev, 'checkout', '-q', '-b', 'feature');
    writeFileSync(path.join(dev, 'size.txt'), '200\n');
    git(dev, 'commit', '-q', '-am', 'bigger');
    git(dev, 'push', '-q', 'origin', 'feature');
    const prEvent = { action: 'synchronize', number: 7, pull_request: { number: 7, head: { ref: 'feature' }, base: { ref: 'main' } }, repository };
    const prEnv = { GITHUB_REF: 'refs/pull/7/merge', GITHUB_HEAD_REF: 'feature', GITHUB_BASE_REF: 'main', GITHUB_API_URL: github.url };
    // actions/checkout's default: depth 1, only the PR branch.
    const prJob = path.join(dir, 'pr-job');
    git(dir, 'clone', '-q', '--depth', '1', '--branch', 'feature', `file://${origin}`, prJob);
    const first = await runAction(prJob, 'pull_request', prEvent, prEnv);
    assert.equal(first.code, 1, `a broken "fail" rule fails the job\n${first.stdout}`);
    assert.match(first.outputs, /^status=fail$/m);
    assert.match(first.outputs, /^failing=size$/m);
    assert.match(first.outputs, /^markdown<<tidemark_[0-9a-f-]+\n[\s\S]*size[\s\S]*\ntidemark_[0-9a-f-]+$/m);
    assert.match(first.summary, /size/);
    assert.match(first.summary, /\+100(\.0)? ?%|100(\.0)? ?%/, 'the summary shows the change against main');
    const writes = () => github.requests.filter((r) => r.method !== 'GET');
    assert.deepEqual(writes().map((r) => r.method), ['POST']);
    assert.equal(github.requests[0].authorization, 'Bearer ghs_test_token');
    assert.equal(github.comments.length, 2);
    assert.ok(github.comments[1].body.startsWith('<!-- tidemark-report -->'));

    // 3. The next push to the PR: the same comment is updated, nothing duplicated; warn-only passes.
    writeFileSync(path.join(dev, 'size.txt'), '105\n');
    git(dev, 'commit', '-q', '-am', 'smaller again');
    git(dev, 'push', '-q', 'origin', 'feature');
    git(prJob, 'pull', '-q', '--ff-only', 'origin', 'feature');
    const second = await runAction(prJob, 'pull_request', prEvent, prEnv, { 'warn-only': 'true' });
    assert.equal(second.code, 0, second.stdout);
    assert.match(second.outputs, /^status=pass$/m);
    assert.deepEqual(writes().map((r) => r.method), ['POST', 'PATCH']);
    assert.equal(github.comments.length, 2, 'still one Tidemark comment');
    assert.equal(github.comments.filter((c) => c.body.includes('<!-- tidemark-report -->')).length, 1);
    assert.notEqual(github.comments[1].body, (writes()[0].body as { body: string }).body, 'its text was replaced');
  } finally {
    github.server.close();
  }
});
