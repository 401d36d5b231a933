/**
 * Tidemark's status language: the words and the one delta format that every surface uses (the
 * tree, the status bar, the Problems entries, `check`, and the report). Three separate channels:
 *
 * - collection status: how collecting the metric ended (ran ok / failed / timed out / never ran);
 * - judgement: the metric's threshold rules (pass / warn / fail, or unknown when not judged);
 * - change: the direction of the value against its baseline (better / worse by the metric's
 *   `direction`, `changed` when it has none or is a label, `unchanged` within noise).
 *
 * Only the judgement may be painted as a warning or an error: a change that breaks no
 * threshold is news, not a problem. Pure, no vscode import; the webview may import it.
 */
import type { CheckStatus } from './checks';
import type { Direction, MetricValue, ResultStatus, RunEvent, RunSource, Unit } from '../types';
import { formatValue } from '../units';
import { l10n } from '../../shared/l10n';

/**
 * A table whose words are looked up when read (`COLLECTION_WORDS.ok`), each through l10n.t: in
 * VS Code in the display language (activation installs its translator), English elsewhere.
 */
function words<K extends string>(table: Record<K, () => string>): Record<K, string> {
  const out = {} as Record<K, string>;
  for (const key of Object.keys(table) as K[]) Object.defineProperty(out, key, { get: table[key], enumerable: true });
  return out;
}

/** A look whose text is looked up when read (see `words`). */
function look(icon: string, color: string | undefined, text: () => string): Look {
  const out = { icon, ...(color && { color }) } as Look;
  Object.defineProperty(out, 'text', { get: text, enumerable: true });
  return out;
}

/** How collecting a metric ended; `never-run` when there is no attempt at all. */
export type CollectionStatus = ResultStatus | 'never-run';

export const COLLECTION_WORDS: Record<CollectionStatus, string> = words({
  ok: () => l10n.t('ran ok'),
  failed: () => l10n.t('failed'),
  timeout: () => l10n.t('timed out'),
  'invalid-output': () => l10n.t('unreadable output'),
  cancelled: () => l10n.t('stopped'),
  'never-run': () => l10n.t('never ran'),
});

/** The worst status of a metric's threshold rules. */
export type Judgement = CheckStatus;

/** A judgement in a few words ("fails a threshold"). */
export const JUDGEMENT_WORDS: Record<Judgement, string> = words({
  pass: () => l10n.t('within its thresholds'),
  warn: () => l10n.t('warns on a threshold'),
  fail: () => l10n.t('fails a threshold'),
  unknown: () => l10n.t('not judged'),
});

/** A judgement as one word, for badges and short descriptions. */
export const JUDGEMENT_BADGE: Record<Judgement, string> = { pass: 'pass', warn: 'warn', fail: 'fail', unknown: 'unknown' };

/** Rules that judge a value against the measured spread of earlier runs (its noise). */
const STATISTICAL_RULES = new Set(['t-test', 'z-score', 'percentage', 'iqr']);

/**
 * The value is within the noise a statistical rule measured (the rule passed): its change reads
 * "unchanged" on every surface, so timing noise of +0.1 % is never "worse".
 */
export function withinNoise(checks: readonly { rule: string; status: CheckStatus }[] | undefined): boolean {
  return checks?.some((c) => STATISTICAL_RULES.has(c.rule) && c.status === 'pass') ?? false;
}

/** The judgements that change how a metric looks: only these are warnings or errors. */
export type Alarm = 'warn' | 'fail';

export function alarmOf(judgement: Judgement | undefined): Alarm | undefined {
  return judgement === 'warn' || judgement === 'fail' ? judgement : undefined;
}

/** The direction of a change against the baseline. */
export type ChangeDirection = 'better' | 'worse' | 'unchanged' | 'changed' | 'unknown';

export const CHANGE_WORDS: Record<ChangeDirection, string> = words({
  better: () => l10n.t('better'),
  worse: () => l10n.t('worse'),
  unchanged: () => l10n.t('unchanged'),
  changed: () => l10n.t('changed'),
  unknown: () => l10n.t('no baseline to compare with'),
});

