import { DateTime } from 'luxon';
import type { PlaceService } from '../../../places/place-service.js';
import type { Logger } from '../../../logger.js';
import type { PlaceSubscriber } from '../../../people/subscriber-store.js';
import { escapeHtml } from '../../../i18n/escape-html.js';
import type { BotContext } from '../../context.js';
import type { PeopleServices } from '../../deps.js';
import { FIRST_PAGE, listPage, listPayload, parseListPayload, type ListPosition } from '../../views/paged-list.js';
import { FLOW } from '../flows/flow-ids.js';
import { addListControls, listNotes, MenuRows, type ListControls } from './list-controls.js';
import { findPlace, label, present, ViewMenu, withNotice, type AdminViews, type Presentation, type PressContext } from './view-menu.js';

export interface SubscribersMenuDeps {
  places: Pick<PlaceService, 'get'>;
  people: Pick<PeopleServices, 'subscribers'>;
  logger: Logger;
  timeZone: string;
}

/**
 * A button's payload: the place, the person's row on the page (on a person's button) and where
 * the list stands: "12.4.3", "12..0.олен". The row, not the person's id, keeps the data short
 * (a Telegram id has up to 16 digits and callback data 64 bytes); the menu's fingerprint holds
 * the ids on the page, so a press on a page that changed since is "outdated", never the wrong
 * person. A menu drawn before the list was paged carries "12" or "12.7001".
 */
function payloadOf(ctx: BotContext): { placeId: number | null; row: number | null; at: ListPosition } {
  const parsed = parseListPayload(ctx.match, 2);
  if (parsed) return { placeId: parsed.ids[0] ?? null, row: parsed.ids[1] ?? null, at: parsed.at };
  const legacy = typeof ctx.match === 'string' ? /^(\d{1,15})(?:\.(\d{1,15}))?$/.exec(ctx.match) : null;
  return { placeId: legacy ? Number(legacy[1]) : null, row: null, at: FIRST_PAGE };
}

const byName = (person: PlaceSubscriber) => person.displayName;

/** The list's own payload (no person): where it stands. */
function listAt(ctx: BotContext): string {
  const { placeId, at } = payloadOf(ctx);
  return listPayload([placeId, null], at);
}

const placeOf = (places: SubscribersMenuDeps['places'], ctx: BotContext) => findPlace(places, payloadOf(ctx).placeId);
const pageOfPlace = (people: SubscribersMenuDeps['people'], placeId: number, at: ListPosition) => listPage(people.subscribers.subscribersOf(placeId), at, byName);

/** The person on the pressed button's row of the page it was drawn on. */
function personAt(people: SubscribersMenuDeps['people'], placeId: number, ctx: BotContext): PlaceSubscriber | undefined {
  const { row, at } = payloadOf(ctx);
  return row === null ? undefined : pageOfPlace(people, placeId, at).items[row];
}

/** The list's screens as its menus reach one another (bound in subscribersMenu). */
interface SubscriberListScreens extends Pick<AdminViews, 'showMain' | 'showPlace'> {
  show(ctx: BotContext, placeId: number, how: Presentation, notice?: string, at?: ListPosition): Promise<void>;
  /** The list at `at` again, or the main menu when the place is gone. */
  again(ctx: BotContext, at: ListPosition): Promise<void>;
}

/**
 * Who follows a place, for its admins: ten people a page, each with the day they joined (and
 * whether they blocked the bot), searchable by a part of the name, and a button per person to
 * remove them, after a confirmation that returns to the same page.
 */
export function subscribersMenu(deps: SubscribersMenuDeps, views: Pick<AdminViews, 'showMain' | 'showPlace'>) {
  // The two menus lead to one another; each reaches the other through `screens`, bound below.
  const screens: SubscriberListScreens = {
    showMain: views.showMain,
    showPlace: views.showPlace,
    show: (ctx, placeId, how, notice, at) => showSubscribers(deps, screens, list, ctx, placeId, how, notice, at),
    again: async (ctx, at) => {
      const place = await placeOf(deps.places, ctx);
      await (place ? screens.show(ctx, place.id, 'edit', undefined, at) : views.showMain(ctx, 'edit', ctx.t('place-gone')));
    },
  };
  const onMenuOutdated = async (ctx: PressContext): Promise<void> => {
    await ctx.answerCallbackQuery({ text: ctx.t('menu-outdated') });
    await screens.again(ctx, payloadOf(ctx).at);
  };
  const remove = removeSubscriberMenu(deps, screens, onMenuOutdated);
  const list = subscriberListMenu(deps, screens, onMenuOutdated, remove);

  list.register(remove);
  return { menu: list, show: screens.show };
}

