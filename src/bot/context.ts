import type { Context } from 'grammy';
import type { I18nFlavor } from '@grammyjs/i18n';

/** The context every bot handler sees. */
export type BotContext = Context & I18nFlavor;
