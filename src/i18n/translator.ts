import { fileURLToPath } from 'node:url';
import { I18n } from '@grammyjs/i18n';
import type { Context } from 'grammy';

/**
 * The languages of the service, the one list: each has its `locales/<code>.ftl` with every text
 * (bot, channel posts, diagram). Ukrainian comes first and is the default.
 */
export const LOCALES = ['uk', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'uk';

export type Translate = (key: string, variables?: Record<string, string | number>) => string;

/**
 * The Fluent files in locales/, found from this file: src/i18n/ under tsx and dist/i18n/
 * when compiled both sit two levels below the project root, where the Docker image keeps locales/
 * too. So the main thread and the worker threads load the same files.
 */
export const LOCALES_DIRECTORY = fileURLToPath(new URL('../../locales', import.meta.url));

/**
 * Loads the translations. The service makes one (src/app/telegram-parts.ts) and shares it: the bot's i18n middleware,
 * conversations, alerts. A worker thread, which shares nothing, makes its own.
 */
export function createI18n<C extends Context>(options: { localeNegotiator?: (ctx: C) => string | undefined } = {}): I18n<C> {
  return new I18n<C>({
    defaultLocale: DEFAULT_LOCALE,
    directory: LOCALES_DIRECTORY,
    fluentBundleOptions: { useIsolating: false },
    ...(options.localeNegotiator ? { localeNegotiator: options.localeNegotiator } : {}),
  });
}

export function isLocale(value: unknown): value is Locale {
  return (LOCALES as readonly unknown[]).includes(value);
}

/** A language tag ("en", "en-GB", a stored choice) as one of ours; anything else is the default. */
export function asLocale(value: string | null | undefined): Locale {
  const language = value?.trim().toLowerCase().split(/[-_]/)[0];
  return isLocale(language) ? language : DEFAULT_LOCALE;
}

/** Where translations come from (an I18n instance of any context type). */
export interface TranslationSource {
  t(locale: string, key: string, variables?: Record<string, string | number>): string;
}

/**
 * The way to get a translator outside an update's `ctx.t`: alerts, conversations, the diagram.
 * Bound to one locale.
 */
export function translatorFor(i18n: TranslationSource, locale: Locale): Translate {
  return (key, variables) => i18n.t(locale, key, variables);
}
