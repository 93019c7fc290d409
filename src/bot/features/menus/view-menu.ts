import type { Filter } from 'grammy';
import { Menu, type MenuFlavor } from '@grammyjs/menu';
import type { InlineKeyboardMarkup } from 'grammy/types';
import { PlaceInputError } from '../../../places/place-rules.js';
import type { Place, PlaceService } from '../../../places/place-service.js';
import { isNotModified } from '../../../telegram/telegram-errors.js';
import type { BotContext } from '../../context.js';

/** A menu press: the context grammY's menu plugin hands to a button's handler. */
export type PressContext = Filter<BotContext, 'callback_query:data'> & MenuFlavor;

/** How a view reaches the chat: as a new message, or by editing the message that was pressed. */
export type Presentation = 'reply' | 'edit';

/**
 * A menu that can also render its keyboard for a message sent outside the menu middleware, e.g.
 * at the end of a conversation (conversations answer before the menu middleware runs).
 */
export class ViewMenu extends Menu<BotContext> {
  async markup(ctx: BotContext): Promise<InlineKeyboardMarkup> {
    return { inline_keyboard: await this.render(ctx) };
  }
}

/** The commands that first ask "which place?" (their question is `<purpose>-choose`). */
export type ChoosePurpose = 'stats' | 'diagram' | 'export';

/** A list the admin can search by a part of a name: the places, a place's subscribers, "which place?". */
export type SearchTarget = { list: 'places' } | { list: 'subscribers'; placeId: number } | { list: 'choose'; purpose: ChoosePurpose };

/** Every view the admin chat can show; menus and conversations reach each other through it. */
export interface AdminViews {
  showMain(ctx: BotContext, how: Presentation, notice?: string): Promise<void>;
  /** A list searched by `query`, as a new message (the search was typed). */
  showSearch(ctx: BotContext, target: SearchTarget, query: string): Promise<void>;
  showPlace(ctx: BotContext, placeId: number, how: Presentation, notice?: string): Promise<void>;
  /** A place's "📟 Пристрої": its devices and what each last said. */
  showDevices(ctx: BotContext, placeId: number, how: Presentation, notice?: string): Promise<void>;
  showAdmins(ctx: BotContext, how: Presentation, notice?: string): Promise<void>;
  showUiLanguages(ctx: BotContext, how: Presentation): Promise<void>;
  /** "📅 Джерела графіків": the schedule sources in one look (schedule-sources-menu.ts). */
  showScheduleSources(ctx: BotContext, how: Presentation): Promise<void>;
  choosePlace(ctx: BotContext, purpose: ChoosePurpose): Promise<void>;
}

/** Shows `text` with `menu` under it, as a new message or in place of the pressed one. */
export async function present(ctx: BotContext, how: Presentation, text: string, menu: ViewMenu): Promise<void> {
  const reply_markup = await menu.markup(ctx);
  if (how === 'reply') {
    await ctx.reply(text, { reply_markup });
    return;
  }
  try {
    await ctx.editMessageText(text, { reply_markup });
  } catch (error) {
    // Refresh on an unchanged view: the message already shows what we want.
    if (!isNotModified(error)) throw error;
  }
}

/** A short line above a view that says what just happened. */
export const withNotice = (notice: string | undefined, text: string): string => (notice ? `${notice}\n\n${text}` : text);

/** A button label in the admin's language. */
export const label =
  (key: string) =>
  (ctx: BotContext): string =>
    ctx.t(key);

/** The subject of a place or admin menu travels in the button payload and comes back in ctx.match. */
export function subjectId(ctx: BotContext): number | null {
  const match = ctx.match;
  return typeof match === 'string' && /^\d{1,15}$/.test(match) ? Number(match) : null;
}

export const subjectPayload = (ctx: BotContext): string => (typeof ctx.match === 'string' ? ctx.match : '');

/** The place with this id, or undefined when it is gone (or the id is not one). */
export async function findPlace(places: Pick<PlaceService, 'get'>, id: number | null): Promise<Place | undefined> {
  if (id === null) return undefined;
  try {
    return await places.get(id);
  } catch (error) {
    if (error instanceof PlaceInputError) return undefined;
    throw error;
  }
}

/** What a menu whose fingerprint changed shows instead of a dead end. */
export function whenOutdated(show: (ctx: PressContext) => Promise<void>) {
  return async (ctx: PressContext): Promise<void> => {
    await ctx.answerCallbackQuery({ text: ctx.t('menu-outdated') });
    await show(ctx);
  };
}
