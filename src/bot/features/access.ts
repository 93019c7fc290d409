import { Composer } from 'grammy';
import type { User } from 'grammy/types';
import type { BotContext } from '../context.js';
import type { BotServices } from '../deps.js';

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
