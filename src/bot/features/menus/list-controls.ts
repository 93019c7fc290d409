import type { MenuRange } from '@grammyjs/menu';
import type { MiddlewareFn } from 'grammy';
import { escapeHtml } from '../../../i18n/escape-html.js';
import type { Translate } from '../../../i18n/translator.js';
import type { BotContext } from '../../context.js';
import { FIRST_PAGE, SEARCH_FROM, type ListPage, type ListPosition } from '../../views/paged-list.js';
import type { PressContext } from './view-menu.js';

type Handler = MiddlewareFn<PressContext>;

/**
 * Writes a dynamic range row by row without empty rows (Telegram draws one as a gap): a row
 * break is made only between rows that have buttons, and `end()` leaves the range ready for the
 * static buttons that follow it.
 */
export class MenuRows {
  /** The current row has buttons. */
  private open = false;
  /** A new row was asked for; it starts with the next button. */
  private broken = false;
  constructor(readonly range: MenuRange<BotContext>) {}

  button(text: string, payload: string, handler: Handler): this {
    if (this.broken) this.range.row();
    this.broken = false;
    this.range.text({ text, payload }, handler);
    this.open = true;
    return this;
  }

  row(): this {
    if (this.open) this.broken = true;
    this.open = false;
    return this;
  }

  /** Ends the range with a row break when it has buttons, so static buttons after it start a row of their own. */
  end(): MenuRange<BotContext> {
    if (this.open || this.broken) this.range.row();
    this.open = false;
    this.broken = false;
    return this.range;
  }
}

export interface ListControls {
  /** The payload every button of the menu carries: where the list stands now. */
  payload: (ctx: BotContext) => string;
  /** Where the list stands, read back from the pressed button's payload. */
  positionOf: (ctx: BotContext) => ListPosition;
  /** Shows the list at another position. */
  go: (ctx: PressContext, to: ListPosition) => Promise<void>;
  /** Asks for a part of the name (absent where the person cannot type a search, e.g. subscribers). */
  search?: (ctx: PressContext) => Promise<unknown>;
}

/**
 * ◀️ ▶️ under a list longer than a page (⏮ ⏭ to its ends once they are more than a page away),
 * and 🔎 once it is longer than one page (or "search again" and "show all" after a search). Every button carries the list's current position, and each handler reads it
 * back from the press, so a press means the same after a restart.
 */
export function addListControls(rows: MenuRows, ctx: BotContext, shown: ListPage<unknown>, controls: ListControls): void {
  const at = controls.positionOf(ctx);
  const payload = controls.payload(ctx);
  const step = (by: number) => (ctx: PressContext) => {
    const from = controls.positionOf(ctx);
    return controls.go(ctx, { ...from, page: Math.max(0, from.page + by) });
  };
  // The page a press leads to is worked out from the pressed button's position, not fixed at drawing.
  const jump = (to: 'first' | 'last') => (ctx: PressContext) => controls.go(ctx, { ...controls.positionOf(ctx), page: to === 'first' ? 0 : Number.MAX_SAFE_INTEGER });
  rows.row();
  if (shown.page > 1) rows.button('⏮', payload, jump('first'));
  if (shown.page > 0) rows.button('◀️', payload, step(-1));
  if (shown.page < shown.pages - 1) rows.button('▶️', payload, step(+1));
  if (shown.page < shown.pages - 2) rows.button('⏭', payload, jump('last'));
  const search = controls.search;
  if (!search) return;
  rows.row();
  if (at.query !== '') {
    rows.button(ctx.t('btn-list-search-again'), payload, (ctx) => search(ctx)).button(ctx.t('btn-list-search-clear'), payload, (ctx) => controls.go(ctx, FIRST_PAGE));
  } else if (shown.total >= SEARCH_FROM) {
    rows.button(ctx.t('btn-list-search'), payload, (ctx) => search(ctx));
  }
}

/** The lines under a list's title: what was searched (and how much was found), and the page. */
export function listNotes(shown: ListPage<unknown>, at: ListPosition, t: Translate): string[] {
  const lines: string[] = [];
  if (at.query !== '') lines.push(t('list-search-found', { query: escapeHtml(at.query), count: shown.total }));
  if (shown.pages > 1) lines.push(t('list-page', { page: shown.page + 1, pages: shown.pages }));
  return lines;
}
