import { Composer } from 'grammy';
import type { BotContext } from '../context.js';
import { searchQuery } from '../views/paged-list.js';
import { FLOW } from './flows/flow-ids.js';
import type { AdminViews } from './menus/index.js';
import type { PlaceActions } from './place-actions.js';

/** The admin's commands, then a polite answer for whatever nothing else handled. */
export function adminCommands(views: AdminViews, actions: Pick<PlaceActions, 'sendBackup'>): Composer<BotContext> {
  const commands = new Composer<BotContext>();
  commands.command(['start', 'locations'], (ctx) => views.showMain(ctx, 'reply'));
  commands.command('help', (ctx) => ctx.reply(ctx.t('help')));
  commands.command('add', (ctx) => ctx.conversation.enter(FLOW.addPlace));
  commands.command('admins', (ctx) => views.showAdmins(ctx, 'reply'));
  commands.command('language', (ctx) => views.showUiLanguages(ctx, 'reply'));
  commands.command('stats', (ctx) => views.choosePlace(ctx, 'stats'));
  commands.command('diagram', (ctx) => views.choosePlace(ctx, 'diagram'));
  commands.command('export', (ctx) => views.choosePlace(ctx, 'export'));
  commands.command('backup', (ctx) => actions.sendBackup(ctx, ctx.t));
  // A press no menu or conversation claims: a step that is over, or data nobody sent.
  commands.on('callback_query', (ctx) => ctx.answerCallbackQuery({ text: ctx.t('button-stale') }));
  // Text typed outside a question is a search of the places by name: the list, narrowed to it.
  commands.on('message:text', async (ctx, next) => {
    const query = ctx.message.text.startsWith('/') ? '' : searchQuery(ctx.message.text);
    if (query === '') return next();
    await views.showSearch(ctx, { list: 'places' }, query);
  });
  commands.on('message', (ctx) => ctx.reply(ctx.t('unknown-input')));
  return commands;
}
