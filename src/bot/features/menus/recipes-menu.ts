import { InputFile } from 'grammy';
import { heartbeatIntervalFor } from '../../../devices/esp32-config.js';
import { buildRecipe, eventUrlFor, RECIPE_KINDS, recipeLabel, type RecipeKind } from '../../../devices/recipes/index.js';
import type { PlaceService } from '../../../places/place-service.js';
import type { Logger } from '../../../logger.js';
import type { Locale } from '../../../i18n/translator.js';
import { escapeHtml } from '../../../i18n/escape-html.js';
import type { BotContext } from '../../context.js';
import type { DeviceKeyFor } from '../../device-keys.js';
import { recipeMessages } from '../../views/recipe-text.js';
import { findPlace, label, present, ViewMenu, withNotice, type AdminViews, type Presentation, type PressContext } from './view-menu.js';

export interface RecipesMenuDeps {
  places: Pick<PlaceService, 'get'>;
  /** The key a recipe carries (today the place's key; one device per recipe once devices exist). */
  deviceKeyFor: DeviceKeyFor;
  heartbeatUrl: () => string;
  localeOf: (ctx: BotContext) => Promise<Locale>;
  logger: Logger;
}

/** Kinds per page: four rows of two. */
const PAGE_SIZE = 8;
const PAGES = Math.ceil(RECIPE_KINDS.length / PAGE_SIZE);

/** The place and the page of kinds: "12" or "12.1". */
function payloadOf(ctx: BotContext): { placeId: number | null; page: number } {
  const match = typeof ctx.match === 'string' ? /^(\d{1,15})(?:\.(\d{1,2}))?$/.exec(ctx.match) : null;
  const page = match?.[2] ? Number(match[2]) : 0;
  return { placeId: match ? Number(match[1]) : null, page: page < PAGES ? page : 0 };
}

const kindsOn = (page: number): readonly RecipeKind[] => RECIPE_KINDS.slice(page * PAGE_SIZE, (page + 1) * PAGE_SIZE);

/**
 * "🔌 Connect a device": the admin picks what they own from a paged list and gets the recipe for
 * this place as new messages (code blocks, files as documents), so the list stays where it is and
 * another kind is one tap away.
 */
export function recipesMenu(deps: RecipesMenuDeps, views: Pick<AdminViews, 'showMain' | 'showPlace'>) {
  const { places, deviceKeyFor, heartbeatUrl, localeOf, logger } = deps;
  const placeOf = (ctx: BotContext) => findPlace(places, payloadOf(ctx).placeId);
  const onMenuOutdated = async (ctx: PressContext): Promise<void> => {
    await ctx.answerCallbackQuery({ text: ctx.t('menu-outdated') });
    const place = await placeOf(ctx);
    await (place ? show(ctx, place.id, 'edit') : views.showMain(ctx, 'edit', ctx.t('place-gone')));
  };
  const samePayload = (ctx: BotContext) => (typeof ctx.match === 'string' ? ctx.match : '');

  const menu = new ViewMenu('rc', {
    fingerprint: async (ctx) => `rc:${samePayload(ctx)}:${(await placeOf(ctx)) ? 1 : 'gone'}`,
    onMenuOutdated,
  });
  menu.dynamic(async (ctx, range) => {
    const { placeId, page } = payloadOf(ctx);
    if (placeId === null) return range;
    const locale = await localeOf(ctx);
    kindsOn(page).forEach((kind, index) => {
      range.text({ text: recipeLabel(kind, locale), payload: samePayload }, (ctx) => sendRecipe(ctx, kind));
      if (index % 2 === 1) range.row();
    });
    range.row();
    // A button carries the payload its menu was drawn with (the menu finds the pressed button by redrawing it).
    if (page > 0) range.text({ text: label('recipes-btn-previous'), payload: samePayload }, (ctx) => turnTo(ctx, payloadOf(ctx).page - 1));
    if (page < PAGES - 1) range.text({ text: label('recipes-btn-next'), payload: samePayload }, (ctx) => turnTo(ctx, payloadOf(ctx).page + 1));
    return range.row();
  });
  menu.text({ text: label('btn-back'), payload: (ctx) => String(payloadOf(ctx).placeId ?? '') }, async (ctx) => {
    const { placeId } = payloadOf(ctx);
    await (placeId === null ? views.showMain(ctx, 'edit') : views.showPlace(ctx, placeId, 'edit'));
  });

  async function turnTo(ctx: PressContext, page: number): Promise<void> {
    const place = await placeOf(ctx);
    if (!place) return views.showMain(ctx, 'edit', ctx.t('place-gone'));
    await show(ctx, place.id, 'edit', undefined, Math.min(Math.max(page, 0), PAGES - 1));
  }

  async function sendRecipe(ctx: PressContext, kind: RecipeKind): Promise<void> {
    const place = await placeOf(ctx);
    if (!place) return views.showMain(ctx, 'edit', ctx.t('place-gone'));
    const locale = await localeOf(ctx);
    const device = await deviceKeyFor(place.id, kind);
    const url = heartbeatUrl();
    const recipe = buildRecipe(kind, {
      heartbeatUrl: url,
      eventUrl: eventUrlFor(url),
      key: device.key,
      intervalS: heartbeatIntervalFor(place.timeout_s),
      timeoutS: place.timeout_s,
      locale,
      // Named in the recipe's comments and header as the place it reports; the device has its own name in the list.
      deviceName: place.name,
    });
    const { texts, documents } = recipeMessages(recipe, place.name);
    // The key is in these messages (for this admin alone); the log names the kind, never the text.
    for (const text of texts) await ctx.reply(text, { link_preview_options: { is_disabled: true } });
    for (const document of documents) {
      await ctx.replyWithDocument(new InputFile(Buffer.from(document.content, 'utf8'), document.fileName), { caption: document.caption });
    }
    logger.info({ placeId: place.id, userId: ctx.from.id, kind }, 'device recipe sent to an admin');
  }

  async function show(ctx: BotContext, placeId: number, how: Presentation, notice?: string, page = 0): Promise<void> {
    const place = await findPlace(places, placeId);
    if (!place) return views.showMain(ctx, how, ctx.t('place-gone'));
    ctx.match = page > 0 ? `${place.id}.${page}` : String(place.id);
    const text = ctx.t('recipes-title', { name: escapeHtml(place.name), page: page + 1, pages: PAGES });
    await present(ctx, how, withNotice(notice, text), menu);
  }

  return { menu, show };
}
