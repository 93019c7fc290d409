import { DateTime } from 'luxon';
import type { LocationService } from '../../../locations/location-service.js';
import type { Logger } from '../../../logger.js';
import type { PlaceSubscriber } from '../../../people/subscriber-store.js';
import { escapeHtml } from '../../../telegram/escape-html.js';
import type { BotContext } from '../../context.js';
import type { PeopleServices } from '../../deps.js';
import { findPlace, label, present, ViewMenu, withNotice, type AdminViews, type Presentation, type PressContext } from './view-menu.js';

export interface SubscribersMenuDeps {
  locations: Pick<LocationService, 'get'>;
  people: Pick<PeopleServices, 'subscribers'>;
  logger: Logger;
  timeZone: string;
}

/** The place and, on a person's button, the person: "12" or "12.7001". */
function payloadOf(ctx: BotContext): { placeId: number | null; userId: number | null } {
  const match = typeof ctx.match === 'string' ? /^(\d{1,15})(?:\.(\d{1,15}))?$/.exec(ctx.match) : null;
  return { placeId: match ? Number(match[1]) : null, userId: match?.[2] ? Number(match[2]) : null };
}

/**
 * Who follows a place, for its admins: each person with the day they joined (and whether they
 * blocked the bot), and a button per person to remove them, after a confirmation.
 */
export function subscribersMenu({ locations, people, logger, timeZone }: SubscribersMenuDeps, views: Pick<AdminViews, 'showMain' | 'showPlace'>) {
  const placeOf = (ctx: BotContext) => findPlace(locations, payloadOf(ctx).placeId);
  const personOf = (placeId: number, userId: number | null): PlaceSubscriber | undefined =>
    people.subscribers.subscribersOf(placeId).find((person) => person.userId === userId);
  const onMenuOutdated = async (ctx: PressContext): Promise<void> => {
    await ctx.answerCallbackQuery({ text: ctx.t('menu-outdated') });
    const place = await placeOf(ctx);
    await (place ? show(ctx, place.id, 'edit') : views.showMain(ctx, 'edit', ctx.t('place-gone')));
  };
  const placePayload = (ctx: BotContext) => String(payloadOf(ctx).placeId ?? '');

  const menu = new ViewMenu('sv', {
    fingerprint: async (ctx) => {
      const { placeId } = payloadOf(ctx);
      const place = await placeOf(ctx);
      return `sv:${placeId}:${place ? people.subscribers.subscribersOf(place.id).map((person) => person.userId).join(',') : 'gone'}`;
    },
    onMenuOutdated,
  });
  menu.dynamic((ctx, range) => {
    const { placeId } = payloadOf(ctx);
    if (placeId === null) return range;
    for (const person of people.subscribers.subscribersOf(placeId)) {
      range
        .text({ text: ctx.t('people-btn-remove-subscriber', { name: person.displayName }), payload: `${placeId}.${person.userId}` }, async (ctx) => {
          const place = await placeOf(ctx);
          if (!place) return views.showMain(ctx, 'edit', ctx.t('place-gone'));
          const chosen = personOf(place.id, payloadOf(ctx).userId);
          if (!chosen) return show(ctx, place.id, 'edit');
          ctx.match = `${place.id}.${chosen.userId}`;
          const text = ctx.t('people-subscriber-remove-confirm', { name: escapeHtml(chosen.displayName), place: escapeHtml(place.name) });
          await present(ctx, 'edit', text, removeMenu);
        })
        .row();
    }
    return range;
  });
  menu.text({ text: label('btn-back'), payload: placePayload }, async (ctx) => {
    const { placeId } = payloadOf(ctx);
    await (placeId === null ? views.showMain(ctx, 'edit') : views.showPlace(ctx, placeId, 'edit'));
  });

  const removeMenu = new ViewMenu('sx', {
    fingerprint: async (ctx) => `sx:${typeof ctx.match === 'string' ? ctx.match : ''}:${(await placeOf(ctx)) ? 1 : 'gone'}`,
    onMenuOutdated,
  });
  removeMenu
    .text({ text: label('people-btn-remove-subscriber-yes'), payload: (ctx) => (typeof ctx.match === 'string' ? ctx.match : '') }, async (ctx) => {
      const place = await placeOf(ctx);
      if (!place) return views.showMain(ctx, 'edit', ctx.t('place-gone'));
      const chosen = personOf(place.id, payloadOf(ctx).userId);
      if (!chosen) return show(ctx, place.id, 'edit');
      people.subscribers.unsubscribe(place.id, chosen.userId);
      logger.info({ locationId: place.id, userId: chosen.userId, by: ctx.from.id }, 'subscriber removed by an admin');
      await show(ctx, place.id, 'edit', ctx.t('people-subscriber-removed', { name: escapeHtml(chosen.displayName), place: escapeHtml(place.name) }));
    })
    .row()
    .text({ text: label('btn-no'), payload: placePayload }, async (ctx) => {
      const place = await placeOf(ctx);
      await (place ? show(ctx, place.id, 'edit') : views.showMain(ctx, 'edit', ctx.t('place-gone')));
    });

  async function show(ctx: BotContext, placeId: number, how: Presentation, notice?: string): Promise<void> {
    const place = await findPlace(locations, placeId);
    if (!place) return views.showMain(ctx, how, ctx.t('place-gone'));
    const list = people.subscribers.subscribersOf(place.id);
    const lines = [ctx.t('people-subscribers-title', { place: escapeHtml(place.name), count: list.length })];
    if (list.length === 0) lines.push(ctx.t('people-subscribers-none'));
    for (const person of list) {
      const since = DateTime.fromMillis(person.since, { zone: timeZone }).toFormat('dd.MM.yyyy');
      lines.push(ctx.t('people-subscriber-line', { name: escapeHtml(person.displayName), since, inactive: person.active ? 'no' : 'yes' }));
    }
    ctx.match = String(place.id);
    await present(ctx, how, withNotice(notice, lines.join('\n')), menu);
  }

  menu.register(removeMenu);
  return { menu, show };
}
