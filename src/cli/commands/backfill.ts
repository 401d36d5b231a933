import { backfill, type BackfillCommit, type BackfillProgress } from '../../core/backfill';
import { defaultBranch, RevisionError } from '../../core/git';
import { booleanFlag, stringFlag, type CliCommand, type CliContext } from '../context';
import { EXIT_OK, UsageError } from '../errors';
import { clip, formatTable } from '../table';
import { publishRuns, type PublishOutcome } from '../../core/share';
import type { StoreApi } from '../../core/store/api';
import { disabled, shareSettings, sharing } from '../share/settings';

function wholeFlag(ctx: CliContext, name: string): number | undefined {
  const given = stringFlag(ctx, name);
  if (given === undefined) return undefined;
  const n = Number(given);
  if (!/^\d+$/.test(given) || n < 1) throw new UsageError(`--${name} must be a whole number ≥ 1 (got "${given}")`);
  return n;
}

function duration(ms: number | null): string {
  if (ms === null) return '…';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m}m${String(s % 60).padStart(2, '0')}s` : `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

function commitLine(c: BackfillCommit): string {
  const what = c.status === 'failed' ? `failed (${c.message ?? 'no values'})` : `${c.values} value${c.values === 1 ? '' : 's'}${c.failures ? `, ${c.failures} failed (${c.message ?? ''})` : ''}`;
  return `${c.commitSha.slice(0, 7)} ${clip(JSON.stringify(c.subject), 50)}: ${what} in ${duration(c.durationMs)}`;
}

/** A live line on a terminal; one plain log line per commit otherwise (CI). */
function progressPrinter(ctx: CliContext): (event: BackfillProgress) => void {
  const live = process.stderr.isTTY === true && !ctx.env.CI && ctx.env.TERM !== 'dumb';
  const line = (text: string) => (live ? process.stderr.write(`\r\x1b[K${text}`) : undefined);
  return (event) => {
    switch (event.kind) {
      case 'planned':
        ctx.err(`backfill: ${event.total} commit${event.total === 1 ? '' : 's'} selected, ${event.skipped} already measured, ${event.toMeasure} to measure`);
        break;
      case 'start':
        line(`[${event.index}/${event.total}] ${event.commitSha.slice(0, 7)} ${clip(event.subject, 40)} · ETA ${duration(event.etaMs)}`);
        break;
      case 'done':
        if (live) process.stderr.write('\r\x1b[K');
        ctx.err(`[${event.index}/${event.total}] ${commitLine(event.commit)}${event.index < event.total ? ` · ETA ${duration(event.etaMs)}` : ''}`);
        break;
    }
  };
}

