import { Composer, type Bot } from 'grammy';
import { conversations, createConversation } from '@grammyjs/conversations';
import { adminLocale } from '../admin-locale.js';
import { registerCommands } from '../commands.js';
import type { BotContext, FlowContext } from '../context.js';
import type { BotServices } from '../deps.js';
import { conversationPlugins } from '../parse-mode.js';
import type { ViewOf } from '../views/place-text.js';
import { adminsOnly, claimWithSetupCode } from './access.js';
import { adminCommands } from './commands.js';
import { flowControl } from './flow-control.js';
import { addAdminFlow } from './flows/add-admin.js';
import { addPlaceFlow } from './flows/add-place.js';
import { FLOW } from './flows/flow-ids.js';
import { placeSettingsFlows } from './flows/place-settings.js';
import { createAdminMenus } from './menus/index.js';
import { PlaceActions } from './place-actions.js';
import { StatsReplies } from './stats-replies.js';
import { placeAccess } from '../place-access.js';
import { ChannelNames } from '../channel-names.js';

/** Bump when a conversation changes shape: older saved states are then dropped, not replayed wrongly. */
const CONVERSATION_STATE_VERSION = 1;
/** A flow left waiting longer than this lets the next message through instead of taking it as an answer. */
const FLOW_ABANDONED_AFTER_MS = 60 * 60 * 1000;

export interface InstalledFeatures {
  /** Runs once the bot is known to Telegram: the command menu, and the setup code if nobody is admin. */
  onReady(): Promise<void>;
}

/**
 * Installs the admin chat (private chats only): the setup-code claim, the admin check, then
 * conversations, the menus and the commands. Order matters: conversations see an update before
 * the menus, and menus come after createConversation so their buttons can enter conversations.
 * Each feature is built from the services it uses, nothing more.
 */
export function installFeatures(bot: Bot<BotContext>, services: BotServices): InstalledFeatures {
  const { clock, timeZone, defaultChannelId } = services;
  const channels = new ChannelNames(services);
  const viewOf: ViewOf = (t) => ({ now: clock.now(), timeZone, t, defaultChannelId, channelTitle: (chatId) => channels.title(chatId) });
  const actions = new PlaceActions({ ...services, viewOf });
  const access = placeAccess(services);
  const stats = new StatsReplies({ ...services, readerLocale: (ctx) => adminLocale(services.admins, ctx.from) });
  const localeOf = (ctx: BotContext) => adminLocale(services.admins, ctx.from);
  const menus = createAdminMenus({ ...services, viewOf, access, stats, channels, localeOf }, actions);
  const settings = placeSettingsFlows({ ...services, channels }, menus);

  const admin = new Composer<BotContext>();
  admin.use(claimWithSetupCode(services));
  admin.use(adminsOnly(services));
  admin.use(async (ctx, next) => {
    ctx.i18n.useLocale(await adminLocale(services.admins, ctx.from));
    await next();
  });
  admin.use(
    conversations<BotContext, FlowContext>({
      storage: { type: 'key', version: CONVERSATION_STATE_VERSION, prefix: 'conv:', adapter: services.conversationStorage },
      // Transformers on bot.api do not reach the Api inside a conversation: it gets its own (DESIGN §11).
      plugins: conversationPlugins(),
    }),
  );
  admin.use(flowControl(menus, services.translations));
  const flow = { maxMillisecondsToWait: FLOW_ABANDONED_AFTER_MS };
  admin.use(createConversation(addPlaceFlow({ ...services, channels }, menus, actions), { id: FLOW.addPlace, ...flow }));
  admin.use(createConversation(settings.renamePlace, { id: FLOW.rename, ...flow }));
  admin.use(createConversation(settings.placeTimeout, { id: FLOW.timeout, ...flow }));
  admin.use(createConversation(settings.placeChannel, { id: FLOW.channel, ...flow }));
  admin.use(createConversation(addAdminFlow(services, menus), { id: FLOW.addAdmin, ...flow }));
  admin.use(menus.root);
  admin.use(adminCommands(menus, actions));

  bot.filter((ctx) => ctx.chat?.type === 'private', admin);

  return {
    async onReady() {
      try {
        await registerCommands(bot.api, services.translations);
      } catch (error) {
        services.logger.warn({ err: error }, 'could not register the bot commands; the chat works without the menu of commands');
      }
      try {
        await announceSetupCode(bot, services);
      } catch (error) {
        services.logger.error({ err: error }, 'could not prepare the setup code');
      }
    },
  };
}

/**
 * With no admin and no OWNER_ID, the first person to send the code printed here becomes the
 * admin. The same code is printed at every start until it is used; once there is an admin, a
 * leftover code is discarded.
 */
async function announceSetupCode(bot: Bot<BotContext>, { admins, setupCodes, logger }: Pick<BotServices, 'admins' | 'setupCodes' | 'logger'>): Promise<void> {
  if (await admins.hasAny()) {
    await setupCodes.discard();
    return;
  }
  const code = await setupCodes.ensure();
  const username = bot.botInfo.username;
  logger.warn(
    `Nobody administers this bot yet. To claim it, open https://t.me/${username}?start=${code} or send "/start ${code}" to @${username}. ` +
      'The code works once. (Or set OWNER_ID to your Telegram user id.)',
  );
}