export interface Change {
  direction: ChangeDirection;
  /** value − base for numbers; null for labels or when a side is missing. */
  delta: number | null;
  /** Relative change in percent; null when the base is 0, a side is missing, or the unit is percent (see `points`). */
  percent: number | null;
  /** The metric is a percentage: its change is shown in percentage points (`delta`). */
  points: boolean;
}

export interface ChangeOptions {
  unit: Unit | null | undefined;
  direction: Direction | null | undefined;
  /** The value is within the measured noise (a passing statistical rule) or the thresholds' tolerance. */
  withinNoise?: boolean;
}

/** Percent changes smaller than this round to zero in every format below: they are "unchanged". */
const ROUNDS_TO_ZERO = 0.005;

/** Compares a value with its baseline value. */
export function compareValues(value: MetricValue | null | undefined, base: MetricValue | null | undefined, options: ChangeOptions): Change {
  const points = options.unit === 'percent';
  if (value === null || value === undefined || base === null || base === undefined) return { direction: 'unknown', delta: null, percent: null, points };
  if (typeof value === 'string' || typeof base === 'string' || !Number.isFinite(value) || !Number.isFinite(base)) {
    return { direction: value === base ? 'unchanged' : 'changed', delta: null, percent: null, points };
  }
  const delta = value - base;
  const percent = points || base === 0 ? null : (delta / Math.abs(base)) * 100;
  const shown = points ? delta : percent;
  const negligible = delta === 0 || (shown !== null && Math.abs(shown) < ROUNDS_TO_ZERO) || (shown === null && Math.abs(delta) < Number.EPSILON);
  if (negligible || options.withinNoise) return { direction: 'unchanged', delta, percent, points };
  if (!options.direction) return { direction: 'changed', delta, percent, points };
  const better = options.direction === 'higher-is-better' ? delta > 0 : delta < 0;
  return { direction: better ? 'better' : 'worse', delta, percent, points };
}

const MINUS = '−';

function digitsFor(abs: number): number {
  return abs >= 100 ? 0 : abs >= 0.1 ? 1 : 2;
}

/** A relative change, the same rounding everywhere: `+2.3%`, `−0.05%`, `+102%`. */
export function formatPercent(percent: number): string {
  const abs = Math.abs(percent);
  const text = abs.toFixed(digitsFor(abs));
  if (Number(text) === 0) return '±0%';
  return `${percent > 0 ? '+' : MINUS}${text}%`;
}

/** A change of a percentage, in percentage points: `−1.3 pp`. */
export function formatPoints(points: number): string {
  const abs = Math.abs(points);
  const text = abs.toFixed(digitsFor(abs));
  if (Number(text) === 0) return '±0 pp';
  return `${points > 0 ? '+' : MINUS}${text} pp`;
}

/** An absolute difference in the metric's unit: `+30 kB`, `−2 s`. */
export function formatDifference(delta: number, unit: Unit | null | undefined): string {
  if (unit === 'percent') return formatPoints(delta);
  if (delta === 0) return `±${formatValue(0, unit)}`;
  return `${delta > 0 ? '+' : MINUS}${formatValue(Math.abs(delta), unit)}`;
}

const SHORT_LABEL = 24;

function shortLabel(text: string): string {
  const chars = [...text];
  return chars.length <= SHORT_LABEL ? text : `${chars.slice(0, SHORT_LABEL - 1).join('')}…`;
}

/**
 * The change as the views print it. `short` (tree descriptions, the status bar): `▲ 2.3%`,
 * `▼ 1.3 pp`, `▲ 12 kB` (when the base is 0), `unchanged`, `(was passing)` for a label given its base,
 * `changed`, '' with no baseline.
 * `long` (tooltips, messages): `+30 kB (+2.3%)`, `−1.3 pp`, `unchanged`, `changed`, `no baseline to compare with`.
 */
