import type { Clock } from '../../../clock.js';
import type { PlaceService } from '../../../places/place-service.js';
import type { Logger } from '../../../logger.js';
import { SNOOZE_HOURS, snoozeUntil } from '../../../people/snooze-summary.js';
import { localTime } from '../../../i18n/time-text.js';
import { escapeHtml } from '../../../i18n/escape-html.js';
import type { BotContext } from '../../context.js';
import type { PeopleServices } from '../../deps.js';
import { findPlace, label, present, subjectId, subjectPayload, ViewMenu, type AdminViews, type Presentation, type PressContext } from './view-menu.js';

export interface SnoozeMenuDeps {
  places: Pick<PlaceService, 'get'>;
  people: Pick<PeopleServices, 'snoozes'>;
  clock: Clock;
  logger: Logger;
  timeZone: string;
}

/**
 * "🔕 Don't notify for 1/3/12 h" on a place, for planned electrical work: its changes are still
 * recorded and drawn; its posts (channel and subscribers) are held, and when the snooze ends one
 * post says what happened meanwhile. Snoozing a snoozed place moves its end.
 */
export function snoozeMenu({ places, people, clock, logger, timeZone }: SnoozeMenuDeps, views: Pick<AdminViews, 'showMain' | 'showPlace'>) {
  const placeOf = (ctx: BotContext) => findPlace(places, subjectId(ctx));
  const menu = new ViewMenu('sz', {
    fingerprint: async (ctx) => `sz:${subjectPayload(ctx)}:${(await placeOf(ctx)) ? 1 : 'gone'}`,
    onMenuOutdated: async (ctx: PressContext) => {
      await ctx.answerCallbackQuery({ text: ctx.t('menu-outdated') });
      const place = await placeOf(ctx);
      await (place ? show(ctx, place.id, 'edit') : views.showMain(ctx, 'edit', ctx.t('place-gone')));
    },
  });
  for (const hours of SNOOZE_HOURS) {
    menu
      .text({ text: (ctx) => ctx.t('people-btn-snooze', { hours }), payload: subjectPayload }, async (ctx) => {
        const place = await placeOf(ctx);
        if (!place) return views.showMain(ctx, 'edit', ctx.t('place-gone'));
        const now = clock.now();
        const until = snoozeUntil(now, hours);
        if (people.snoozes.snooze(place.id, until, { now, by: ctx.from.id }) === 'place_missing') return views.showMain(ctx, 'edit', ctx.t('place-gone'));
        logger.info({ placeId: place.id, userId: ctx.from.id, hours }, 'place snoozed: its posts are held');
        const notice = ctx.t('people-snoozed', { place: escapeHtml(place.name), until: localTime(until, { timeZone, now }) });
        await views.showPlace(ctx, place.id, 'edit', notice);
      })
      .row();
  }
  menu.text({ text: label('btn-back'), payload: subjectPayload }, async (ctx) => {
    const id = subjectId(ctx);
    await (id === null ? views.showMain(ctx, 'edit') : views.showPlace(ctx, id, 'edit'));
  });

  async function show(ctx: BotContext, placeId: number, how: Presentation): Promise<void> {
    const place = await findPlace(places, placeId);
    if (!place) return views.showMain(ctx, how, ctx.t('place-gone'));
    ctx.match = String(place.id);
    await present(ctx, how, ctx.t('people-snooze-ask', { place: escapeHtml(place.name) }), menu);
  }

  return { menu, show };
}
