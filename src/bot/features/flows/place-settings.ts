import { heartbeatIntervalFor } from '../../../devices/esp32-config.js';
import { PlaceInputError } from '../../../places/place-rules.js';
import type { Place } from '../../../places/place-service.js';
import { escapeHtml } from '../../../i18n/escape-html.js';
import type { Translate } from '../../../i18n/translator.js';
import type { BotContext, FlowContext } from '../../context.js';
import type { ChannelNames } from '../../channel-names.js';
import type { BotServices } from '../../deps.js';
import { describeQuietHours } from '../../../people/quiet-hours.js';
import { destinationLines } from '../../views/people-text.js';
import { channelLine, timeoutText } from '../../views/place-text.js';
import type { AdminViews } from '../menus/index.js';
import { askChannel, askName, askQuietHours, askTimeout, cancelMarkup, defaultChannelNote, flowTranslator, type Flow } from './steps.js';

type PlaceSnapshot = Pick<Place, 'name' | 'timeout_s' | 'channel_id'> & {
  /** The last known title of the channel its alerts go to (its own or the default). */
  channelTitle: string | null;
};

type PlaceSettingsDeps = Pick<BotServices, 'admins' | 'translations' | 'places' | 'defaultChannelId' | 'clock' | 'people'> & {
  channels: Pick<ChannelNames, 'title' | 'remember'>;
};
type PlaceViews = Pick<AdminViews, 'showMain' | 'showPlace'>;
/** What each flow starts with: its translator and the place as it is now (null once it is gone). */
type FlowStart = Pick<PlaceSettingsDeps, 'admins' | 'translations' | 'places' | 'defaultChannelId' | 'channels'>;

/** Rename, timeout and channel of an existing place: one question each, then the place again. */
export function placeSettingsFlows(deps: PlaceSettingsDeps, views: PlaceViews) {
  return {
    renamePlace: (conversation: Flow, ctx: FlowContext, placeId: number) => renamePlace(deps, views, conversation, ctx, placeId),
    placeTimeout: (conversation: Flow, ctx: FlowContext, placeId: number) => placeTimeout(deps, views, conversation, ctx, placeId),
    placeChannel: (conversation: Flow, ctx: FlowContext, placeId: number) => placeChannel(deps, views, conversation, ctx, placeId),
    chatQuiet: (conversation: Flow, ctx: FlowContext, placeId: number) => chatQuiet(deps, views, conversation, ctx, placeId),
  };
}

/** The place as it is when the flow starts; null once it is gone. */
function loadPlace({ places, defaultChannelId, channels }: Pick<FlowStart, 'places' | 'defaultChannelId' | 'channels'>, conversation: Flow, placeId: number) {
  return conversation.external(async (): Promise<PlaceSnapshot | null> => {
    try {
      const { name, timeout_s, channel_id } = await places.get(placeId);
      const channel = channel_id ?? defaultChannelId;
      return { name, timeout_s, channel_id, channelTitle: channel ? channels.title(channel) : null };
    } catch (error) {
      if (error instanceof PlaceInputError) return null;
      throw error;
    }
  });
}

/** Writes the change, then shows what changed and the place's menu again. */
function applyChange(conversation: Flow, views: PlaceViews, t: Translate, placeId: number, change: () => Promise<Place>, notice: (place: Place) => string) {
  return conversation.external(async (octx: BotContext) => {
    let place: Place;
    try {
      place = await change();
    } catch (error) {
      if (!(error instanceof PlaceInputError)) throw error;
      await octx.reply(t('place-gone'), { reply_markup: { remove_keyboard: true } });
      await views.showMain(octx, 'reply');
      return;
    }
    await octx.reply(notice(place), { reply_markup: { remove_keyboard: true } });
    await views.showPlace(octx, placeId, 'reply');
  });
}

async function renamePlace(deps: FlowStart, views: PlaceViews, conversation: Flow, ctx: FlowContext, placeId: number): Promise<void> {
  const t = await flowTranslator(conversation, deps);
  const place = await loadPlace(deps, conversation, placeId);
  if (!place) return void (await ctx.reply(t('place-gone')));
  const name = await askName(conversation, ctx, t, t('rename-ask', { name: escapeHtml(place.name) }));
  await applyChange(conversation, views, t, placeId, () => deps.places.rename(placeId, name), (renamed) => t('renamed', { name: escapeHtml(renamed.name) }));
}

