import type { Menu } from '@grammyjs/menu';
import type { BotContext } from '../../context.js';
import type { PlaceActions } from '../place-actions.js';
import { adminsMenu, type AdminsMenuDeps } from './admins-menu.js';
import { choosePlaceMenu } from './choose-place-menu.js';
import { mainMenu, type MainMenuDeps } from './main-menu.js';
import { placeMenu, type PlaceMenuDeps } from './place-menu.js';
import { scheduleSourcesMenu, type ScheduleSourcesMenuDeps } from './schedule-sources-menu.js';
import { statsMenu, type StatsMenuDeps } from './stats-menu.js';
import { uiLanguageMenu, type UiLanguageMenuDeps } from './ui-language-menu.js';
import type { AdminViews } from './view-menu.js';

export type { AdminViews, Presentation, SearchTarget } from './view-menu.js';

export type AdminMenusDeps = MainMenuDeps & Omit<PlaceMenuDeps, 'actions'> & AdminsMenuDeps & UiLanguageMenuDeps & StatsMenuDeps & ScheduleSourcesMenuDeps;

export interface AdminMenus extends AdminViews {
  /** Install after every createConversation: menu buttons enter conversations. */
  root: Menu<BotContext>;
}

/**
 * The admin's menus. They survive a restart: menu ids are fixed, the place or admin a button is
 * about travels in its payload, and each menu's fingerprint is computed from the database (the
 * list of place ids, whether a place is paused), never from labels that age by the minute. A
 * press on a menu whose fingerprint changed shows the current view instead of a dead end.
 */
export function createAdminMenus(deps: AdminMenusDeps, actions: PlaceActions): AdminMenus {
  // The menus lead to one another; each reaches the others through `views`, bound below.
  const views: AdminViews = {
    showMain: (ctx, how, notice) => main.show(ctx, how, notice),
    showSearch: (ctx, target, query) => {
      const at = { page: 0, query };
      if (target.list === 'places') return main.show(ctx, 'reply', undefined, at);
      if (target.list === 'subscribers') return place.showSubscribers(ctx, target.placeId, 'reply', undefined, at);
      return ({ stats, diagram: diagramChooser, export: exportChooser })[target.purpose].show(ctx, 'reply', at);
    },
    showPlace: (ctx, placeId, how, notice) => place.show(ctx, placeId, how, notice),
    showDevices: (ctx, placeId, how, notice) => place.showDevices(ctx, placeId, how, notice),
    showAdmins: (ctx, how, notice) => admins.show(ctx, how, notice),
    showUiLanguages: (ctx, how) => uiLanguage.show(ctx, how),
    showScheduleSources: (ctx, how) => scheduleSources.show(ctx, how),
    choosePlace: (ctx, purpose) => ({ stats, diagram: diagramChooser, export: exportChooser })[purpose].show(ctx, 'reply'),
  };
  const main = mainMenu(deps, views);
  const place = placeMenu({ ...deps, actions }, views);
  const admins = adminsMenu(deps, views);
  const uiLanguage = uiLanguageMenu(deps, views);
  const stats = statsMenu(deps, views);
  const scheduleSources = scheduleSourcesMenu(deps, views);
  const diagramChooser = choosePlaceMenu('dg', 'diagram', deps, views, (ctx, chosen) => actions.sendDiagramNow(ctx, chosen, ctx.t));
  const exportChooser = choosePlaceMenu('ex', 'export', deps, views, (ctx, chosen) => actions.sendEventsCsv(ctx, chosen, ctx.t));

  // Children first: registering merges each menu's index into its parent's.
  main.menu.register([place.menu, admins.menu, uiLanguage.menu, stats.menu, diagramChooser.menu, exportChooser.menu, scheduleSources.menu]);
  return { root: main.menu, ...views };
}
