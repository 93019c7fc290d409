import { Composer, type Bot } from 'grammy';
import { conversations, createConversation, type ConversationData, type VersionedState } from '@grammyjs/conversations';
import { createI18n } from '../../telegram/translator.js';
import { adminLocale } from '../admin-locale.js';
import { registerCommands } from '../commands.js';
import type { BotContext, FlowContext } from '../context.js';
import type { BotFeatureDeps } from '../deps.js';
import { SqliteStorageAdapter } from '../../sessions/session-storage.js';
import { SetupCodeStore } from '../../admins/setup-code.js';
import { adminsOnly, claimWithSetupCode } from './access.js';
import { adminCommands } from './commands.js';
import { flowControl } from './flow-control.js';
import { addAdminFlow } from './flows/add-admin.js';
import { addPlaceFlow } from './flows/add-place.js';
import { FLOW } from './flows/flow-ids.js';
import { placeSettingsFlows } from './flows/place-settings.js';
import { createAdminViews } from './menus.js';
import { PlaceActions } from './place-actions.js';

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
 */
export function installFeatures(bot: Bot<BotContext>, deps: BotFeatureDeps): InstalledFeatures {
  // Conversations get plain contexts; their texts come from this translation source.
  const translations = createI18n();
  const setupCodes = new SetupCodeStore(deps.store.db);
  const actions = new PlaceActions(deps);
  const views = createAdminViews(deps, actions);
  const settings = placeSettingsFlows(deps, translations, views);

  const admin = new Composer<BotContext>();
  admin.use(claimWithSetupCode(deps, setupCodes));
  admin.use(adminsOnly(deps));
  admin.use(async (ctx, next) => {
    ctx.i18n.useLocale(await adminLocale(deps.admins, ctx.from));
    await next();
  });
  admin.use(
    conversations<BotContext, FlowContext>({
      storage: {
        type: 'key',
        version: CONVERSATION_STATE_VERSION,
        prefix: 'conv:',
        adapter: new SqliteStorageAdapter<VersionedState<ConversationData>>(deps.store.db, deps.clock),
      },
    }),
  );
  admin.use(flowControl(views, translations));
  const flow = { maxMillisecondsToWait: FLOW_ABANDONED_AFTER_MS };
  admin.use(createConversation(addPlaceFlow(deps, translations, views, actions), { id: FLOW.addPlace, ...flow }));
  admin.use(createConversation(settings.renamePlace, { id: FLOW.rename, ...flow }));
  admin.use(createConversation(settings.placeTimeout, { id: FLOW.timeout, ...flow }));
  admin.use(createConversation(settings.placeChannel, { id: FLOW.channel, ...flow }));
  admin.use(createConversation(addAdminFlow(deps, translations, views), { id: FLOW.addAdmin, ...flow }));
  admin.use(views.root);
  admin.use(adminCommands(views, actions));

  bot.filter((ctx) => ctx.chat?.type === 'private', admin);

  return {
    async onReady() {
      try {
        await registerCommands(bot.api, translations);
      } catch (error) {
        deps.logger.warn({ err: error }, 'could not register the bot commands; the chat works without the menu of commands');
      }
      try {
        await announceSetupCode(bot, deps, setupCodes);
      } catch (error) {
        deps.logger.error({ err: error }, 'could not prepare the setup code');
      }
    },
  };
}

/**
 * With no admin and no OWNER_ID, the first person to send the code printed here becomes the
 * admin. The same code is printed at every start until it is used; once there is an admin, a
 * leftover code is discarded.
 */
async function announceSetupCode(bot: Bot<BotContext>, deps: BotFeatureDeps, setupCodes: SetupCodeStore): Promise<void> {
  if (await deps.admins.hasAny()) {
    await setupCodes.discard();
    return;
  }
  const code = await setupCodes.ensure();
  const username = bot.botInfo.username;
  deps.logger.warn(
    `Nobody administers this bot yet. To claim it, open https://t.me/${username}?start=${code} or send "/start ${code}" to @${username}. ` +
      'The code works once. (Or set OWNER_ID to your Telegram user id.)',
  );
}
