import type { StorageAdapter } from 'grammy';
import type { Logger } from '../../../logger.js';
import { isLocale, type Locale } from '../../../i18n/translator.js';

/**
 * The language a person chose, kept past their last subscription: the subscriber's row goes
 * with their last place (nothing else about them is kept), but someone who left and comes back
 * with a new invite, or writes in meanwhile, is answered in the language they picked. Kept in the
 * bot's key-value store (bot_sessions) under "lang:<user id>".
 */
export class LanguageMemory {
  constructor(
    private readonly storage: StorageAdapter<Locale>,
    private readonly logger: Pick<Logger, 'warn'>,
  ) {}

  /** Remembers the choice; a failed write only costs the memory, never the answer in hand. */
  async remember(userId: number, language: Locale): Promise<void> {
    try {
      await this.storage.write(keyOf(userId), language);
    } catch (error) {
      this.logger.warn({ err: error, userId }, 'could not remember a chosen language; it still applies while the person follows a place');
    }
  }

  /** The language this person last chose, when known. */
  async recall(userId: number): Promise<Locale | undefined> {
    try {
      const value = await this.storage.read(keyOf(userId));
      return isLocale(value) ? value : undefined;
    } catch (error) {
      this.logger.warn({ err: error, userId }, 'could not read a remembered language; using their Telegram language');
      return undefined;
    }
  }
}

const keyOf = (userId: number) => `lang:${userId}`;
