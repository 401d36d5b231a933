// The gate as CI runs it: the built dist/cli.js as a child process on real git repositories
// with a real history database.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { tidemarkInProcess } from '../cli/inProcess';

const root = path.resolve(__dirname, '../../../..');
const cli = path.join(root, 'dist', 'cli.js');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) newest = Math.max(newest, fs.statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

let tmp: string;
before(async () => {
  // test-all.mjs builds first; a direct `node --test` run after editing src/ must not test a stale bundle.
  if (!fs.existsSync(cli) || fs.statSync(cli).mtimeMs < newestMtime(path.join(root, 'src'))) {
    execFileSync('node', ['esbuild.mjs'], { cwd: root, stdio: 'inherit' });
  }
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tidemark-'));
});
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** In this process through runCli; `baseline --measure` below runs as the real process (Ctrl-C). */
function tidemark(cwd: string, ...args: string[]) {
  return tidemarkInProcess(cwd, args);
}

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', ...args], { cwd, encoding: 'utf8' }).trim();
}

let count = 0;
/**
 * main: size.txt of 6 bytes, collected; feature: grown to 11 bytes, collected.
 * The size metric reads the byte count of size.txt.
 */
async function featureRepo(thresholds: object): Promise<string> {
  const dir = path.join(tmp, `repo-${++count}`);
  fs.mkdirSync(dir);
  git(dir, 'init', '-q', '-b', 'main');
  fs.writeFileSync(path.join(dir, '.gitignore'), '.tidemark/\n');
  const config = { metrics: { size: { type: 'numeric', unit: 'bytes', direction: 'lower-is-better', command: 'wc -c < size.txt', thresholds } } };
  fs.writeFileSync(path.join(dir, 'tidemark.json'), JSON.stringify(config, null, 2));
  fs.writeFileSync(path.join(dir, 'size.txt'), '12345\n');
  git(dir, 'add', '.');
  git(dir, 'commit', '-q', '-m', 'base');
  assert.equal((await tidemark(dir, 'collect')).code, 0);
  git(dir, 'checkout', '-q', '-b', 'feature');
  fs.writeFileSync(path.join(dir, 'size.txt'), '1234567890\n');
  git(dir, 'commit', '-q', '-am', 'grow');
  return dir;
}

test('check exits 1 when a fail rule is broken and explains it', async () => {
  const dir = await featureRepo({ max: '10 B', maxIncreasePercent: { value: 50, severity: 'warn' } });
  const noRun = await tidemark(dir, 'check');
  assert.equal(noRun.code, 2, 'no run of HEAD yet is a usage problem, not a pass');
  assert.match(noRun.stderr, /no run recorded for HEAD \([0-9a-f]{7}\); collect the metrics first/);

  assert.equal((await tidemark(dir, 'collect')).code, 0);
  const r = await tidemark(dir, 'check');
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.match(r.stdout, /✗ size {2}11 B {2}baseline 6 B at [0-9a-f]{7} \(merge-base\) {2}\+5 B \(\+83\.3%\)/);
  assert.match(r.stdout, /fail {4}max: size 11 B is above the maximum budget 10 B/);
  assert.match(r.stdout, /warn {4}maxIncreasePercent: size 11 B is \+83\.3% vs 6 B, beyond the allowed \+50%/);
  assert.match(r.stdout, /1 fail, 1 warn, 0 pass: FAILED$/m);

  const report = JSON.parse((await tidemark(dir, 'check', '--json')).stdout);
  assert.equal(report.exitCode, 1);
  const base = git(dir, 'rev-parse', 'main');
  assert.deepEqual(
    report.rules.map((x: { rule: string; status: string; value: number; limit: number; baseline: { commitSha: string; method: string } }) => [x.rule, x.status, x.value, x.limit, x.baseline.commitSha, x.baseline.method]),
    [
      ['max', 'fail', 11, 10, base, 'merge-base'],
      ['maxIncreasePercent', 'warn', 11, 9, base, 'merge-base'],
    ],
  );

  const md = await tidemark(dir, 'check', '--markdown');
  assert.equal(md.code, 1);
  assert.match(md.stdout, /^### ❌ Tidemark check failed\n/);
  assert.match(md.stdout, /\| size \| 11 B \| 6 B at `[0-9a-f]{7}` \(merge\\-base\) \|/);
  assert.equal((await tidemark(dir, 'check', '--markdown', '--json')).code, 2);
});

test('check exits 0 when only warn rules are broken, and --base picks the comparison', async () => {
  const dir = await featureRepo({ severity: 'warn', max: '10 B' });
  assert.equal((await tidemark(dir, 'collect')).code, 0);
  const r = await tidemark(dir, 'check');
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /! size .*\n {4}warn {4}max: size 11 B is above the maximum budget 10 B/);

  // The run being judged is never its own baseline: --base feature walks back to main's run.
  const self = JSON.parse((await tidemark(dir, 'check', '--json', '--base', 'feature')).stdout);
  assert.equal(self.metrics[0].baseline.method, 'explicit');
  assert.equal(self.metrics[0].baseline.build.commitSha, git(dir, 'rev-parse', 'main'));
  assert.match(self.metrics[0].baseline.explanation, /= newest clean run of --base feature, 1 commit back$/);
  assert.equal((await tidemark(dir, 'check', '--base', 'no-such-ref')).code, 2);
});

