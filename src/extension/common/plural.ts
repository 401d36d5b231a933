const english = new Intl.PluralRules('en');

/**
 * `1 folder`, `3 folders` for the log, which stays English (what users see goes through
 * l10n.ts's `plural` with translated messages). Both forms are spelled out: no suffix rules.
 */
export function countOf(count: number, one: string, other: string): string {
  return `${count} ${english.select(count) === 'one' ? one : other}`;
}
