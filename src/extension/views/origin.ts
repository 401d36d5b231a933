/**
 * Where a run came from, in words the tree, status bar and report tooltips share: its event
 * (what started it) and its source (this machine, the team's notes, an imported file). Pure.
 */
import type { BuildRecord, RunEvent } from '../../core/types';

const EVENT_TEXT: Record<RunEvent, string> = { manual: 'manual', save: 'on save', ci: 'CI', import: 'imported', backfill: 'history' };

export interface Origin {
  /** A few words for a tree description: `on save`, `CI · team`, `teammate · manual`. */
  short: string;
  /** A sentence part for tooltips: `a CI run, from the team's history (git notes)`. */
  long: string;
}

export function originOf(build: Pick<BuildRecord, 'event' | 'source'>): Origin {
  const event = EVENT_TEXT[build.event] ?? build.event;
  switch (build.source ?? 'local') {
    case 'notes':
      return build.event === 'ci'
        ? { short: 'CI · team', long: "a CI run, from the team's history (git notes)" }
        : { short: `teammate · ${event}`, long: `a teammate's ${event} run, from the team's history (git notes)` };
    case 'import':
      return build.event === 'import' ? { short: 'imported', long: 'an imported run' } : { short: `imported · ${event}`, long: `an imported ${event} run` };
    default:
      return build.event === 'ci'
        ? { short: 'CI · here', long: 'a CI run recorded on this machine' }
        : { short: event, long: `${/^[aeiou]/.test(event) ? 'an' : 'a'} ${event} run on this machine` };
  }
}
