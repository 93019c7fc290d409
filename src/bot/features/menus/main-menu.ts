import type { Place, PlaceService, PlaceListing } from '../../../places/place-service.js';
import type { BotContext } from '../../context.js';
import { FIRST_PAGE, listPage, listPayload, parseListPayload, type ListPosition } from '../../views/paged-list.js';
import { mainMenuText, placeButtonLabel, type ViewOf } from '../../views/place-text.js';
import { FLOW } from '../flows/flow-ids.js';
import { addListControls, listNotes, MenuRows, type ListControls } from './list-controls.js';
import { findPlace, label, present, ViewMenu, whenOutdated, withNotice, type AdminViews, type Presentation, type PressContext } from './view-menu.js';

export interface MainMenuDeps {
  places: Pick<PlaceService, 'listing' | 'get'>;
  viewOf: ViewOf;
}

/** A place button's payload: the place, then where the list stands ("12.3", "12.0.дач"); the other buttons: ".3". */
const positionOf = (ctx: BotContext): ListPosition => parseListPayload(ctx.match, 1)?.at ?? FIRST_PAGE;
const placeIdOf = (ctx: BotContext): number | null => parseListPayload(ctx.match, 1)?.ids[0] ?? null;
const payload = (ctx: BotContext): string => listPayload([null], positionOf(ctx));

/**
 * The places with their status, ten a page, searchable by a part of the name, and the way to
 * everything else. Every button carries the page and search, so the list stays where it was.
 */
export function mainMenu({ places, viewOf }: MainMenuDeps, views: AdminViews) {
  // Ids and names of all places, then the page's own rows: 10,000 places stay quick to page.
  const pageAt = async (at: ListPosition) => listPage(await places.listing(), at, (place: PlaceListing) => place.name);
  const rowsOf = async (listed: readonly PlaceListing[]): Promise<Place[]> =>
    (await Promise.all(listed.map((place) => findPlace(places, place.id)))).filter((place) => place !== undefined);
  const menu = new ViewMenu('m', {
    // The places on this page (and how many pages), never labels that age by the minute.
    fingerprint: async (ctx) => {
      const at = positionOf(ctx);
      const shown = await pageAt(at);
      return `m2:${at.page}:${at.query}:${shown.pages}:${shown.items.map((place) => place.id).join(',')}`;
    },
    onMenuOutdated: whenOutdated((ctx) => show(ctx, 'edit', undefined, positionOf(ctx))),
  });
  const controls: ListControls = {
    payload,
    positionOf,
    go: (ctx, to) => show(ctx, 'edit', undefined, to),
    search: (ctx) => ctx.conversation.enter(FLOW.search, { list: 'places' }),
  };
  menu.dynamic(async (ctx, range) => {
    const view = viewOf(ctx.t);
    const at = positionOf(ctx);
    const shown = await pageAt(at);
    const rows = new MenuRows(range);
    for (const place of await rowsOf(shown.items)) rows.button(placeButtonLabel(place, view), listPayload([place.id], at), (ctx) => openPlace(ctx)).row();
    addListControls(rows, ctx, shown, controls);
    return rows.end();
  });
  menu.text({ text: label('btn-add-place'), payload }, (ctx) => ctx.conversation.enter(FLOW.addPlace)).row();
  menu.text({ text: label('btn-admins'), payload }, (ctx) => views.showAdmins(ctx, 'edit'));
  menu.text({ text: label('btn-ui-language'), payload }, (ctx) => views.showUiLanguages(ctx, 'edit')).row();
  menu.text({ text: label('btn-schedule-sources'), payload }, (ctx) => views.showScheduleSources(ctx, 'edit')).row();
  menu.text({ text: label('btn-refresh'), payload }, (ctx) => show(ctx, 'edit', undefined, positionOf(ctx)));

  async function show(ctx: BotContext, how: Presentation, notice?: string, at: ListPosition = FIRST_PAGE): Promise<void> {
    const listing = await places.listing();
    const shown = listPage(listing, at, (place) => place.name);
    const view = viewOf(ctx.t);
    const text = [mainMenuText(listing, view), ...listNotes(shown, at, ctx.t)].join('\n');
    ctx.match = listPayload([null], { page: shown.page, query: at.query }); // Every button carries where the list stands.
    await present(ctx, how, withNotice(notice, text), menu);
  }

  async function openPlace(ctx: PressContext): Promise<void> {
    const id = placeIdOf(ctx);
    if (id === null || !(await findPlace(places, id))) return show(ctx, 'edit', ctx.t('place-gone'), positionOf(ctx));
    return views.showPlace(ctx, id, 'edit');
  }

  return { menu, show };
}