test('baseline --measure records the merge-base and leaves the checkout and worktree list as they were', async () => {
  const dir = await featureRepo({ maxIncreasePercent: 10 });
  fs.writeFileSync(path.join(dir, 'size.txt'), 'uncommitted edit\n');
  const before = [git(dir, 'worktree', 'list', '--porcelain'), git(dir, 'status', '--porcelain'), git(dir, 'rev-parse', 'HEAD')];
  const m = await tidemark(dir, 'baseline', '--measure', '--json');
  assert.equal(m.code, 0, m.stderr);
  const measured = JSON.parse(m.stdout);
  assert.equal(measured.commitSha, git(dir, 'rev-parse', 'main'));
  assert.equal(measured.reason, 'merge-base of HEAD and main');
  assert.deepEqual([measured.build.branch, measured.build.dirty, measured.build.event, measured.results[0].value], ['main', false, 'manual', 6]);
  assert.deepEqual([git(dir, 'worktree', 'list', '--porcelain'), git(dir, 'status', '--porcelain'), git(dir, 'rev-parse', 'HEAD')], before);
  assert.equal(fs.readFileSync(path.join(dir, 'size.txt'), 'utf8'), 'uncommitted edit\n');

  const shown = await tidemark(dir, 'baseline');
  assert.equal(shown.code, 0);
  assert.match(shown.stdout, /^baseline [0-9a-f]{7} \(main, .* UTC\) = merge-base of HEAD and main — run #2 \(manual\)$/m);
});

test('Ctrl-C during baseline --measure exits 130, records nothing and removes the temporary worktree', async () => {
  const dir = await featureRepo({});
  const config = JSON.parse(fs.readFileSync(path.join(dir, 'tidemark.json'), 'utf8'));
  config.metrics.size.command = 'sleep 30';
  // An uncommitted config: the measurement uses the config of the working tree, not the commit's.
  fs.writeFileSync(path.join(dir, 'tidemark.json'), JSON.stringify(config));
  const before = [git(dir, 'worktree', 'list', '--porcelain'), git(dir, 'status', '--porcelain')];
  const child = spawn('node', [cli, 'baseline', '--measure'], { cwd: dir, env: { ...process.env, CI: '' } });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const deadline = Date.now() + 15_000;
  let worktree: string | undefined;
  while (!(worktree = /^worktree (.*tidemark-baseline-.*)$/m.exec(git(dir, 'worktree', 'list', '--porcelain'))?.[1])) {
    assert.ok(Date.now() < deadline, `the temporary worktree never appeared: ${stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  child.kill('SIGINT');
  assert.equal(await exited, 130, stderr);
  assert.match(stderr, /interrupted/);
  assert.equal(fs.existsSync(path.dirname(worktree)), false, 'the temporary directory is gone');
  assert.deepEqual([git(dir, 'worktree', 'list', '--porcelain'), git(dir, 'status', '--porcelain')], before);
  const history = JSON.parse((await tidemark(dir, 'history', 'size', '--json')).stdout);
  assert.equal(history.points.length, 1, 'only the run collected on main');
});
