// Sharing through git notes: pull 10,000 runs × 20 metrics into an empty store, an incremental
// pull of one new run (whole CLI process), publishing one run; beside a naive design measured
// in the same run: one JSONL file on a branch, rewritten (and re-read) for every run.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { median, ms, ratio } from '../lib.mjs';

const METRICS = 20;
const GIT_ENV = { ...process.env, GIT_AUTHOR_NAME: 'bench', GIT_AUTHOR_EMAIL: 'b@x', GIT_COMMITTER_NAME: 'bench', GIT_COMMITTER_EMAIL: 'b@x' };
const git = (cwd, args, input) => execFileSync('git', args, { cwd, env: GIT_ENV, input, maxBuffer: 1 << 30, encoding: 'utf8' });

function definitions() {
  return Array.from({ length: METRICS }, (_, i) =>
    i === 0 ? { id: 'm-label', type: 'label', unit: null, direction: null, name: null, description: null } : { id: `m-${i}`, type: 'numeric', unit: 'bytes', direction: 'lower-is-better', name: null, description: null },
  );
}

function sharedRun(commit, n) {
  const defs = definitions();
  return {
    commitSha: commit,
    branch: n % 5 === 0 ? 'feature' : 'main',
    runId: `bench-${n}`,
    runNumber: n + 1,
    event: 'ci',
    timestamp: new Date(Date.UTC(2026, 0, 1) + n * 600_000).toISOString(),
    definitions: defs,
    outcomes: defs.map((d, i) => ({ metric: d.id, status: 'ok', value: d.type === 'label' ? (n % 3 ? 'green' : 'red') : 1000 + ((n * 7 + i * 13) % 500), durationMs: null, message: null })),
  };
}

/** A repository with `runs` commits, each with a note of one 20-metric run, made with git fast-import. */
function notesRepo(ctx, runs, encodeRun) {
  const dir = path.join(ctx.tempDir(), 'repo');
  mkdirSync(dir);
  git(dir, ['init', '-q', '-b', 'main']);
  let stream = '';
  for (let i = 0; i < runs; i++) {
    const msg = `c${i}`;
    stream += `commit refs/heads/main\nmark :${i + 1}\ncommitter bench <b@x> ${1767225600 + i * 600} +0000\ndata ${msg.length}\n${msg}\n${i ? `from :${i}\n` : ''}\n`;
  }
  git(dir, ['fast-import', '--quiet'], stream);
  const commits = git(dir, ['rev-list', '--reverse', 'main']).trim().split('\n');
  let notes = 'commit refs/notes/tidemark\ncommitter bench <b@x> 1767225600 +0000\ndata 5\nbench\n';
  commits.forEach((sha, n) => {
    const text = encodeRun(sharedRun(sha, n), 'tidemark');
    notes += `N inline ${sha}\ndata ${Buffer.byteLength(text)}\n${text}\n`;
  });
  git(dir, ['fast-import', '--quiet'], notes);
  return { dir, commits };
}

function newCommit(dir, n) {
  const tree = git(dir, ['rev-parse', 'main^{tree}']).trim();
  const sha = git(dir, ['commit-tree', tree, '-p', 'main', '-m', `new ${n}`]).trim();
  git(dir, ['update-ref', 'refs/heads/main', sha]);
  return sha;
}

function cliTime(ctx, args, cwd) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync('node', [path.join(ctx.root, 'dist', 'cli.js'), ...args], { cwd, encoding: 'utf8', env: GIT_ENV });
  const elapsed = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`tidemark ${args.join(' ')}: ${r.stderr}`);
  return elapsed;
}

/** The naive design: the whole history as one JSONL file on a branch, rewritten per run. */
function naivePublish(dir, history, lines) {
  const t0 = process.hrtime.bigint();
  const current = git(dir, ['cat-file', 'blob', `tidemark-history:history.jsonl`]);
  const blob = git(dir, ['hash-object', '-w', '--stdin'], current + lines).trim();
  const tree = git(dir, ['mktree'], `100644 blob ${blob}\thistory.jsonl\n`).trim();
  const commit = git(dir, ['commit-tree', tree, '-p', 'tidemark-history', '-m', 'run']).trim();
  git(dir, ['update-ref', 'refs/heads/tidemark-history', commit]);
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

function naivePull(dir, known) {
  const t0 = process.hrtime.bigint();
  const text = git(dir, ['cat-file', 'blob', 'tidemark-history:history.jsonl']);
  let fresh = 0;
  for (const line of text.split('\n')) {
    if (!line) continue;
    const o = JSON.parse(line);
    if (!known.has(o.run_id)) fresh++;
  }
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6, fresh };
}

