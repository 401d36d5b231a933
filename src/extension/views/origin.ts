/**
 * Where a run came from, in words the tree, status bar and report tooltips share: its event
 * (what started it) and its source (this machine, the team's notes, an imported file). Pure.
 */
import type { BuildRecord, RunEvent } from '../../core/types';
import { l10n } from '../common/l10n';

/** The event in a word or two (`on save`); called per use so the display language applies. */
function eventText(event: RunEvent): string {
  switch (event) {
    case 'manual':
      return l10n.t('manual');
    case 'save':
      return l10n.t('on save');
    case 'ci':
      return l10n.t('CI');
    case 'import':
      return l10n.t('imported');
    case 'backfill':
      return l10n.t('history');
    default:
      return event;
  }
}

/** `a manual run on this machine`: whole sentences per event, so a translation need not guess articles. */
function localRunText(event: RunEvent): string {
  switch (event) {
    case 'manual':
      return l10n.t('a manual run on this machine');
    case 'save':
      return l10n.t('an on save run on this machine');
    case 'import':
      return l10n.t('an imported run on this machine');
    case 'backfill':
      return l10n.t('a history run on this machine');
    default:
      return l10n.t('a {0} run on this machine', eventText(event));
  }
}

export interface Origin {
  /** A few words for a tree description: `on save`, `CI · team`, `teammate · manual`. */
  short: string;
  /** A sentence part for tooltips: `a CI run, from the team's history (git notes)`. */
  long: string;
}

export function originOf(build: Pick<BuildRecord, 'event' | 'source'>): Origin {
  const event = eventText(build.event);
  switch (build.source ?? 'local') {
    case 'notes':
      return build.event === 'ci'
        ? { short: l10n.t('CI · team'), long: l10n.t("a CI run, from the team's history (git notes)") }
        : { short: l10n.t('teammate · {0}', event), long: l10n.t("a teammate's {0} run, from the team's history (git notes)", event) };
    case 'import':
      return build.event === 'import'
        ? { short: l10n.t('imported'), long: l10n.t('an imported run') }
        : { short: l10n.t('imported · {0}', event), long: l10n.t('an imported {0} run', event) };
    default:
      return build.event === 'ci'
        ? { short: l10n.t('CI · here'), long: l10n.t('a CI run recorded on this machine') }
        : { short: event, long: localRunText(build.event) };
  }
}
