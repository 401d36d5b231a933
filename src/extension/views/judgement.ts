/**
 * How a metric's judgement (the analysis engine's pass / warn / fail) looks in the tree, the
 * status bar and their tooltips. Pure (no vscode import) so it is unit tested directly.
 */
import type { CheckStatus } from '../../core/analysis/checks';
import { escapeMarkdown } from '../common/markdown';

/** What the views need of a MetricEvaluation: its worst status and every rule's explanation. */
export interface MetricJudgement {
  status: CheckStatus;
  checks: readonly { rule: string; status: CheckStatus; explanation: string }[];
}

/** The judgements the views change their look for; pass and unknown keep today's look. */
export type Alarm = 'warn' | 'fail';

export function alarmOf(judgement: MetricJudgement | undefined): Alarm | undefined {
  return judgement?.status === 'fail' || judgement?.status === 'warn' ? judgement.status : undefined;
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
export function alarmingChecks(judgement: MetricJudgement | undefined): MetricJudgement['checks'] {
  if (!judgement) return [];
  const rank = (s: CheckStatus) => (s === 'fail' ? 0 : 1);
  return judgement.checks.filter((c) => c.status === 'fail' || c.status === 'warn').sort((a, b) => rank(a.status) - rank(b.status));
}

/** One line per failing or warning rule (the Problems panel's message, plain text). */
export function alarmText(judgement: MetricJudgement | undefined): string {
  return alarmingChecks(judgement)
    .map((c) => c.explanation)
    .join('\n');
}

/** Tooltip lines (markdown, escaped): the judgement and the explanation of each rule it broke. */
export function judgementTooltipLines(judgement: MetricJudgement | undefined): string[] {
  if (!judgement || judgement.checks.length === 0) return [];
  const alarm = alarmOf(judgement);
  if (!alarm) {
    const judged = judgement.checks.filter((c) => c.status !== 'unknown').length;
    return ['', judgement.status === 'pass' ? `Rules: all ${judged} passed.` : `Rules: not judged (${escapeMarkdown(judgement.checks.map((c) => c.explanation).join('; '))}).`];
  }
  const lines = ['', `Rules: **${alarm === 'fail' ? 'failed' : 'warning'}**`, ''];
  for (const c of alarmingChecks(judgement)) lines.push(`- ${c.status} ${escapeMarkdown(c.rule)}: ${escapeMarkdown(c.explanation)}`);
  return lines;
}
