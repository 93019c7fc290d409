import type { FlowContext } from '../../context.js';
import type { BotServices } from '../../deps.js';
import { searchQuery } from '../../views/paged-list.js';
import type { AdminViews, SearchTarget } from '../menus/index.js';
import { cancelMarkup, flowTranslator, otherwise, type Flow } from './steps.js';

/**
 * 🔎 on a long list: one question (a part of the name), then the list searched by it, as a new
 * message with its own pages. Nothing is written; the search travels in the list's buttons.
 */
export function searchListFlow(deps: Pick<BotServices, 'admins' | 'translations'>, views: Pick<AdminViews, 'showSearch'>) {
  return async function searchList(conversation: Flow, ctx: FlowContext, target: SearchTarget): Promise<void> {
    const t = await flowTranslator(conversation, deps);
    await ctx.reply(t(target.list === 'subscribers' ? 'list-search-ask-people' : 'list-search-ask-places'), { reply_markup: cancelMarkup(t) });
    for (;;) {
      const answer = await conversation.waitFor('message:text', { otherwise: otherwise(t, t('flow-send-text')) });
      const query = searchQuery(answer.message.text);
      if (query === '') {
        await answer.reply(t('list-search-empty'), { reply_markup: cancelMarkup(t) });
        continue;
      }
      await conversation.external((octx) => views.showSearch(octx, target, query));
      return;
    }
  };
}