export function formatChange(change: Change, unit: Unit | null | undefined, style: 'short' | 'long', base?: MetricValue | null): string {
  if (change.direction === 'unknown') return style === 'short' ? '' : CHANGE_WORDS.unknown;
  // A label that changed says what it was ("failing (was passing)"), not "failing changed".
  if (style === 'short' && change.direction === 'changed' && change.delta === null && typeof base === 'string') return l10n.t('(was {0})', shortLabel(base));
  if (change.delta === null || change.direction === 'unchanged') return CHANGE_WORDS[change.direction];
  if (style === 'long') {
    if (change.points) return formatPoints(change.delta);
    const difference = formatDifference(change.delta, unit);
    return change.percent === null ? difference : `${difference} (${formatPercent(change.percent)})`;
  }
  const arrow = change.delta > 0 ? '▲' : '▼';
  const amount = change.points ? formatPoints(change.delta) : change.percent !== null ? formatPercent(change.percent) : formatDifference(change.delta, unit);
  return `${arrow} ${amount.replace(/^[+−±]/, '')}`;
}

/** `245 kB, 2.3% worse than the baseline` — a change as one phrase of a sentence. */
export function describeChange(change: Change, unit: Unit | null | undefined): string {
  switch (change.direction) {
    case 'unknown':
      return CHANGE_WORDS.unknown;
    case 'unchanged':
      return l10n.t('unchanged from the baseline');
    case 'changed':
      return change.delta === null ? l10n.t('changed from the baseline') : l10n.t('{0} against the baseline', formatChange(change, unit, 'long'));
    case 'better':
    case 'worse':
      return l10n.t('{0} against the baseline, {1}', formatChange(change, unit, 'long'), CHANGE_WORDS[change.direction]);
  }
}

/** What started a run, one word each, the same in the tree, the report and the CLI. */
export const EVENT_WORDS: Record<RunEvent, string> = words({
  manual: () => l10n.t('manual'),
  save: () => l10n.t('on save'),
  ci: () => l10n.t('CI'),
  import: () => l10n.t('imported'),
  backfill: () => l10n.t('backfilled'),
});

/** What started a run as the start of a sentence: `Backfilled, on main @ abc1234`. */
export const EVENT_SENTENCE: Record<RunEvent, string> = words({
  manual: () => l10n.t('Run by hand'),
  save: () => l10n.t('Run on save'),
  ci: () => l10n.t('Run in CI'),
  import: () => l10n.t('Imported'),
  backfill: () => l10n.t('Backfilled'),
});

export interface Origin {
  /** A few words for a tree description or a chart tooltip: `on save`, `CI · team`, `teammate · manual`. */
  short: string;
  /** A sentence part for tooltips: `a CI run, from the team's history (git notes)`. */
  long: string;
}

/** Where a run came from: its event (what started it) and its source (this machine, the team's notes, an imported file). */
export function originOf(build: { event: RunEvent; source?: RunSource | null }): Origin {
  const event = EVENT_WORDS[build.event] ?? build.event;
  switch (build.source ?? 'local') {
    case 'notes':
      return build.event === 'ci'
        ? { short: l10n.t('CI · team'), long: l10n.t("a CI run, from the team's history (git notes)") }
        : { short: l10n.t('teammate · {0}', event), long: TEAMMATE_RUN[build.event] ?? TEAMMATE_RUN.manual };
    case 'import':
      return build.event === 'import'
        ? { short: EVENT_WORDS.import, long: l10n.t('an imported run') }
        : { short: l10n.t('imported · {0}', event), long: l10n.t('an imported run (first recorded: {0})', event) };
    default:
      return build.event === 'ci'
        ? { short: l10n.t('CI · here'), long: l10n.t('a CI run recorded on this machine') }
        : { short: event, long: LOCAL_RUN[build.event] ?? LOCAL_RUN.manual };
  }
}

/** Whole sentences, one per event, so that a translation can make its words agree. */
const LOCAL_RUN: Record<RunEvent, string> = words({
  manual: () => l10n.t('a run by hand on this machine'),
  save: () => l10n.t('a run on save on this machine'),
  ci: () => l10n.t('a CI run recorded on this machine'),
  import: () => l10n.t('an imported run'),
  backfill: () => l10n.t('a backfilled run on this machine'),
});

