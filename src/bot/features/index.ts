import { Composer, type Bot } from 'grammy';
import { conversations, createConversation } from '@grammyjs/conversations';
import { adminLocale } from '../admin-locale.js';
import { hideAdminCommands, registerCommands, showAdminCommands } from '../commands.js';
import type { BotContext, FlowContext } from '../context.js';
import type { BotServices } from '../deps.js';
import { conversationPlugins } from '../parse-mode.js';
import type { ViewOf } from '../views/place-text.js';
import { adminsOnly, byRole, claimWithSetupCode } from './access.js';
import { adminCommands } from './commands.js';
import { flowControl } from './flow-control.js';
import { addAdminFlow } from './flows/add-admin.js';
import { addPlaceFlow } from './flows/add-place.js';
import { FLOW } from './flows/flow-ids.js';
import { deviceFlows } from './flows/device-flows.js';
import { placeSettingsFlows } from './flows/place-settings.js';
import { searchListFlow } from './flows/search-list.js';
import { createAdminMenus, type AdminMenus } from './menus/index.js';
import { PlaceActions } from './place-actions.js';
import { queueHintButton } from './queue-hint-button.js';
import { StatsReplies } from './stats-replies.js';
import { placeAccess } from '../place-access.js';
import { ChannelNames } from '../channel-names.js';
import { inviteLinks } from './people/join.js';
import { quietHoursFlow } from './people/quiet-hours-flow.js';
import { strangerChat, subscriberChat } from './people/subscriber-chat.js';
import { subscriberLocale } from './people/subscriber-locale.js';
import { createSubscriberMenus, type SubscriberMenus } from './people/subscriber-menus.js';
import { noteStorageFaults, storageFaultReply } from '../storage-fault-reply.js';

/** Bump when a conversation changes shape: older saved states are then dropped, not replayed wrongly. */
const CONVERSATION_STATE_VERSION = 2;
/** A flow left waiting longer than this lets the next message through instead of taking it as an answer. */
const FLOW_ABANDONED_AFTER_MS = 60 * 60 * 1000;

export interface InstalledFeatures {
  /** Runs once the bot is known to Telegram: the command menu, and the setup code if nobody is admin. */
  onReady(): Promise<void>;
}

/** The menus and helpers the chats share, each built once from the services it uses. */
interface FeatureParts {
  channels: ChannelNames;
  actions: PlaceActions;
  menus: AdminMenus;
  settings: ReturnType<typeof placeSettingsFlows>;
  deviceSettings: ReturnType<typeof deviceFlows>;
  subscriberMenus: SubscriberMenus;
}

/**
 * Installs the private chat: the setup-code claim and invite links first (anyone may open one),
 * then by role (access.ts byRole): the admin chat — the admin check again, conversations, the
 * menus and the commands —, a subscriber's own chat, or a polite word for strangers. Each
 * feature is built from the services it uses.
 */
export function installFeatures(bot: Bot<BotContext>, services: BotServices): InstalledFeatures {
  const parts = featureParts(services);

  // A locked or full database: "try again in a minute", and nothing of the update is kept.
  bot.use(storageFaultReply({ logger: services.logger, now: () => services.clock.now() }));

  // A group the bot posts to became a supergroup (new id): its places follow it at once.
  bot.on('message:migrate_to_chat_id', (ctx) => void services.followChatMove(String(ctx.chat.id), String(ctx.message.migrate_to_chat_id)));

  const privateChat = bot.filter((ctx) => ctx.chat?.type === 'private');
  privateChat.use(claimWithSetupCode(services));
  privateChat.use(inviteLinks(services, parts.subscriberMenus));
  privateChat.use(byRole(services, { admin: adminChat(services, parts), subscriber: subscriberChat(services, parts.subscriberMenus), stranger: strangerChat(services) }));

  followAdminChanges(bot, services);
  return { onReady: () => whenReady(bot, services) };
}

