import type { Api } from 'grammy';
import type { BotCommand, BotCommandScope } from 'grammy/types';
import { DEFAULT_LOCALE, LOCALES, type Locale, type TranslationSource } from '../i18n/translator.js';

/**
 * Telegram's menu of commands ("/"), in this order; descriptions are `cmd-<name>` in locales/.
 * Everyone sees a subscriber's commands; each admin's private chat gets the admin commands on top
 * (a chat-scoped list), so a subscriber is never shown /backup or /admins.
 */
export const SUBSCRIBER_COMMANDS = ['start', 'stats', 'settings', 'help'] as const;
export const ADMIN_COMMANDS = ['locations', 'add', 'stats', 'diagram', 'export', 'backup', 'admins', 'settings', 'language', 'help', 'cancel'] as const;

type CommandName = (typeof SUBSCRIBER_COMMANDS)[number] | (typeof ADMIN_COMMANDS)[number];

export function commandList(translations: TranslationSource, locale: Locale, commands: readonly CommandName[] = ADMIN_COMMANDS): BotCommand[] {
  return commands.map((command) => ({ command, description: translations.t(locale, `cmd-${command}`) }));
}

/** One list for a scope: for clients in each of our languages, and the default one for everyone else. */
async function setForScope(api: Api, translations: TranslationSource, commands: readonly CommandName[], scope: BotCommandScope): Promise<void> {
  await api.setMyCommands(commandList(translations, DEFAULT_LOCALE, commands), { scope });
  for (const locale of LOCALES) await api.setMyCommands(commandList(translations, locale, commands), { scope, language_code: locale });
}

const adminScope = (userId: number): BotCommandScope => ({ type: 'chat', chat_id: userId });

/** Registers the menus at start: the subscriber's for everyone, the admin's in each admin's chat. */
export async function registerCommands(api: Api, translations: TranslationSource, adminIds: readonly number[]): Promise<void> {
  await setForScope(api, translations, SUBSCRIBER_COMMANDS, { type: 'default' });
  for (const userId of adminIds) await showAdminCommands(api, translations, userId);
}

/** A new admin's chat gets the admin menu. */
export async function showAdminCommands(api: Api, translations: TranslationSource, userId: number): Promise<void> {
  await setForScope(api, translations, ADMIN_COMMANDS, adminScope(userId));
}

/** A removed admin's chat falls back to the subscriber's menu. */
export async function hideAdminCommands(api: Api, userId: number): Promise<void> {
  const scope = adminScope(userId);
  await api.deleteMyCommands({ scope });
  for (const locale of LOCALES) await api.deleteMyCommands({ scope, language_code: locale });
}
