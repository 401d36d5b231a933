/**
 * The page's language: installs the host's translations (VS Code's bundle for the display
 * language) into the l10n bridge before anything is rendered, so every `l10n.t` of the views and
 * of the shared code they call answers in that language. No translations (the exported file, an
 * English VS Code): the English messages with their placeholders filled.
 */
import type { ReportL10n } from '../src/shared/protocol';
import { formatMessage, language, useLanguage, useTranslator, type L10nArg, type Translate } from '../src/shared/l10n';

export function installTranslations(l10n: ReportL10n | undefined): void {
  useLanguage(l10n?.language);
  useTranslator(l10n?.bundle ? translatorFrom(l10n.bundle) : undefined);
  document.documentElement.lang = language();
}

/** Looks the English message up in the bundle (missing: the English one) and fills its placeholders. */
export function translatorFrom(bundle: Readonly<Record<string, string>>): Translate {
  return ((message: string, ...args: [Record<string, L10nArg>] | L10nArg[]) => {
    const translated = Object.hasOwn(bundle, message) ? bundle[message] : message;
    return formatMessage(translated, args.length === 1 && typeof args[0] === 'object' ? args[0] : (args as L10nArg[]));
  }) as Translate;
}
