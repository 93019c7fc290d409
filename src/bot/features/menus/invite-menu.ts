import type { PlaceService } from '../../../places/place-service.js';
import type { Clock } from '../../../clock.js';
import type { Logger } from '../../../logger.js';
import { inviteLink, shareLink } from '../../../people/invite-token.js';
import { escapeHtml } from '../../../i18n/escape-html.js';
import type { BotContext } from '../../context.js';
import type { PeopleServices } from '../../deps.js';
import { findPlace, label, present, subjectId, subjectPayload, ViewMenu, withNotice, type AdminViews, type Presentation, type PressContext } from './view-menu.js';

export interface InviteMenuDeps {
  places: Pick<PlaceService, 'get'>;
  people: Pick<PeopleServices, 'invites'>;
  clock: Clock;
  logger: Logger;
}

/**
 * A place's invite link for its admins: the deep link that makes whoever opens it a subscriber,
 * a button that opens Telegram's share dialog with it, and "new link" (the old one stops at once).
 * The link is made the first time it is shown.
 */
export function inviteMenu({ places, people, clock, logger }: InviteMenuDeps, views: Pick<AdminViews, 'showMain' | 'showPlace'>) {
  const placeOf = (ctx: BotContext) => findPlace(places, subjectId(ctx));
  const linkOf = (ctx: BotContext, token: string) => inviteLink(ctx.me.username, token);

  const menu = new ViewMenu('iv', {
    fingerprint: async (ctx) => `iv:${subjectPayload(ctx)}:${(await placeOf(ctx)) ? 1 : 'gone'}`,
    onMenuOutdated: async (ctx: PressContext) => {
      await ctx.answerCallbackQuery({ text: ctx.t('menu-outdated') });
      const place = await placeOf(ctx);
      await (place ? show(ctx, place.id, 'edit') : views.showMain(ctx, 'edit', ctx.t('place-gone')));
    },
  });
  // A URL button: Telegram opens its share dialog with the link; the bot hears nothing of it.
  menu.url(label('people-btn-share'), async (ctx) => {
    const place = await placeOf(ctx);
    const invite = place && people.invites.current(place.id, clock.now());
    if (!place || !invite) return `https://t.me/${ctx.me.username}`;
    return shareLink(linkOf(ctx, invite.token), ctx.t('people-invite-share-text', { place: place.name }));
  });
  menu.row().text({ text: label('people-btn-renew-link'), payload: subjectPayload }, async (ctx) => {
    const place = await placeOf(ctx);
    if (!place) return views.showMain(ctx, 'edit', ctx.t('place-gone'));
    people.invites.renew(place.id, { now: clock.now(), createdBy: ctx.from.id });
    logger.info({ placeId: place.id, userId: ctx.from.id }, "a place's invite link was renewed; the old one no longer works");
    await show(ctx, place.id, 'edit', ctx.t('people-invite-renewed'));
  });
  menu.row().text({ text: label('btn-back'), payload: subjectPayload }, async (ctx) => {
    const id = subjectId(ctx);
    await (id === null ? views.showMain(ctx, 'edit') : views.showPlace(ctx, id, 'edit'));
  });

  async function show(ctx: BotContext, placeId: number, how: Presentation, notice?: string): Promise<void> {
    const place = await findPlace(places, placeId);
    if (!place) return views.showMain(ctx, how, ctx.t('place-gone'));
    const invite = people.invites.ensure(place.id, { now: clock.now(), createdBy: ctx.from?.id ?? null });
    if (!invite) return views.showMain(ctx, how, ctx.t('place-gone'));
    ctx.match = String(place.id);
    const text = ctx.t('people-invite-title', { place: escapeHtml(place.name), link: escapeHtml(linkOf(ctx, invite.token)) });
    await present(ctx, how, withNotice(notice, text), menu);
  }

  return { menu, show };
}
