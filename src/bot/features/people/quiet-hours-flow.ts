import { describeQuietHours } from '../../../people/quiet-hours.js';
import type { BotContext, FlowContext } from '../../context.js';
import type { BotServices } from '../../deps.js';
import { askQuietHours, cancelMarkup, flowTranslator, type Flow } from '../flows/steps.js';
import type { SubscriberViews } from './subscriber-menus.js';

/**
 * An admin who also follows places types their own quiet hours here (their free text otherwise
 * belongs to the admin chat). A subscriber needs no conversation: any message that reads as
 * quiet hours sets them (subscriber-chat.ts).
 */
export function quietHoursFlow(deps: Pick<BotServices, 'admins' | 'translations' | 'people'>, views: Pick<SubscriberViews, 'showSettings'>) {
  return async function quietHours(conversation: Flow, ctx: FlowContext): Promise<void> {
    const t = await flowTranslator(conversation, deps);
    const current = await conversation.external((octx: BotContext) => (octx.from ? (deps.people.subscribers.person(octx.from.id)?.quiet ?? null) : null));
    await ctx.reply(t('people-quiet-ask', { current: describeQuietHours(current, t) }), { reply_markup: cancelMarkup(t) });
    const quiet = await askQuietHours(conversation, t);
    await conversation.external(async (octx: BotContext) => {
      if (octx.from) deps.people.subscribers.setQuietHours(octx.from.id, quiet);
      await views.showSettings(octx, 'reply', t('people-quiet-set', { current: describeQuietHours(quiet, t), on: quiet ? 'yes' : 'no' }));
    });
  };
}
