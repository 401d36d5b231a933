/**
 * "10 minutes ago", "yesterday", "now" — or "in 5 minutes" for a clock that runs ahead — in
 * the given language: Intl.RelativeTimeFormat says it, this only picks the unit (with the usual
 * rounding: 45 minutes read "1 hour ago", 22 hours "yesterday"). Pure; shared by the editor's
 * views (VS Code's display language) and the report panel.
 */
export function relativeTime(iso: string, now: Date | number, locale = 'en'): string {
  const then = Date.parse(iso);
  const at = typeof now === 'number' ? now : now.getTime();
  if (!Number.isFinite(then) || !Number.isFinite(at)) return iso;
  const format = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  const seconds = (then - at) / 1000;
  const sign = seconds < 0 ? -1 : 1;
  const minutes = Math.abs(seconds) / 60;
  const hours = minutes / 60;
  const days = hours / 24;
  const say = (amount: number, unit: Intl.RelativeTimeFormatUnit) => format.format(sign * Math.max(1, Math.round(amount)), unit);
  if (Math.abs(seconds) < 45) return format.format(0, 'second');
  if (minutes < 45) return say(minutes, 'minute');
  if (hours < 22) return say(hours, 'hour');
  if (days < 26) return say(days, 'day');
  if (days < 320) return say(days / 30.44, 'month');
  return say(days / 365.25, 'year');
}
