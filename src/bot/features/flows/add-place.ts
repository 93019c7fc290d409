import { escapeHtml } from '../../../telegram/escape-html.js';
import type { FlowContext } from '../../context.js';
import { timeoutText } from '../../views/place-text.js';
import type { ChannelNames } from '../../channel-names.js';
import type { BotServices } from '../../deps.js';
import type { AdminViews } from '../menus/index.js';
import type { PlaceActions } from '../place-actions.js';
import { translatorFor } from '../../../telegram/translator.js';
import { askChannel, askName, askTimeout, defaultChannelNote, flowLocale, type Flow } from './steps.js';

/**
 * "Add location": name → timeout → channel → done, ending with the ESP32 config. The place is
 * created only at the very end, so a flow left at any step (Cancel, /cancel, another command,
 * or never finished) leaves nothing behind.
 */
export function addPlaceFlow(
  deps: Pick<BotServices, 'admins' | 'translations' | 'locations' | 'logger' | 'defaultChannelId'> & { channels: Pick<ChannelNames, 'remember'> },
  views: Pick<AdminViews, 'showPlace'>,
  actions: Pick<PlaceActions, 'sendEsp32Config'>,
) {
  return async function addPlace(conversation: Flow, ctx: FlowContext): Promise<void> {
    // The admin's language is also the new place's: its channel posts read like the chat that made it.
    const locale = await flowLocale(conversation, deps);
    const t = translatorFor(deps.translations, locale);
    const name = await askName(conversation, ctx, t, t('add-ask-name'));
    const timeoutS = await askTimeout(conversation, ctx, t, t('add-ask-timeout', { name: escapeHtml(name) }));
    const channel = await askChannel(conversation, ctx, t, t('add-ask-channel', { name: escapeHtml(name) }), t('btn-skip-channel'));
    await conversation.external(async (octx) => {
      const place = await deps.locations.create({ name, timeoutS, channelId: channel.kind === 'channel' ? channel.chatId : null, language: locale });
      deps.logger.info({ locationId: place.id, userId: octx.from?.id }, 'place added from the bot');
      if (channel.kind === 'channel') deps.channels.remember(channel.chatId, channel.title);
      const where =
        channel.kind === 'channel' ? t('add-channel-linked', { title: escapeHtml(channel.title) }) : defaultChannelNote(t, deps.defaultChannelId);
      await octx.reply(`${t('add-done', { name: escapeHtml(place.name), timeout: timeoutText(place.timeout_s, t) })}\n${where}`, { reply_markup: { remove_keyboard: true } });
      await actions.sendEsp32Config(octx, place, t);
      await views.showPlace(octx, place.id, 'reply');
    });
  };
}
