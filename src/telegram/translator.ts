import { fileURLToPath } from 'node:url';
import { I18n } from '@grammyjs/i18n';
import type { Context } from 'grammy';

export const LOCALES = ['uk', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export type Translate = (key: string, variables?: Record<string, string | number>) => string;

/** The Fluent files in locales/ (found from this file, so it works from src/ and dist/ alike). */
export const LOCALES_DIRECTORY = fileURLToPath(new URL('../../locales', import.meta.url));

export function createI18n<C extends Context>(options: { localeNegotiator?: (ctx: C) => string | undefined } = {}): I18n<C> {
  return new I18n<C>({
    defaultLocale: 'uk',
    directory: LOCALES_DIRECTORY,
    fluentBundleOptions: { useIsolating: false },
    ...(options.localeNegotiator ? { localeNegotiator: options.localeNegotiator } : {}),
  });
}

export function asLocale(value: string | null | undefined): Locale {
  return value === 'en' ? 'en' : value?.startsWith('en') ? 'en' : 'uk';
}

/** Where translations come from (an I18n instance of any context type). */
export interface TranslationSource {
  t(locale: string, key: string, variables?: Record<string, string | number>): string;
}

/** A translate function bound to one locale, for text built outside an update (alerts). */
export function translatorFor(i18n: TranslationSource, locale: Locale): Translate {
  return (key, variables) => i18n.t(locale, key, variables);
}
