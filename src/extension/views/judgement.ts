/**
 * How a metric's judgement (its threshold rules: pass / warn / fail / unknown, see
 * src/core/analysis/vocabulary.ts) looks in the tree, the status bar and the Problems entries.
 * Only a warn or fail changes the look; a change without a threshold never does.
 * Pure (no vscode import) so it is unit tested directly.
 */
import type { CheckStatus } from '../../core/analysis/checks';
import { alarmOf as alarmOfJudgement, JUDGEMENT_LOOK, JUDGEMENT_WORDS, withinNoise as withinNoiseOf, type Alarm } from '../../core/analysis/vocabulary';
import { escapeMarkdown } from '../common/markdown';
import { l10n, plural } from '../../shared/l10n';

export type { Alarm } from '../../core/analysis/vocabulary';

/** What the views need of a MetricEvaluation: its worst status and every rule's explanation. */
export interface MetricJudgement {
  status: CheckStatus;
  checks: readonly { rule: string; status: CheckStatus; explanation: string }[];
}

export function alarmOf(judgement: MetricJudgement | undefined): Alarm | undefined {
  return alarmOfJudgement(judgement?.status);
}

/** The value is within the noise a statistical rule measured: its change reads "unchanged". */
export function withinNoise(judgement: MetricJudgement | undefined): boolean {
  return withinNoiseOf(judgement?.checks);
}

export const ALARM_ICON: Record<Alarm, { id: string; color: string }> = {
  warn: { id: JUDGEMENT_LOOK.warn.icon, color: JUDGEMENT_LOOK.warn.color! },
  fail: { id: JUDGEMENT_LOOK.fail.icon, color: JUDGEMENT_LOOK.fail.color! },
};

export const ALARM_STATUS_BAR_BACKGROUND = {
  warn: 'statusBarItem.warningBackground',
  fail: 'statusBarItem.errorBackground',
} as const satisfies Record<Alarm, string>;

/** A short phrase for tree descriptions and accessibility labels. */
export const ALARM_TEXT: Record<Alarm, string> = { warn: JUDGEMENT_WORDS.warn, fail: JUDGEMENT_WORDS.fail };

/** The checks a user must read: the failing ones first, then the warnings. */
export function alarmingChecks(judgement: MetricJudgement | undefined): MetricJudgement['checks'] {
  if (!judgement) return [];
  const rank = (s: CheckStatus) => (s === 'fail' ? 0 : 1);
  return judgement.checks.filter((c) => c.status === 'fail' || c.status === 'warn').sort((a, b) => rank(a.status) - rank(b.status));
}

/** The baseline a rule's explanation names in its closing parentheses: "… +5% (baseline abc1234 = merge-base)". */
const BASELINE_NOTE = /\s*\((baseline [^()]*)\)\s*\.?$/;

/**
 * The Problems panel's entry: one short sentence per failing or warning rule, so it fits one row
 * at VS Code's default width; the baselines they were judged against are returned apart (shown
 * as the entry's related information, and in the tooltips).
 */
export function problemEntry(judgement: MetricJudgement | undefined): { message: string; baselines: string[] } {
  const baselines = new Set<string>();
  const message = alarmingChecks(judgement)
    .map((c) => {
      const note = BASELINE_NOTE.exec(c.explanation);
      if (note) baselines.add(note[1]);
      return sentence(note ? c.explanation.slice(0, note.index) : c.explanation);
    })
    .join('\n');
  return { message, baselines: [...baselines] };
}

function sentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

/** Tooltip lines (markdown, escaped): what the thresholds say, as sentences. */
export function judgementTooltipLines(judgement: MetricJudgement | undefined): string[] {
  if (!judgement || judgement.checks.length === 0) return [];
  const alarm = alarmOf(judgement);
  if (!alarm) {
    const judged = judgement.checks.filter((c) => c.status !== 'unknown');
    if (judgement.status === 'pass') {
      return ['', plural(judged.length, l10n.t('Within its threshold.'), l10n.t('Within its {0} thresholds.', judged.length))];
    }
    return ['', l10n.t('Thresholds not judged: {0}.', escapeMarkdown(judgement.checks.map((c) => c.explanation).join('; ')))];
  }
  const lines = ['', alarm === 'fail' ? `**${l10n.t('Fails a threshold:')}**` : `**${l10n.t('A threshold warns:')}**`, ''];
  for (const c of alarmingChecks(judgement)) lines.push(`- ${escapeMarkdown(sentence(c.explanation))}`);
  return lines;
}