export const command: CliCommand = {
  name: 'backfill',
  summary: 'Measure past commits, each in a temporary git worktree, and record them at their commit time.',
  usage: 'tidemark backfill <RANGE | REV | --tags | --last N> [--every K] [--first-parent] [--branch B]',
  details: [
    'What to measure:',
    '  RANGE           a git range: A..B (commits of B not in A), A...B, REV^!',
    '  REV             one commit: a branch, tag, sha or HEAD~3',
    '  --tags          every tagged commit',
    '  --last N        the last N commits of HEAD\'s first-parent line',
    'Options:',
    '  --every K       measure every K-th of those commits (the newest always)',
    '  --first-parent  follow only first parents in a range (the main line, not merged branches)',
    '  --branch B      record the runs under this branch (default: the reference branch)',
    '  --only M,N      measure only these metrics',
    '  --publish       then write the measured runs into git notes, like `tidemark publish`',
    '  --push          with --publish: also push the notes ref (like `tidemark publish --push`)',
    '',
    'Each commit is checked out in a temporary detached `git worktree` (your working tree, index,',
    'HEAD and `git worktree list` are untouched), the setup steps and metrics of the current',
    'tidemark.json run there, and the run is recorded with event "backfill" and the commit\'s',
    'committer time. Commits that already have a run are skipped, so an interrupted backfill',
    'resumes where it stopped. A commit that fails is recorded as failed and the backfill goes on.',
    'Ctrl-C stops the running commands, removes the worktree and exits 130.',
    'JSON: {"measured","skipped","failed","values","commits":[{"commitSha","subject","time","status",',
    '       "values","failures","runNumber","message","durationMs"}]}',
  ],
  options: { tags: 'boolean', last: 'string', every: 'string', 'first-parent': 'boolean', branch: 'string', only: 'string', publish: 'boolean', push: 'boolean' },
  positionals: { min: 0, max: 1 },
  async run(ctx) {
    const range = ctx.positionals[0];
    const tags = booleanFlag(ctx, 'tags');
    const last = wholeFlag(ctx, 'last');
    const chosen = [range !== undefined, tags, last !== undefined].filter(Boolean).length;
    if (chosen !== 1) throw new UsageError('name the commits once: a revision range (A..B) or revision, --tags, or --last N');
    const publish = booleanFlag(ctx, 'publish');
    const push = booleanFlag(ctx, 'push');
    if (push && !publish) throw new UsageError('--push goes with --publish');
    const config = await ctx.loadConfig();
    const only = stringFlag(ctx, 'only')?.split(',').map((s) => s.trim()).filter(Boolean);
    const unknown = only?.filter((id) => !Object.hasOwn(config.metrics, id)) ?? [];
    if (unknown.length) throw new UsageError(`--only: unknown metric ${unknown.map((u) => `"${u}"`).join(', ')}`, false);
    const branch = stringFlag(ctx, 'branch') ?? config.baseline.referenceBranch ?? (await defaultBranch(ctx.cwd));
    if (!branch) throw new UsageError('no reference branch to record the runs under: pass --branch or set baseline.referenceBranch', false);
    const store = await ctx.openStore();
    let outcome;
    try {
      outcome = await backfill({
        cwd: ctx.cwd,
        store,
        config,
        branch,
        only,
        selection: { range, tags, last, every: wholeFlag(ctx, 'every'), firstParent: booleanFlag(ctx, 'first-parent') },
        signal: ctx.signal,
        logger: ctx.logger,
        onProgress: ctx.json ? undefined : progressPrinter(ctx),
      });
    } catch (error) {
      if (error instanceof RevisionError) throw new UsageError(error.message, false);
      throw error;
    }
    // Published after the backfill is recorded: a sharing failure (exit 4) loses no measured run.
    const published = publish ? await publishBackfill(ctx, store, push) : undefined;
    if (ctx.json) {
      ctx.out(JSON.stringify(typeof published === 'object' ? { ...outcome, published } : outcome));
      return typeof published === 'number' ? published : EXIT_OK;
    }
    const rows = outcome.commits.map((c) => [c.commitSha.slice(0, 7), c.time.slice(0, 10), clip(c.subject, 40), c.status, String(c.values), c.failures ? String(c.failures) : '']);
    if (rows.length) ctx.out(formatTable(['Commit', 'Date', 'Subject', 'Status', 'Values', 'Failed'], rows, ['left', 'left', 'left', 'left', 'right', 'right']));
    const tried = outcome.measured + outcome.failed;
    const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
    ctx.out(`backfill: ${plural(tried, 'commit')} → ${plural(outcome.values, 'value')} (${outcome.measured} measured, ${outcome.failed} failed); ${outcome.skipped} already measured (skipped)`);
    if (typeof published === 'object') ctx.out(`Published ${plural(published.published, 'run')} to ${published.ref}${published.pushed ? ', pushed' : ''}.`);
    return typeof published === 'number' ? published : EXIT_OK;
  },
};

/** --publish: the backfilled runs (and any other unpublished clean run) go into the notes ref; exit 4 when that fails. */
async function publishBackfill(ctx: CliContext, store: StoreApi, push: boolean): Promise<PublishOutcome | number | undefined> {
  const settings = await shareSettings(ctx);
  if (disabled(ctx, settings)) return undefined;
  let outcome: PublishOutcome | undefined;
  const code = await sharing(ctx, 'backfill --publish', async () => {
    outcome = await publishRuns(ctx.cwd, store, { ref: settings.ref, remote: settings.remote, events: [...new Set([...settings.events, 'backfill' as const])], push, logger: ctx.logger });
    return EXIT_OK;
  });
  return outcome ?? code;
}
