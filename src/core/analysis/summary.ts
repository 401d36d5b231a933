/**
 * An Evaluation written for people (terminal text, Markdown for CI job summaries and PR
 * comments) and for machines (a flat JSON list of every rule). Branch names, labels and
 * messages come from users and repositories, so Markdown output escapes them.
 */
import { formatValue } from '../units';
import type { MetricValue } from '../types';
import type { CheckStatus } from './checks';
import type { Evaluation, MetricEvaluation } from './evaluate';
import type { PartChange } from '../store/parts';
import { partsLine } from './parts';
import { shortSha } from './baseline';
import { CHANGE_WORDS, changePhrase, compareValues, JUDGEMENT_WORDS, withinNoise, type Change, type Judgement } from './vocabulary';

export interface RuleReport {
  metric: string;
  rule: string;
  status: CheckStatus;
  severity: 'warn' | 'fail';
  value: number | null;
  limit: number | null;
  lower: number | null;
  upper: number | null;
  baseline: { commitSha: string; branch: string; timestamp: string; method: string; value: MetricValue } | null;
  explanation: string;
}

/** A metric in the JSON report: the evaluation plus the status language's words (the same as the tree and the report). */
export type MetricReport = MetricEvaluation & {
  /** The direction of change against the baseline ("unchanged" within noise) and its text. */
  change: Change & { text: string };
  /** The judgement of the metric's thresholds in words; `unknown` "not judged" without rules. */
  judgement: { status: Judgement; text: string };
};

export interface CheckReport {
  status: CheckStatus;
  /** What is compared, in words: `abc1234 on feature against main`. */
  compared: string;
  exitCode: number;
  head: Evaluation['head'];
  referenceBranch: string | null;
  mergeBase: string | null;
  counts: Evaluation['counts'];
  rules: RuleReport[];
  metrics: MetricReport[];
}

/** The metric's change as every surface computes it: "unchanged" within a passing statistical rule's noise. */
export function metricChange(m: MetricEvaluation): Change {
  return compareValues(m.value, m.baseline?.value ?? null, { unit: m.unit, direction: m.direction, withinNoise: withinNoise(m.checks) });
}

/** The gate: any broken `fail` rule fails the check. */
export function exitCodeOf(e: Evaluation): number {
  return e.counts.fail > 0 ? 1 : 0;
}

export function toCheckReport(e: Evaluation): CheckReport {
  const rules: RuleReport[] = [];
  for (const m of e.metrics) {
    const baseline = m.baseline
      ? { commitSha: m.baseline.build.commitSha, branch: m.baseline.build.branch, timestamp: m.baseline.build.timestamp, method: m.baseline.method, value: m.baseline.value }
      : null;
    for (const c of m.checks) {
      rules.push({ metric: m.metric, rule: c.rule, status: c.status, severity: c.severity, value: c.value, limit: c.limit, lower: c.lower, upper: c.upper, baseline, explanation: c.explanation });
    }
  }
  return {
    status: e.status,
    compared: comparedLine(e),
    exitCode: exitCodeOf(e),
    head: e.head,
    referenceBranch: e.referenceBranch,
    mergeBase: e.mergeBase,
    counts: e.counts,
    rules,
    metrics: e.metrics.map((m) => {
      const change = metricChange(m);
      return { ...m, change: { ...change, text: changeText(m) || CHANGE_WORDS.unknown }, judgement: { status: m.status, text: JUDGEMENT_WORDS[m.status] } };
    }),
  };
}

/** The judgements counted, in the judgement's own words (never "failed", which is a collection status). */
function countsLine(e: Evaluation): string {
  const { fail, warn, pass, unknown } = e.counts;
  const parts = [`${fail} fail`, `${warn} warn`, `${pass} pass`];
  if (unknown) parts.push(`${unknown} not judged`);
  return parts.join(', ');
}

function headLine(e: Evaluation): string {
  const sha = e.head.commitSha ? shortSha(e.head.commitSha) : 'no commit';
  const dirty = e.head.build?.dirty ? ', uncommitted changes' : '';
  return `${sha} on ${e.head.branch ?? 'detached HEAD'}${dirty}`;
}

/** `abc1234 on feature against main`: what `check` compares, in words. */
function comparedLine(e: Evaluation): string {
  return `${headLine(e)} against ${e.referenceBranch ?? 'no reference branch'}`;
}

/** The change in the vocabulary's words and rounding: `+110 kB (+9.2%), worse`, `−1.3 pp, better`, `unchanged`; '' without a baseline. */
function changeText(m: MetricEvaluation): string {
  const change = metricChange(m);
  return change.direction === 'unknown' ? '' : changePhrase(change, m.unit);
}

