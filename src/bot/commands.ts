import type { Api } from 'grammy';
import type { BotCommand } from 'grammy/types';
import { DEFAULT_LOCALE, LOCALES, type Locale, type TranslationSource } from '../telegram/translator.js';

/** The commands shown in Telegram's menu, in this order; descriptions are `cmd-<name>` in locales/. */
export const ADMIN_COMMANDS = ['locations', 'add', 'stats', 'diagram', 'export', 'backup', 'admins', 'language', 'help', 'cancel'] as const;

export function commandList(translations: TranslationSource, locale: Locale): BotCommand[] {
  return ADMIN_COMMANDS.map((command) => ({ command, description: translations.t(locale, `cmd-${command}`) }));
}

/** Registers the command menu for clients in each of our languages, and the default one for everyone else. */
export async function registerCommands(api: Api, translations: TranslationSource): Promise<void> {
  await api.setMyCommands(commandList(translations, DEFAULT_LOCALE));
  for (const locale of LOCALES) await api.setMyCommands(commandList(translations, locale), { language_code: locale });
}