const TEAMMATE_RUN: Record<RunEvent, string> = words({
  manual: () => l10n.t("a teammate's run by hand, from the team's history (git notes)"),
  save: () => l10n.t("a teammate's run on save, from the team's history (git notes)"),
  ci: () => l10n.t("a CI run, from the team's history (git notes)"),
  import: () => l10n.t("a teammate's imported run, from the team's history (git notes)"),
  backfill: () => l10n.t("a teammate's backfilled run, from the team's history (git notes)"),
});

/**
 * How a word of each channel looks on every surface: a codicon and, for the icon only, a VS Code
 * theme colour id (the tree uses it as a ThemeColor, the report as `--vscode-<id>`); the text
 * stays in the normal foreground so it keeps its contrast in every theme. Only a judgement's
 * warn / fail and a failed collection use warning or error colours; a direction never does.
 */
export interface Look {
  icon: string;
  color?: string;
  text: string;
}

/** The editor views' collection status: `stale` when the value predates HEAD or the metric's definition. */
export type ViewCollectionStatus = CollectionStatus | 'stale';

export const COLLECTION_LOOK: Record<ViewCollectionStatus, Look> = {
  ok: look('circle-filled', 'testing.iconPassed', () => COLLECTION_WORDS.ok),
  failed: look('error', 'testing.iconFailed', () => COLLECTION_WORDS.failed),
  timeout: look('watch', 'testing.iconFailed', () => COLLECTION_WORDS.timeout),
  'invalid-output': look('warning', 'testing.iconErrored', () => COLLECTION_WORDS['invalid-output']),
  cancelled: look('circle-slash', 'testing.iconSkipped', () => COLLECTION_WORDS.cancelled),
  'never-run': look('circle-outline', undefined, () => COLLECTION_WORDS['never-run']),
  stale: look('history', 'disabledForeground', () => l10n.t('outdated')),
};

export const JUDGEMENT_LOOK: Record<Judgement, Look> = {
  pass: look('pass', 'testing.iconPassed', () => JUDGEMENT_WORDS.pass),
  warn: look('warning', 'list.warningForeground', () => JUDGEMENT_WORDS.warn),
  fail: look('error', 'list.errorForeground', () => JUDGEMENT_WORDS.fail),
  unknown: look('question', undefined, () => JUDGEMENT_WORDS.unknown),
};

/** A change's look: an arrow for a numeric change (green only when better), a dash when unchanged. */
export function changeLook(change: Change): Look {
  const text = CHANGE_WORDS[change.direction];
  switch (change.direction) {
    case 'unknown':
      return { icon: 'circle-small', text };
    case 'unchanged':
      return { icon: 'dash', text };
    default:
      if (change.delta === null) return { icon: 'diff-modified', text };
      return { icon: change.delta > 0 ? 'arrow-up' : 'arrow-down', ...(change.direction === 'better' && { color: 'charts.green' }), text };
  }
}

/** A change in one phrase for a table cell or a tile: `+30 kB (+2.3%), worse`, `−1.3 pp, better`, `unchanged`. */
export function changePhrase(change: Change, unit: Unit | null | undefined): string {
  const amount = formatChange(change, unit, 'long');
  return change.delta !== null && (change.direction === 'better' || change.direction === 'worse') ? l10n.t('{0}, {1}', amount, CHANGE_WORDS[change.direction]) : amount;
}

/** Metric ids in the order tidemark.json lists them (unknown ids last, in their given order). */
export function inConfigOrder<T>(items: readonly T[], id: (item: T) => string, configOrder: readonly string[]): T[] {
  const rank = new Map(configOrder.map((m, i) => [m, i]));
  return items
    .map((item, i) => ({ item, i, r: rank.get(id(item)) ?? configOrder.length + i }))
    .sort((a, b) => a.r - b.r)
    .map((x) => x.item);
}
