/**
 * The page's language: installs the host's translations (VS Code's bundle for the display
 * language) into the l10n bridge before anything is rendered, so every `l10n.t` of the views and
 * of the shared code they call answers in that language. No translations (the exported file, an
 * English VS Code): the English messages with their placeholders filled.
 */
import type { ReportL10n } from '../src/shared/protocol';
import { language, translatorFrom, useLanguage, useTranslator } from '../src/shared/l10n';

export function installTranslations(l10n: ReportL10n | undefined): void {
  useLanguage(l10n?.language);
  useTranslator(l10n?.bundle ? translatorFrom(l10n.bundle) : undefined);
  document.documentElement.lang = language();
}

