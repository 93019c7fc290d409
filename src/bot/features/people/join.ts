import { Composer } from 'grammy';
import { adminLocale } from '../../admin-locale.js';
import type { BotContext } from '../../context.js';
import type { BotServices } from '../../deps.js';
import { isInviteTokenShape } from '../../../people/invite-token.js';
import { joinByInvite } from '../../../people/join.js';
import { describeQuietHours } from '../../../people/quiet-hours.js';
import { escapeHtml } from '../../../i18n/escape-html.js';
import { displayName } from '../access.js';
import type { SubscriberViews } from './subscriber-menus.js';

/**
 * Before anyone's role is decided (like the setup-code claim):
 * - `/start <token>` from an invite link makes the person a subscriber of the link's place, or
 *   says politely that the link was renewed, expired or is unknown; a subscriber then sees their
 *   places. An admin may follow a place too (its alerts then come to their private chat).
 * - a plain `/start` from someone who had blocked the bot makes them a recipient again.
 */
export function inviteLinks(
  deps: Pick<BotServices, 'admins' | 'people' | 'clock' | 'logger' | 'languages'>,
  views: Pick<SubscriberViews, 'showHome'>,
): Composer<BotContext> {
  const { people, clock, logger } = deps;
  const composer = new Composer<BotContext>();
  composer.command('start', async (ctx, next) => {
    const payload = ctx.match.trim();
    if (!ctx.from || ctx.from.is_bot) return next();
    if (payload === '') {
      if (people.subscribers.reactivate(ctx.from.id, displayName(ctx.from)) === 'reactivated') {
        ctx.i18n.useLocale(people.subscribers.person(ctx.from.id)?.language ?? (await adminLocale(deps.admins, ctx.from)));
        logger.info({ userId: ctx.from.id }, 'a subscriber who had blocked the bot is back');
        await ctx.reply(ctx.t('people-welcome-back'));
      }
      return next();
    }
    if (!isInviteTokenShape(payload)) return next();
    // A newcomer's language: the one they chose before, if they followed a place once; else their Telegram's (or an admin's own).
    const language = (await deps.languages.recall(ctx.from.id)) ?? (await adminLocale(deps.admins, ctx.from));
    const person = { userId: ctx.from.id, displayName: displayName(ctx.from), language };
    const outcome = joinByInvite(people, payload, person, clock.now());
    // Their language: as they set it, if they follow other places already; else their Telegram's (or an admin's own).
    ctx.i18n.useLocale(people.subscribers.person(ctx.from.id)?.language ?? person.language);
    switch (outcome.outcome) {
      case 'subscribed': {
        logger.info({ userId: ctx.from.id, placeId: outcome.placeId }, 'someone subscribed to a place through its invite link');
        const quiet = describeQuietHours(people.subscribers.person(ctx.from.id)?.quiet ?? null, ctx.t);
        await ctx.reply(ctx.t('people-join-subscribed', { place: escapeHtml(outcome.placeName), quiet }));
        break;
      }
      case 'already':
        await ctx.reply(ctx.t('people-join-already', { place: escapeHtml(outcome.placeName) }));
        break;
      case 'renewed':
      case 'expired':
        await ctx.reply(ctx.t(`people-join-${outcome.outcome}`, { place: escapeHtml(outcome.placeName) }));
        return;
      case 'unknown':
        await ctx.reply(ctx.t('people-join-unknown'));
        return;
    }
    if (!(await deps.admins.isAdmin(ctx.from.id))) await views.showHome(ctx, 'reply');
  });
  return composer;
}
