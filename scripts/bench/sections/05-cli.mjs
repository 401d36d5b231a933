// CLI start-up: what a user waits for at the prompt and CI pays per step, beside node's own
// start-up measured in the same run. Runs dist/cli.js (the production build bench.mjs made).
import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { median, ms, target } from '../lib.mjs';

function timeProcess(args, cwd, runs, env = {}) {
  const times = [];
  for (let i = -2; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, args, { cwd, encoding: 'utf8', env: { ...process.env, CI: '', ...env } });
    const elapsed = Number(process.hrtime.bigint() - t0) / 1e6;
    if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
    if (i >= 0) times.push(elapsed);
  }
  return median(times);
}

/** A small repository with one metric, as in the measurement. */
function smallRepo(ctx) {
  const dir = ctx.tempDir();
  const git = (...args) => execFileSync('git', ['-c', 'user.name=B', '-c', 'user.email=b@example.com', ...args], { cwd: dir });
  git('init', '-q', '-b', 'main');
  writeFileSync(path.join(dir, 'tidemark.json'), JSON.stringify({ metrics: { answer: { type: 'numeric', command: 'echo 42' } } }));
  writeFileSync(path.join(dir, '.gitignore'), '.tidemark/\n');
  git('add', '-A');
  git('commit', '-q', '-m', 'init');
  return dir;
}

async function startupSection(ctx) {
  const cli = path.join(ctx.root, 'dist', 'cli.js');
  const runs = ctx.quick ? 7 : 21;
  const dir = smallRepo(ctx);
  // A store with history (and its snapshot), as after a few days of use.
  for (let i = 0; i < 20; i++) execFileSync(process.execPath, [cli, 'collect'], { cwd: dir, env: { ...process.env, CI: '' } });
  const node = timeProcess(['-e', '0'], dir, runs);
  const help = timeProcess([cli, '--help'], dir, runs);
  // dist/cli.js compiles the bundle from V8's code cache (src/cli/launch.ts); without it, as on a first start:
  const helpUncached = timeProcess([cli, '--help'], dir, runs, { NODE_DISABLE_COMPILE_CACHE: '1' });
  const collectUncached = timeProcess([cli, 'collect'], dir, runs, { NODE_DISABLE_COMPILE_CACHE: '1' });
  const version = timeProcess([cli, '--version'], dir, runs);
  const collect = timeProcess([cli, 'collect'], dir, runs);
  const compare = timeProcess([cli, 'compare', '--base', 'main', '--head', 'main'], dir, runs);
  const reference = `node -e 0: ${ms(node)}`;
  const seconds = (v) => `${(v / 1000).toFixed(3)} s`;
  return {
    columns: ['', 'median', 'minus node alone'],
    rows: [
      ['node -e 0 (node’s own start-up)', ms(node), ''],
      ['tidemark --version', ms(version), ms(version - node)],
      ['tidemark --help', ms(help), ms(help - node)],
      ['tidemark --help, no code cache', ms(helpUncached), ms(helpUncached - node)],
      ['tidemark collect (1 metric: echo 42, git context, durable record)', ms(collect), ms(collect - node)],
      ['tidemark collect, no code cache', ms(collectUncached), ms(collectUncached - node)],
      ['tidemark compare main main', ms(compare), ms(compare - node)],
    ],
    notes: [
      `median of ${runs} runs after 2 warm-ups, each a new process; the store holds 20+ runs and a snapshot`,
      'V8 code cache: written by the first start (the warm-ups) into the user cache folder; "no code cache" = NODE_DISABLE_COMPILE_CACHE=1, every start compiles the bundle',
    ],
    targets: [target('CLI --help', help / 1000, '<=', 0.12, (v) => seconds(v * 1000), reference), target('CLI one-metric collect', collect / 1000, '<=', 0.25, (v) => seconds(v * 1000), reference)],
  };
}

export const sections = [{ name: 'cli: start-up', description: 'Wall time of short CLI commands in a small repository.', run: startupSection }];
