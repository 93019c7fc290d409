import type { Location, LocationService } from '../../../locations/location-service.js';
import type { BotContext } from '../../context.js';
import { placeButtonLabel, type ViewOf } from '../../views/place-text.js';
import { findPlace, placeIds, present, subjectId, ViewMenu, whenOutdated, type AdminViews, type Presentation, type PressContext } from './view-menu.js';

export interface ChoosePlaceMenuDeps {
  locations: Pick<LocationService, 'list' | 'get'>;
  viewOf: ViewOf;
}

/**
 * "Which place?" for a command that needs one (/diagram, /export): one button per place, and
 * `act` runs with the place pressed. `purpose` names the question's text (`<purpose>-choose`).
 */
export function choosePlaceMenu(
  id: string,
  purpose: 'diagram' | 'export',
  { locations, viewOf }: ChoosePlaceMenuDeps,
  views: AdminViews,
  act: (ctx: PressContext, place: Location) => Promise<void>,
) {
  const menu = new ViewMenu(id, {
    fingerprint: async () => `${id}:${await placeIds(locations)}`,
    onMenuOutdated: whenOutdated((ctx) => show(ctx, 'edit')),
  });
  menu.dynamic(async (ctx, range) => {
    const view = viewOf(ctx.t);
    for (const place of await locations.list()) {
      range
        .text({ text: placeButtonLabel(place, view), payload: String(place.id) }, async (ctx) => {
          const chosen = await findPlace(locations, subjectId(ctx));
          if (!chosen) return views.showMain(ctx, 'edit', ctx.t('place-gone'));
          await act(ctx, chosen);
        })
        .row();
    }
    return range;
  });

  async function show(ctx: BotContext, how: Presentation): Promise<void> {
    const places = await locations.list();
    if (places.length === 0) return views.showMain(ctx, how, ctx.t('choose-empty'));
    await present(ctx, how, ctx.t(`${purpose}-choose`), menu);
  }

  return { menu, show };
}
