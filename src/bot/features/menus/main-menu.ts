import type { LocationService } from '../../../locations/location-service.js';
import type { BotContext } from '../../context.js';
import { mainMenuText, placeButtonLabel, type ViewOf } from '../../views/place-text.js';
import { FLOW } from '../flows/flow-ids.js';
import {
  findPlace,
  label,
  placeIds,
  present,
  subjectId,
  ViewMenu,
  whenOutdated,
  withNotice,
  type AdminViews,
  type Presentation,
  type PressContext,
} from './view-menu.js';

export interface MainMenuDeps {
  locations: Pick<LocationService, 'list' | 'get'>;
  viewOf: ViewOf;
}

/** The places with their status, and the way to everything else. */
export function mainMenu({ locations, viewOf }: MainMenuDeps, views: AdminViews) {
  const menu = new ViewMenu('m', {
    fingerprint: async () => `m:${await placeIds(locations)}`,
    onMenuOutdated: whenOutdated((ctx) => show(ctx, 'edit')),
  });
  menu.dynamic(async (ctx, range) => {
    const view = viewOf(ctx.t);
    for (const place of await locations.list()) {
      range.text({ text: placeButtonLabel(place, view), payload: String(place.id) }, (ctx) => openPlace(ctx)).row();
    }
    return range;
  });
  menu.text(label('btn-add-place'), (ctx) => ctx.conversation.enter(FLOW.addPlace)).row();
  menu.text(label('btn-admins'), (ctx) => views.showAdmins(ctx, 'edit'));
  menu.text(label('btn-ui-language'), (ctx) => views.showUiLanguages(ctx, 'edit')).row();
  menu.text(label('btn-schedule-sources'), (ctx) => views.showScheduleSources(ctx, 'edit')).row();
  menu.text(label('btn-refresh'), (ctx) => show(ctx, 'edit'));

  async function show(ctx: BotContext, how: Presentation, notice?: string): Promise<void> {
    const text = mainMenuText(await locations.list(), viewOf(ctx.t));
    await present(ctx, how, withNotice(notice, text), menu);
  }

  async function openPlace(ctx: PressContext): Promise<void> {
    const id = subjectId(ctx);
    if (id === null || !(await findPlace(locations, id))) return show(ctx, 'edit', ctx.t('place-gone'));
    return views.showPlace(ctx, id, 'edit');
  }

  return { menu, show };
}