/** A page of the list: a button per person (to remove them), the list's controls, and back to the place. */
function subscriberListMenu(
  { places, people }: Pick<SubscribersMenuDeps, 'places' | 'people'>,
  screens: SubscriberListScreens,
  onMenuOutdated: (ctx: PressContext) => Promise<void>,
  remove: ViewMenu,
): ViewMenu {
  const menu = new ViewMenu('sv', {
    fingerprint: async (ctx) => {
      const { placeId, at } = payloadOf(ctx);
      const place = await placeOf(places, ctx);
      if (!place) return `sv2:${placeId}:gone`;
      const shown = pageOfPlace(people, place.id, at);
      return `sv2:${placeId}:${at.page}:${at.query}:${shown.pages}:${shown.items.map((person) => person.userId).join(',')}`;
    },
    onMenuOutdated,
  });
  const controls: ListControls = {
    payload: listAt,
    positionOf: (ctx) => payloadOf(ctx).at,
    go: (ctx, to) => screens.again(ctx, to),
    search: async (ctx) => {
      const { placeId } = payloadOf(ctx);
      if (placeId !== null) await ctx.conversation.enter(FLOW.search, { list: 'subscribers', placeId });
    },
  };
  const confirmRemoval = async (ctx: PressContext) => {
    const place = await placeOf(places, ctx);
    if (!place) return screens.showMain(ctx, 'edit', ctx.t('place-gone'));
    const chosen = personAt(people, place.id, ctx);
    if (!chosen) return screens.show(ctx, place.id, 'edit', undefined, payloadOf(ctx).at);
    // The confirmation carries the same place, row and position.
    const text = ctx.t('people-subscriber-remove-confirm', { name: escapeHtml(chosen.displayName), place: escapeHtml(place.name) });
    await present(ctx, 'edit', text, remove);
  };
  menu.dynamic((ctx, range) => {
    const { placeId, at } = payloadOf(ctx);
    const rows = new MenuRows(range);
    if (placeId === null) return rows.end();
    const shown = pageOfPlace(people, placeId, at);
    shown.items.forEach((person, row) => {
      rows.button(ctx.t('people-btn-remove-subscriber', { name: person.displayName }), listPayload([placeId, row], at), confirmRemoval).row();
    });
    addListControls(rows, ctx, shown, controls);
    return rows.end();
  });
  menu.text({ text: label('btn-back'), payload: listAt }, async (ctx) => {
    const { placeId } = payloadOf(ctx);
    await (placeId === null ? screens.showMain(ctx, 'edit') : screens.showPlace(ctx, placeId, 'edit'));
  });
  return menu;
}

/** "Remove this person?": yes ends their subscription, either way back to the same page. */
function removeSubscriberMenu(
  { places, people, logger }: Pick<SubscribersMenuDeps, 'places' | 'people' | 'logger'>,
  screens: SubscriberListScreens,
  onMenuOutdated: (ctx: PressContext) => Promise<void>,
): ViewMenu {
  const menu = new ViewMenu('sx', {
    // Who the row holds now: a confirmation for someone who moved off that row is outdated.
    fingerprint: async (ctx) => {
      const place = await placeOf(places, ctx);
      return `sx2:${typeof ctx.match === 'string' ? ctx.match : ''}:${place ? (personAt(people, place.id, ctx)?.userId ?? 'none') : 'gone'}`;
    },
    onMenuOutdated,
  });
  menu
    .text({ text: label('people-btn-remove-subscriber-yes'), payload: (ctx) => (typeof ctx.match === 'string' ? ctx.match : '') }, async (ctx) => {
      const place = await placeOf(places, ctx);
      if (!place) return screens.showMain(ctx, 'edit', ctx.t('place-gone'));
      const { at } = payloadOf(ctx);
      const chosen = personAt(people, place.id, ctx);
      if (!chosen) return screens.show(ctx, place.id, 'edit', undefined, at);
      people.subscribers.unsubscribe(place.id, chosen.userId);
      logger.info({ placeId: place.id, userId: chosen.userId, by: ctx.from.id }, 'subscriber removed by an admin');
      await screens.show(ctx, place.id, 'edit', ctx.t('people-subscriber-removed', { name: escapeHtml(chosen.displayName), place: escapeHtml(place.name) }), at);
    })
    .row()
    // The same payload on both buttons: the fingerprint is computed from the pressed one.
    .text({ text: label('btn-no'), payload: (ctx) => (typeof ctx.match === 'string' ? ctx.match : '') }, (ctx) => screens.again(ctx, payloadOf(ctx).at));
  return menu;
}

/** The list: who follows the place, since when, whether they blocked the bot; ten a page. */
async function showSubscribers(
  { places, people, timeZone }: Pick<SubscribersMenuDeps, 'places' | 'people' | 'timeZone'>,
  screens: Pick<SubscriberListScreens, 'showMain'>,
  menu: ViewMenu,
  ctx: BotContext,
  placeId: number,
  how: Presentation,
  notice?: string,
  at: ListPosition = FIRST_PAGE,
): Promise<void> {
  const place = await findPlace(places, placeId);
  if (!place) return screens.showMain(ctx, how, ctx.t('place-gone'));
  const list = people.subscribers.subscribersOf(place.id);
  const shown = listPage(list, at, byName);
  const lines = [ctx.t('people-subscribers-title', { place: escapeHtml(place.name), count: list.length }), ...listNotes(shown, at, ctx.t)];
  if (list.length === 0) lines.push(ctx.t('people-subscribers-none'));
  for (const person of shown.items) {
    const since = DateTime.fromMillis(person.since, { zone: timeZone }).toFormat('dd.MM.yyyy');
    lines.push(ctx.t('people-subscriber-line', { name: escapeHtml(person.displayName), since, inactive: person.active ? 'no' : 'yes' }));
  }
  ctx.match = listPayload([place.id, null], { page: shown.page, query: at.query });
  await present(ctx, how, withNotice(notice, lines.join('\n')), menu);
}
