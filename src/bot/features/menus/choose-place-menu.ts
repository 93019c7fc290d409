import type { Place, PlaceListing } from '../../../places/place-service.js';
import type { BotContext } from '../../context.js';
import type { PlaceAccess } from '../../place-access.js';
import { FIRST_PAGE, listPage, listPayload, parseListPayload, type ListPosition } from '../../views/paged-list.js';
import { placeButtonLabel, type ViewOf } from '../../views/place-text.js';
import { FLOW } from '../flows/flow-ids.js';
import { addListControls, listNotes, MenuRows, type ListControls } from './list-controls.js';
import { present, ViewMenu, whenOutdated, type AdminViews, type ChoosePurpose, type Presentation, type PressContext, type SearchTarget } from './view-menu.js';

export interface ChoosePlaceMenuDeps {
  /** Decides which places the person pressing may choose (and checks the pressed one again). */
  access: PlaceAccess;
  viewOf: ViewOf;
}

/** A place button's payload: the place and where the list stands ("12.3"); the pager's: ".3". */
const positionOf = (ctx: BotContext): ListPosition => parseListPayload(ctx.match, 1)?.at ?? FIRST_PAGE;
const placeIdOf = (ctx: BotContext): number | null => parseListPayload(ctx.match, 1)?.ids[0] ?? null;

/**
 * "Which place?" for a command that needs one (/stats, /diagram, /export): one button per place
 * the person may see, ten a page, and `act` runs with the place pressed. `purpose` names the
 * question's text (`<purpose>-choose`). `search` is how a long list is searched (admins type a
 * part of the name; subscribers, who have only their own few places, page through them).
 */
export function choosePlaceMenu(
  id: string,
  purpose: ChoosePurpose,
  { access, viewOf }: ChoosePlaceMenuDeps,
  views: Pick<AdminViews, 'showMain'>,
  act: (ctx: PressContext, place: Place) => Promise<void>,
  search: SearchTarget | null = { list: 'choose', purpose },
) {
  const pageFor = async (ctx: BotContext, at: ListPosition) => listPage(await access.placesFor(ctx.from?.id), at, (place: PlaceListing) => place.name);
  const menu = new ViewMenu(id, {
    fingerprint: async (ctx) => {
      const at = positionOf(ctx);
      const shown = await pageFor(ctx, at);
      return `${id}:${at.page}:${at.query}:${shown.pages}:${shown.items.map((place) => place.id).join(',')}`;
    },
    onMenuOutdated: whenOutdated((ctx) => show(ctx, 'edit', positionOf(ctx))),
  });
  const controls: ListControls = {
    payload: (ctx) => listPayload([null], positionOf(ctx)),
    positionOf,
    go: (ctx, to) => show(ctx, 'edit', to),
    ...(search ? { search: (ctx: PressContext) => ctx.conversation.enter(FLOW.search, search) } : {}),
  };
  menu.dynamic(async (ctx, range) => {
    const view = viewOf(ctx.t);
    const at = positionOf(ctx);
    const shown = await pageFor(ctx, at);
    const rows = new MenuRows(range);
    // The page's own rows (the list holds ids and names): the buttons show each place's status.
    const onPage = await Promise.all(shown.items.map((listed) => access.placeFor(ctx.from?.id, listed.id)));
    for (const place of onPage.filter((found) => found !== undefined)) {
      rows
        .button(placeButtonLabel(place, view), listPayload([place.id], at), async (ctx) => {
          const chosen = await access.placeFor(ctx.from.id, placeIdOf(ctx));
          if (!chosen) return views.showMain(ctx, 'edit', ctx.t('place-gone'));
          await act(ctx, chosen);
        })
        .row();
    }
    addListControls(rows, ctx, shown, controls);
    // The last row stays open: nothing follows the list, and Telegram draws an empty row as a gap.
    return range;
  });

  async function show(ctx: BotContext, how: Presentation, at: ListPosition = FIRST_PAGE): Promise<void> {
    const places = await access.placesFor(ctx.from?.id);
    if (places.length === 0) return views.showMain(ctx, how, ctx.t('choose-empty'));
    const shown = listPage(places, at, (place) => place.name);
    ctx.match = listPayload([null], { page: shown.page, query: at.query });
    await present(ctx, how, [ctx.t(`${purpose}-choose`), ...listNotes(shown, at, ctx.t)].join('\n'), menu);
  }

  return { menu, show };
}
