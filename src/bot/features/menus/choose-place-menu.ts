import type { Location } from '../../../locations/location-service.js';
import type { BotContext } from '../../context.js';
import type { PlaceAccess } from '../../place-access.js';
import { placeButtonLabel, type ViewOf } from '../../views/place-text.js';
import { present, subjectId, ViewMenu, whenOutdated, type AdminViews, type ChoosePurpose, type Presentation, type PressContext } from './view-menu.js';

export interface ChoosePlaceMenuDeps {
  /** Decides which places the person pressing may choose (and checks the pressed one again). */
  access: PlaceAccess;
  viewOf: ViewOf;
}

/**
 * "Which place?" for a command that needs one (/stats, /diagram, /export): one button per place
 * the person may see, and `act` runs with the place pressed. `purpose` names the question's text
 * (`<purpose>-choose`).
 */
export function choosePlaceMenu(
  id: string,
  purpose: ChoosePurpose,
  { access, viewOf }: ChoosePlaceMenuDeps,
  views: Pick<AdminViews, 'showMain'>,
  act: (ctx: PressContext, place: Location) => Promise<void>,
) {
  const visible = (ctx: BotContext) => access.placesFor(ctx.from?.id);
  const menu = new ViewMenu(id, {
    fingerprint: async (ctx) => `${id}:${(await visible(ctx)).map((place) => place.id).join(',')}`,
    onMenuOutdated: whenOutdated((ctx) => show(ctx, 'edit')),
  });
  menu.dynamic(async (ctx, range) => {
    const view = viewOf(ctx.t);
    const places = await visible(ctx);
    places.forEach((place, index) => {
      // One place a row, and no empty row after the last (Telegram shows it as a gap).
      if (index > 0) range.row();
      range.text({ text: placeButtonLabel(place, view), payload: String(place.id) }, async (ctx) => {
        const chosen = await access.placeFor(ctx.from.id, subjectId(ctx));
        if (!chosen) return views.showMain(ctx, 'edit', ctx.t('place-gone'));
        await act(ctx, chosen);
      });
    });
    return range;
  });

  async function show(ctx: BotContext, how: Presentation): Promise<void> {
    const places = await visible(ctx);
    if (places.length === 0) return views.showMain(ctx, how, ctx.t('choose-empty'));
    await present(ctx, how, ctx.t(`${purpose}-choose`), menu);
  }

  return { menu, show };
}
