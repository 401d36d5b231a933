/** Times as people read them in tooltips and descriptions. Pure. */
import { relativeTime as inLanguage } from '../../shared/relativeTime';
import { language } from './l10n';

/** "10 minutes ago", "yesterday", "now" in VS Code's display language (Intl.RelativeTimeFormat). */
export function relativeTime(iso: string, now: Date): string {
  return inLanguage(iso, now, language());
}

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
