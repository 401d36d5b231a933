/** Times as people read them in tooltips and descriptions. Pure. */
import { relativeTime as inLanguage } from '../../shared/relativeTime';
import { l10n, language } from '../../shared/l10n';

/** "10 minutes ago", "yesterday", "now" in VS Code's display language (Intl.RelativeTimeFormat). */
export function relativeTime(iso: string, now: Date): string {
  return inLanguage(iso, now, language());
}

/**
 * The time as a sentence says it ("Last run {when}"): "just now" for the last 45 seconds (where
 * Intl says "now", which does not read in a sentence: "Last run now"), else as relativeTime.
 */
export function relativeTimeInSentence(iso: string, now: Date): string {
  const age = now.getTime() - Date.parse(iso);
  return Math.abs(age) < JUST_NOW_MS ? l10n.t('just now') : relativeTime(iso, now);
}

/** What relativeTime calls "now" (shared/relativeTime.ts: under 45 seconds). */
const JUST_NOW_MS = 45_000;

/** `2026-11-24 04:12 UTC`: unambiguous whatever the machine's zone. */
export function utcTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
}
