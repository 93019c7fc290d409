import type { Context } from 'grammy';
import type { I18nFlavor } from '@grammyjs/i18n';
import type { ConversationFlavor } from '@grammyjs/conversations';

/** The context every bot handler outside a conversation sees. */
export type BotContext = ConversationFlavor<Context & I18nFlavor>;

/**
 * The context inside a conversation. Conversations replay from the top on every update, so they
 * get a plain context: texts come from a translator fixed when the conversation starts, and
 * services are reached through `conversation.external()`.
 */
export type FlowContext = Context;
