import { Composer, type Middleware, type MiddlewareFn } from 'grammy';
import type { User } from 'grammy/types';
import { authorizeCallback, mayUseCommand, roleOf, type Role } from '../../people/roles.js';
import type { BotContext } from '../context.js';
import type { BotServices } from '../deps.js';
import { subscriberLocale } from './people/subscriber-locale.js';

/** How an admin is named in lists: "Olena Kovalenko (@olena)". */
export function displayName(user: Pick<User, 'first_name' | 'last_name' | 'username'>): string {
  const name = [user.first_name, user.last_name].filter(Boolean).join(' ');
  return user.username ? `${name} (@${user.username})`.trim() : name;
}

/**
 * `/start <code>` from the first person to hold the setup code printed in the log makes them
 * the first admin. It runs before the admin check, works only while nobody is an admin, and the
 * code is used up by the claim. Anything else falls through to the check below.
 */
export function claimWithSetupCode({
  admins,
  setupCodes,
  clock,
  logger,
}: Pick<BotServices, 'admins' | 'setupCodes' | 'clock' | 'logger'>): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.command('start', async (ctx, next) => {
    const code = ctx.match.trim();
    if (code === '' || !ctx.from || (await admins.hasAny())) return next();
    if (!(await setupCodes.consume(code))) return next();
    await admins.add(ctx.from.id, { addedBy: null, displayName: displayName(ctx.from), now: clock.now() });
    logger.info({ userId: ctx.from.id }, 'the bot was claimed with the setup code; it no longer works');
    await ctx.i18n.renegotiateLocale();
    await ctx.reply(ctx.t('setup-claimed'));
    return next();
  });
  return composer;
}

/**
 * Admins only, checked on every update, button presses included: a removed admin's old menu, a
 * forged or replayed callback query from anyone else get the same short refusal and nothing more.
 */
export function adminsOnly({ admins, logger }: Pick<BotServices, 'admins' | 'logger'>): (ctx: BotContext, next: () => Promise<void>) => Promise<void> {
  return async (ctx, next) => {
    if (ctx.from && !ctx.from.is_bot && (await admins.isAdmin(ctx.from.id))) return next();
    logger.debug({ userId: ctx.from?.id }, 'refused a user who is not an admin');
    if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: ctx.t('not-admin') });
    else if (ctx.message) await ctx.reply(ctx.t('not-admin'));
  };
}

/**
 * Who is writing decides what is installed for them, on every update: admins get the admin chat;
 * subscribers their own chat, behind a guard that lets through only their commands and presses on
 * subscriber menus about places they follow (roles.ts) — a forged or replayed admin button, or a
 * place they no longer follow, gets a short refusal and nothing runs; strangers a polite word.
 */
export function byRole(
  { admins, people, logger }: Pick<BotServices, 'admins' | 'people' | 'logger'>,
  branches: { admin: Middleware<BotContext>; subscriber: Middleware<BotContext>; stranger: Middleware<BotContext> },
): MiddlewareFn<BotContext> {
  const admin = new Composer(branches.admin).middleware();
  const subscriber = new Composer(branches.subscriber).middleware();
  const stranger = new Composer(branches.stranger).middleware();
  const sources = { isAdmin: (id: number) => admins.isAdmin(id), placeIdsOf: (id: number) => people.subscribers.placeIdsOf(id) };
  return async (ctx, next) => {
    const role: Role = ctx.from && !ctx.from.is_bot ? await roleOf(ctx.from.id, sources) : { kind: 'stranger' };
    if (role.kind === 'admin') return admin(ctx, next);
    if (role.kind === 'stranger') return stranger(ctx, next);
    const refusal = subscriberRefusal(role, ctx);
    if (!refusal) return subscriber(ctx, next);
    logger.debug({ userId: ctx.from?.id, refusal }, 'refused a subscriber something that is not theirs');
    ctx.i18n.useLocale(subscriberLocale(people.subscribers, ctx.from));
    if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: ctx.t(refusal === 'not_their_place' ? 'people-place-gone' : 'people-refused') });
    else await ctx.reply(ctx.t('people-refused'));
  };
}

/** Why a subscriber may not do this, or null when they may. */
function subscriberRefusal(role: Extract<Role, { kind: 'subscriber' }>, ctx: BotContext): 'not_subscriber_menu' | 'not_their_place' | 'command' | null {
  if (ctx.callbackQuery) {
    const verdict = authorizeCallback(role, ctx.callbackQuery.data ?? '');
    return verdict.allowed ? null : verdict.reason === 'not_their_place' ? 'not_their_place' : 'not_subscriber_menu';
  }
  const message = ctx.message;
  const command = message?.entities?.some((entity) => entity.type === 'bot_command' && entity.offset === 0) ? message.text?.split(/\s/)[0] : undefined;
  return command !== undefined && !mayUseCommand(role, command) ? 'command' : null;
}
