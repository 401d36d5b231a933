/**
 * How a metric's verdict (the analysis engine's pass / warn / fail) looks in the tree, the
 * status bar and their tooltips. Pure (no vscode import) so it is unit tested directly.
 */
import type { CheckStatus } from '../../core/analysis/checks';
import { escapeMarkdown } from '../common/markdown';

/** What the views need of a MetricEvaluation: its worst status and every rule's explanation. */
export interface MetricVerdict {
  status: CheckStatus;
  checks: readonly { rule: string; status: CheckStatus; explanation: string }[];
}

/** The verdicts the views change their look for; pass and unknown keep today's look. */
export type Alarm = 'warn' | 'fail';

export function alarmOf(verdict: MetricVerdict | undefined): Alarm | undefined {
  return verdict?.status === 'fail' || verdict?.status === 'warn' ? verdict.status : undefined;
}

export const ALARM_ICON: Record<Alarm, { id: string; color: string }> = {
  warn: { id: 'warning', color: 'list.warningForeground' },
  fail: { id: 'error', color: 'list.errorForeground' },
};

export const ALARM_STATUS_BAR_BACKGROUND = {
  warn: 'statusBarItem.warningBackground',
  fail: 'statusBarItem.errorBackground',
} as const satisfies Record<Alarm, string>;

/** A short word for tree descriptions and accessibility labels. */
export const ALARM_TEXT: Record<Alarm, string> = { warn: 'warning', fail: 'regression' };

/** The checks a user must read: the failing ones first, then the warnings. */
export function alarmingChecks(verdict: MetricVerdict | undefined): MetricVerdict['checks'] {
  if (!verdict) return [];
  const rank = (s: CheckStatus) => (s === 'fail' ? 0 : 1);
  return verdict.checks.filter((c) => c.status === 'fail' || c.status === 'warn').sort((a, b) => rank(a.status) - rank(b.status));
}

/** One line per failing or warning rule (the Problems panel's message, plain text). */
export function alarmText(verdict: MetricVerdict | undefined): string {
  return alarmingChecks(verdict)
    .map((c) => c.explanation)
    .join('\n');
}

/** Tooltip lines (markdown, escaped): the verdict and the explanation of each rule it broke. */
export function verdictTooltipLines(verdict: MetricVerdict | undefined): string[] {
  if (!verdict || verdict.checks.length === 0) return [];
  const alarm = alarmOf(verdict);
  if (!alarm) {
    const judged = verdict.checks.filter((c) => c.status !== 'unknown').length;
    return ['', verdict.status === 'pass' ? `Rules: all ${judged} passed.` : `Rules: not judged (${escapeMarkdown(verdict.checks.map((c) => c.explanation).join('; '))}).`];
  }
  const lines = ['', `Rules: **${alarm === 'fail' ? 'failed' : 'warning'}**`, ''];
  for (const c of alarmingChecks(verdict)) lines.push(`- ${c.status} ${escapeMarkdown(c.rule)}: ${escapeMarkdown(c.explanation)}`);
  return lines;
}