function featureParts(services: BotServices): FeatureParts {
  const { clock, timeZone, defaultChannelId } = services;
  const channels = new ChannelNames(services);
  const viewOf: ViewOf = (t) => ({ now: clock.now(), timeZone, t, defaultChannelId, channelTitle: (chatId) => channels.title(chatId) });
  const actions = new PlaceActions({ ...services, viewOf });
  const access = placeAccess({ ...services, subscribers: services.people.subscribers });
  const stats = new StatsReplies({ ...services, readerLocale: (ctx) => adminLocale(services.admins, ctx.from) });
  const localeOf = (ctx: BotContext) => adminLocale(services.admins, ctx.from);
  const menus = createAdminMenus({ ...services, viewOf, access, stats, channels, localeOf }, actions);
  const readerLocale = async (ctx: BotContext) =>
    (await services.admins.isAdmin(ctx.from?.id ?? 0)) ? adminLocale(services.admins, ctx.from) : subscriberLocale(services.people.subscribers, ctx.from);
  const subscriberStats = new StatsReplies({ ...services, readerLocale });
  const subscriberMenus = createSubscriberMenus({ ...services, access, stats: subscriberStats, viewOf, localeOf: readerLocale });
  return {
    channels,
    actions,
    menus,
    settings: placeSettingsFlows({ ...services, channels }, menus),
    deviceSettings: deviceFlows(services, menus),
    subscriberMenus,
  };
}

/**
 * The admin's chat. Order matters: conversations see an update before the menus, and menus come
 * after createConversation so their buttons can enter conversations.
 */
function adminChat(services: BotServices, { channels, actions, menus, settings, deviceSettings, subscriberMenus }: FeatureParts): Composer<BotContext> {
  const admin = new Composer<BotContext>();
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
  admin.use(noteStorageFaults);
  admin.use(flowControl(menus, services.translations));
  const flow = { maxMillisecondsToWait: FLOW_ABANDONED_AFTER_MS };
  admin.use(createConversation(addPlaceFlow({ ...services, channels }, menus, actions), { id: FLOW.addPlace, ...flow }));
  admin.use(createConversation(settings.renamePlace, { id: FLOW.rename, ...flow }));
  admin.use(createConversation(settings.placeTimeout, { id: FLOW.timeout, ...flow }));
  admin.use(createConversation(settings.placeChannel, { id: FLOW.channel, ...flow }));
  admin.use(createConversation(addAdminFlow(services, menus), { id: FLOW.addAdmin, ...flow }));
  admin.use(createConversation(settings.chatQuiet, { id: FLOW.chatQuiet, ...flow }));
  admin.use(createConversation(deviceSettings.addDevice, { id: FLOW.addDevice, ...flow }));
  admin.use(createConversation(deviceSettings.renameDevice, { id: FLOW.renameDevice, ...flow }));
  admin.use(createConversation(searchListFlow(services, menus), { id: FLOW.search, ...flow }));
  // An admin may follow places too: their own settings are the subscriber's (/settings).
  admin.use(createConversation(quietHoursFlow(services, subscriberMenus), { id: FLOW.quietHours, ...flow }));
  admin.use(queueHintButton(services));
  admin.use(menus.root);
  admin.use(subscriberMenus.root);
  admin.command('settings', (ctx) => subscriberMenus.showSettings(ctx, 'reply'));
  admin.use(adminCommands(menus, actions));
  return admin;
}

/** Each admin's chat keeps the admin menu of commands; a removed admin's falls back to the subscriber's. */
function followAdminChanges(bot: Bot<BotContext>, { admins, translations, logger }: BotServices): void {
  admins.onChange((userId, isAdmin) => {
    const update = isAdmin ? showAdminCommands(bot.api, translations, userId) : hideAdminCommands(bot.api, userId);
    update.catch((error: unknown) => logger.warn({ err: error, userId }, "could not update an admin's menu of commands; the commands still work when typed"));
  });
}

/** Once the bot is known to Telegram: the command menu, and the setup code if nobody is admin. */
async function whenReady(bot: Bot<BotContext>, services: BotServices): Promise<void> {
  try {
    await registerCommands(
      bot.api,
      services.translations,
      (await services.admins.list()).map((admin) => admin.user_id),
    );
  } catch (error) {
    services.logger.warn({ err: error }, 'could not register the bot commands; the chat works without the menu of commands');
  }
  try {
    await announceSetupCode(bot, services);
  } catch (error) {
    services.logger.error({ err: error }, 'could not prepare the setup code');
  }
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