export const sections = [
  {
    name: 'share: git notes pull and publish',
    description: 'Runs as git notes (one note per commit, one line per value) vs one JSONL file on a branch rewritten per run.',
    async run(ctx) {
      const { encodeRun } = ctx.out('src/core/share/format.js');
      const { publishRuns } = ctx.out('src/core/share/sync.js');
      const { openStore } = ctx.out('src/core/store/sqlStore.js');
      const runs = ctx.quick ? 1000 : 10_000;
      const t0 = Date.now();
      const { dir, commits } = notesRepo(ctx, runs, encodeRun);
      const setup = Date.now() - t0;

      // The naive branch holds the same history.
      let all = '';
      commits.forEach((sha, n) => (all += encodeRun(sharedRun(sha, n), 'tidemark')));
      const blob = git(dir, ['hash-object', '-w', '--stdin'], all).trim();
      const tree = git(dir, ['mktree'], `100644 blob ${blob}\thistory.jsonl\n`).trim();
      git(dir, ['update-ref', 'refs/heads/tidemark-history', git(dir, ['commit-tree', tree, '-m', 'history']).trim()]);

      const db = path.join(ctx.tempDir(), 'pulled.db');
      const full = cliTime(ctx, ['pull', '--no-fetch', '--db', db], dir);

      // Incremental: one new run on a new commit, written the way publish writes it, then `tidemark pull`.
      const incremental = [];
      const naiveIncremental = [];
      const known = new Set(commits.map((_, n) => `bench-${n}`));
      for (let i = 0; i < 5; i++) {
        const n = runs + i;
        const sha = newCommit(dir, n);
        const text = encodeRun(sharedRun(sha, n), 'tidemark');
        git(dir, ['notes', '--ref=refs/notes/tidemark', 'add', '-F', '-', sha], text);
        incremental.push(cliTime(ctx, ['pull', '--no-fetch', '--db', db], dir));
        naivePublish(dir, null, text);
        const naive = naivePull(dir, known);
        if (naive.fresh !== METRICS) throw new Error(`naive pull found ${naive.fresh} new lines`);
        for (let m = 0; m < METRICS; m++) known.add(`bench-${n}`);
        naiveIncremental.push(naive.ms);
      }

      // Publish one run: a local clean CI run on a new commit, published by publishRuns (no push).
      const store = await openStore(path.join(ctx.tempDir(), 'local.db'));
      const publish = [];
      const publishCli = [];
      const naive = [];
      for (let i = 0; i < 7; i++) {
        const n = runs + 100 + i;
        const sha = newCommit(dir, n);
        const run = sharedRun(sha, n);
        await store.recordBuild({
          build: { commitSha: sha, branch: 'main', runId: `local-${n}`, event: 'ci', timestamp: run.timestamp, dirty: false },
          definitions: run.definitions,
          results: run.outcomes.map((o) => ({ metric: o.metric, status: 'ok', value: o.value, durationMs: 1 })),
        });
        const t = process.hrtime.bigint();
        const outcome = await publishRuns(dir, store, { events: ['ci'] });
        publish.push(Number(process.hrtime.bigint() - t) / 1e6);
        if (outcome.published !== 1) throw new Error(`published ${outcome.published}`);
        naive.push(naivePublish(dir, null, encodeRun(run, 'tidemark')));
      }
      await store.close();
      // The same through the CLI process (node start included), into its own store.
      const cliDb = path.join(ctx.tempDir(), 'cli.db');
      for (let i = 0; i < 5; i++) {
        const n = runs + 200 + i;
        const sha = newCommit(dir, n);
        const s = await openStore(cliDb);
        const run = sharedRun(sha, n);
        await s.recordBuild({ build: { commitSha: sha, branch: 'main', runId: `cli-${n}`, event: 'ci', timestamp: run.timestamp, dirty: false }, definitions: run.definitions, results: run.outcomes.map((o) => ({ metric: o.metric, status: 'ok', value: o.value, durationMs: 1 })) });
        await s.close();
        publishCli.push(cliTime(ctx, ['publish', '--db', cliDb], dir));
      }

      // The floor of any whole-process figure on this machine right now: node starting the CLI.
      const startup = median(Array.from({ length: 5 }, () => cliTime(ctx, ['--version'], dir)));
      const inc = median(incremental);
      const pub = median(publish);
      const label = `${runs.toLocaleString('en')} runs × ${METRICS}`;
      return {
        columns: ['', 'git notes', 'naive JSONL branch', 'vs naive', 'target', 'met'],
        rows: [
          [`pull ${label} into an empty store (CLI)`, ms(full), '—', '—', '', ''],
          ['incremental pull of one run (whole CLI process)', ms(inc), ms(median(naiveIncremental)), ratio(inc, median(naiveIncremental)), '≤ 300 ms', inc <= 300 ? 'pass' : 'FAIL'],
          ['publish one run (in process, no push)', ms(pub), ms(median(naive)), ratio(pub, median(naive)), '≤ 100 ms', pub <= 100 ? 'pass' : 'FAIL'],
          ['publish one run (whole CLI process, no push)', ms(median(publishCli)), '—', '—', '', ''],
          ['reference: `tidemark --version` (node start-up alone)', ms(startup), '—', '—', '', ''],
        ],
        notes: [
          `setup: ${runs.toLocaleString('en')} commits and notes by git fast-import in ${(setup / 1000).toFixed(1)} s (not measured)`,
          'naive incremental pull = read the whole JSONL blob and parse every line (a lower bound: nothing is stored); naive publish = read, append, write blob, tree, commit, update-ref',
          'medians of 5 (pull) and 7 (publish) runs; the naive figures grow with the history, the notes figures with one commit\'s note',
        ],
      };
    },
  },
];
