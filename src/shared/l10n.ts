/**
 * Localised text for the code that cannot import vscode: src/core (the status vocabulary the CLI,
 * the report and the editor share) and the pure view models under src/extension (unit tested
 * without VS Code). `l10n.t` has vscode.l10n.t's signature and placeholders (`{0}`, or `{name}`
 * with one record argument); the extension's activation installs VS Code's translator
 * (`useTranslator(vscode.l10n.t)`), and everywhere else (the CLI, the report, unit tests) it fills
 * the English message's placeholders itself. Call it when the text is needed, never at module load
 * (that runs before activation). `npm run l10n` gathers every `l10n.t` / `vscode.l10n.t` message
 * under src/ into l10n/bundle.l10n.json, the file translators start from.
 */

export type L10nArg = string | number | boolean;

export interface Translate {
  (message: string, ...args: L10nArg[]): string;
  (message: string, args: Record<string, L10nArg>): string;
}

/** Fills `{0}` / `{name}` as vscode.l10n.t does; an unknown placeholder stays as written. */
export function formatMessage(message: string, args: readonly L10nArg[] | Record<string, L10nArg>): string {
  return message.replace(/\{([^{}]+)\}/g, (whole, key: string) => {
    const value = isList(args) ? (/^\d+$/.test(key) ? args[Number(key)] : undefined) : args[key];
    return value === undefined ? whole : String(value);
  });
}

function isList(args: readonly L10nArg[] | Record<string, L10nArg>): args is readonly L10nArg[] {
  return Array.isArray(args);
}

/**
 * A translator from a bundle (English message → translation, as VS Code's l10n bundles are):
 * the translation, or the English message when the bundle lacks it, with its placeholders filled.
 */
export function translatorFrom(bundle: Readonly<Record<string, string>>): Translate {
  return ((message: string, ...args: [Record<string, L10nArg>] | L10nArg[]) =>
    formatMessage(Object.hasOwn(bundle, message) ? bundle[message] : message, args.length === 1 && typeof args[0] === 'object' ? args[0] : (args as L10nArg[]))) as Translate;
}

const english: Translate = translatorFrom({});

let translate: Translate = english;

/** Activation: translate with VS Code's `vscode.l10n.t` (the bundle of the display language). */
export function useTranslator(translator: Translate | undefined): void {
  translate = translator ?? english;
}

export const l10n: { t: Translate } = {
  t: ((message: string, ...args: L10nArg[]) => translate(message, ...args)) as Translate,
};

let displayLanguage = 'en';

/** The display language's tag (vscode.env.language at runtime), for the Intl formatters. */
export function language(): string {
  return displayLanguage;
}

/** Activation: the display language the Intl formatters use (`vscode.env.language`). */
export function useLanguage(tag: string | undefined): void {
  try {
    displayLanguage = tag ? (Intl.getCanonicalLocales(tag)[0] ?? 'en') : 'en';
  } catch {
    displayLanguage = 'en';
  }
}

/**
 * A count with its noun, the message chosen by the display language's plural rule
 * (Intl.PluralRules): `plural(n, l10n.t('{0} run', n), l10n.t('{0} runs', n))`. Languages with
 * more categories than one/other translate the `other` message with the count in it.
 */
export function plural(count: number, one: string, other: string): string {
  return new Intl.PluralRules(displayLanguage).select(count) === 'one' ? one : other;
}

/** "a, b and c" in the display language (Intl.ListFormat). */
export function list(items: readonly string[], type: 'conjunction' | 'disjunction' = 'conjunction'): string {
  return new Intl.ListFormat(displayLanguage, { style: 'long', type }).format(items);
}