const TEXT_MARK: Record<CheckStatus, string> = { fail: '✗', warn: '!', pass: '✓', unknown: '?' };

/** Terminal output: one line per metric, one indented line per rule. */
export function renderText(e: Evaluation): string {
  const lines = [`tidemark check: ${comparedLine(e)}`];
  for (const m of e.metrics) {
    const base = m.baseline ? `baseline ${formatValue(m.baseline.value, m.unit)} at ${shortSha(m.baseline.build.commitSha)} (${m.baseline.method})` : CHANGE_WORDS.unknown;
    const change = changeText(m);
    const judged = m.checks.length ? `  ${JUDGEMENT_WORDS[m.status]}` : '';
    lines.push(`${m.checks.length ? TEXT_MARK[m.status] : '·'} ${m.metric}  ${formatValue(m.value, m.unit)}  ${base}${change ? `  ${change}` : ''}${judged}`);
    for (const c of m.checks) lines.push(`    ${c.status.padEnd(7)} ${c.rule}: ${c.explanation}`);
    if (!m.baseline && m.baselineMissing && m.checks.length === 0) lines.push(`    ${m.baselineMissing}`);
  }
  lines.push(`${countsLine(e)}: ${e.counts.fail > 0 ? 'FAILED' : 'ok'}`);
  return lines.join('\n');
}

/** U+2060 WORD JOINER: invisible, and it breaks GitHub's mention, reference and autolink detection. */
const JOINER = '\u2060';

/**
 * Escapes text for Markdown (also inside table cells) so user data cannot format or inject
 * HTML, and cannot ping or link either: `@org/team` mentions, `#123` / `org/repo#1` references,
 * e-mail addresses and bare URLs (`https://`, `www.`) get an invisible word joiner that keeps
 * them readable but inert in CI summaries and PR comments.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[@#]/g, `$&${JOINER}`)
    .replace(/:\/\//g, `:${JOINER}//`)
    .replace(/\bwww\./gi, (m) => `${m.slice(0, 3)}${JOINER}.`)
    .replace(/[\\`*_{}[\]()#+\-.!|~]/g, '\\$&')
    .replace(/\r?\n/g, ' ');
}

const MD_MARK: Record<CheckStatus, string> = { fail: '❌ fail', warn: '⚠️ warn', pass: '✅ pass', unknown: '❔ not judged' };

/** A CI job summary or PR comment: a table of metrics and the explanation of every rule. */
export function renderMarkdown(e: Evaluation, parts?: ReadonlyMap<string, readonly PartChange[]>): string {
  const md = escapeMarkdown;
  const title = e.counts.fail > 0 ? '❌ Tidemark check failed' : e.counts.warn > 0 ? '⚠️ Tidemark check passed with warnings' : '✅ Tidemark check passed';
  const out = [`### ${title}`, '', `${md(comparedLine(e))}: ${countsLine(e)}.`, ''];
  out.push('| Metric | Value | Baseline | Change | Thresholds |', '| --- | --- | --- | --- | --- |');
  for (const m of e.metrics) {
    const base = m.baseline
      ? `${md(formatValue(m.baseline.value, m.unit))} at \`${shortSha(m.baseline.build.commitSha)}\` (${md(m.baseline.method)})`
      : 'none yet';
    out.push(`| ${md(m.name ?? m.metric)} | ${md(formatValue(m.value, m.unit))} | ${base} | ${md(changeText(m)) || '—'} | ${m.checks.length ? MD_MARK[m.status] : 'no thresholds'} |`);
  }
  const moved = e.metrics.filter((m) => parts?.get(m.metric)?.length).map((m) => `- ${md(partsLine(m.name ?? m.metric, m.delta, m.unit, parts!.get(m.metric), 3))}`);
  if (moved.length) out.push('', '<details open><summary>What moved</summary>', '', ...moved, '', '</details>');
  const rules = e.metrics.flatMap((m) => m.checks.map((c) => `- ${MD_MARK[c.status]} **${md(m.metric)}** \`${c.rule}\`: ${md(c.explanation)}`));
  if (rules.length) out.push('', '<details open><summary>Rules</summary>', '', ...rules, '', '</details>');
  const baselines = e.metrics.filter((m) => m.baseline).map((m) => `- **${md(m.metric)}**: ${md(m.baseline!.explanation)}`);
  if (baselines.length) out.push('', '<details><summary>Baselines</summary>', '', ...baselines, '', '</details>');
  return `${out.join('\n')}\n`;
}
