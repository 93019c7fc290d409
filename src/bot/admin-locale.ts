import type { User } from 'grammy/types';
import { asLocale, type Locale } from '../i18n/translator.js';
import type { AdminStore } from '../admins/admin-store.js';

/** The language of an admin's chat: their own choice (/language) first, then their Telegram client's. */
export async function adminLocale(admins: Pick<AdminStore, 'languageOf'>, user: Pick<User, 'id' | 'language_code'> | undefined): Promise<Locale> {
  const chosen = user ? await admins.languageOf(user.id) : null;
  return asLocale(chosen ?? user?.language_code);
}
