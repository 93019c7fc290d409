import { escapeHtml } from '../../../i18n/escape-html.js';
import type { FlowContext } from '../../context.js';
import { timeoutText } from '../../views/place-text.js';
import type { ChannelNames } from '../../channel-names.js';
import type { BotServices } from '../../deps.js';
import type { AdminViews } from '../menus/index.js';
import type { PlaceActions } from '../place-actions.js';
import { translatorFor, type Translate } from '../../../i18n/translator.js';
import { askChannel, askName, askTimeout, defaultChannelNote, flowLocale, type Flow } from './steps.js';
import { askSchedule, type ScheduleChoice, type ScheduleStepDeps } from './schedule-step.js';
import { ScheduleInputError } from '../../../schedules/place-schedule.js';
import { queueName } from '../../../schedules/plan-text.js';
import type { Logger } from '../../../logger.js';

/**
 * "Add location": name → timeout → channel → outage schedule (optional) → done, ending with the
 * ESP32 config. The place is created only at the very end, so a flow left at any step (Cancel,
 * /cancel, another command, or never finished) leaves nothing behind.
 */
export function addPlaceFlow(
  deps: Pick<BotServices, 'admins' | 'translations' | 'places' | 'logger' | 'defaultChannelId' | 'clock' | 'people'> & {
    channels: Pick<ChannelNames, 'remember'>;
    schedules: ScheduleStepDeps['schedules'] & Pick<BotServices['schedules'], 'attach'>;
  },
  views: Pick<AdminViews, 'showPlace'>,
  actions: Pick<PlaceActions, 'sendEsp32Config'>,
) {
  return async function addPlace(conversation: Flow, ctx: FlowContext): Promise<void> {
    // The admin's language is also the new place's: its channel posts read like the chat that made it.
    const locale = await flowLocale(conversation, deps);
    const t = translatorFor(deps.translations, locale);
    // The schedule question is asked only where schedules are configured: the count says so from the start.
    const steps = (await conversation.external(() => deps.schedules.sources.length)) > 0 ? 4 : 3;
    const name = await askName(conversation, ctx, t, t('add-ask-name', { steps }));
    const timeoutS = await askTimeout(conversation, ctx, t, t('add-ask-timeout', { name: escapeHtml(name), steps }));
    const channel = await askChannel(conversation, ctx, t, t('add-ask-channel', { name: escapeHtml(name), steps }), t('btn-skip-channel'));
    const schedule = await askSchedule(conversation, ctx, t, locale, deps, t('add-ask-schedule', { name: escapeHtml(name) }));
    await conversation.external(async (octx) => {
      const place = await deps.places.create({ name, timeoutS, channelId: channel.kind === 'channel' ? channel.chatId : null, language: locale });
      deps.logger.info({ placeId: place.id, userId: octx.from?.id }, 'place added from the bot');
      if (channel.kind === 'channel') {
        deps.people.destinations.link(place.id, { chatId: channel.chatId, chatType: channel.chatType, threadId: channel.threadId }, deps.clock.now());
        deps.channels.remember(channel.chatId, channel.title);
      }
      const where =
        channel.kind === 'channel' ? t('add-channel-linked', { title: escapeHtml(channel.title) }) : defaultChannelNote(t, deps.defaultChannelId);
      const planned = followSchedule(place.id, schedule, deps.schedules, t, deps.logger);
      const lines = [t('add-done', { name: escapeHtml(place.name), timeout: timeoutText(place.timeout_s, t) }), where, ...(planned ? [planned] : [])];
      await octx.reply(lines.join('\n'), { reply_markup: { remove_keyboard: true } });
      await actions.sendEsp32Config(octx, place, t);
      await views.showPlace(octx, place.id, 'reply');
    });
  };
}

/** Puts the new place on the schedule picked (the source's copy is checked again); the line saying how it went. */
function followSchedule(
  placeId: number,
  choice: ScheduleChoice,
  schedules: Pick<BotServices['schedules'], 'attach'>,
  t: Translate,
  logger: Logger,
): string | null {
  if (!choice) return null;
  try {
    const { queue } = schedules.attach(placeId, choice.sourceId, choice.queue.id);
    logger.info({ placeId: placeId, source: choice.sourceId, queue: queue.id }, 'new place follows an outage schedule');
    return t('add-schedule-set', { source: escapeHtml(choice.sourceName), queue: queueName(queue, t) });
  } catch (error) {
    if (!(error instanceof ScheduleInputError)) throw error;
    return t('add-schedule-failed', { reason: escapeHtml(t(`plan-error-${error.code}`, error.params)) });
  }
}