async function placeTimeout(deps: FlowStart, views: PlaceViews, conversation: Flow, ctx: FlowContext, placeId: number): Promise<void> {
  const t = await flowTranslator(conversation, deps);
  const place = await loadPlace(deps, conversation, placeId);
  if (!place) return void (await ctx.reply(t('place-gone')));
  const timeoutS = await askTimeout(conversation, ctx, t, t('timeout-ask', { name: escapeHtml(place.name), timeout: timeoutText(place.timeout_s, t) }));
  await applyChange(
    conversation,
    views,
    t,
    placeId,
    () => deps.places.setTimeout(placeId, timeoutS),
    (changed) => t('timeout-set', { name: escapeHtml(changed.name), timeout: timeoutText(changed.timeout_s, t), interval: heartbeatIntervalFor(changed.timeout_s) }),
  );
}

async function placeChannel(deps: PlaceSettingsDeps, views: PlaceViews, conversation: Flow, ctx: FlowContext, placeId: number): Promise<void> {
  const { places, defaultChannelId } = deps;
  const t = await flowTranslator(conversation, deps);
  const place = await loadPlace(deps, conversation, placeId);
  if (!place) return void (await ctx.reply(t('place-gone')));
  const current = channelLine(place.channel_id, { t, defaultChannelId, channelTitle: () => place.channelTitle });
  const choice = await askChannel(conversation, ctx, t, t('channel-ask', { name: escapeHtml(place.name), current }), t('btn-use-default-channel'));
  if (choice.kind === 'skip') {
    await applyChange(conversation, views, t, placeId, () => places.setChannel(placeId, null), () => defaultChannelNote(t, defaultChannelId));
  } else {
    await applyChange(
      conversation,
      views,
      t,
      placeId,
      async () => {
        const linked = await places.setChannel(placeId, choice.chatId);
        deps.people.destinations.link(placeId, { chatId: choice.chatId, chatType: choice.chatType, threadId: choice.threadId }, deps.clock.now());
        deps.channels.remember(choice.chatId, choice.title);
        return linked;
      },
      (changed) =>
        [
          t('channel-linked', { title: escapeHtml(choice.title), name: escapeHtml(changed.name) }),
          ...destinationLines({ chatType: choice.chatType, threadId: choice.threadId, topicName: null, quiet: null }, choice.title, t),
        ].join('\n'),
    );
  }
}

/** Quiet hours of the chat the place posts to: its posts there go silently inside them. */
async function chatQuiet(deps: PlaceSettingsDeps, views: PlaceViews, conversation: Flow, ctx: FlowContext, placeId: number): Promise<void> {
  const { people, clock } = deps;
  const t = await flowTranslator(conversation, deps);
  const place = await loadPlace(deps, conversation, placeId);
  if (!place) return void (await ctx.reply(t('place-gone')));
  const chat = place.channel_id ?? deps.defaultChannelId;
  if (!chat) return void (await ctx.reply(t('people-chat-quiet-no-chat', { name: escapeHtml(place.name) })));
  const current = await conversation.external(() => people.destinations.settingsFor(placeId, chat).quiet);
  const chatName = escapeHtml(place.channelTitle || chat);
  await ctx.reply(t('people-chat-quiet-ask', { name: escapeHtml(place.name), chat: chatName, current: describeQuietHours(current, t) }), {
    reply_markup: cancelMarkup(t),
  });
  const quiet = await askQuietHours(conversation, t);
  await conversation.external(async (octx: BotContext) => {
    if (!people.destinations.setQuietHours(placeId, chat, quiet, clock.now())) {
      await octx.reply(t('place-gone'));
      await views.showMain(octx, 'reply');
      return;
    }
    await octx.reply(t('people-chat-quiet-set', { name: escapeHtml(place.name), current: describeQuietHours(quiet, t) }));
    await views.showPlace(octx, placeId, 'reply');
  });
}
