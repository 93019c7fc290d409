import type { MenuRange } from '@grammyjs/menu';
import { InputFile } from 'grammy';
import type { Clock } from '../../../clock.js';
import type { Place, PlaceService } from '../../../places/place-service.js';
import type { Logger } from '../../../logger.js';
import { subscriberMenuId } from '../../../people/roles.js';
import type { Subscription, SubscriberMessageKind } from '../../../people/subscriber-store.js';
import { formatDuration } from '../../../i18n/duration.js';
import { escapeHtml } from '../../../i18n/escape-html.js';
import { localTime } from '../../../i18n/time-text.js';
import type { Locale } from '../../../i18n/translator.js';
import type { BotContext } from '../../context.js';
import type { BotServices, DiagramImages } from '../../deps.js';
import type { PlaceAccess } from '../../place-access.js';
import type { ViewContext, ViewOf } from '../../views/place-text.js';
import { scheduleCardLines } from '../../views/schedule-text.js';
import { statsMenu } from '../menus/stats-menu.js';
import { findPlace, label, present, subjectId, subjectPayload, ViewMenu, whenOutdated, withNotice, type Presentation, type PressContext } from '../menus/view-menu.js';
import { addListControls, listNotes, MenuRows } from '../menus/list-controls.js';
import { FIRST_PAGE, listPage, listPayload, parseListPayload, type ListPosition } from '../../views/paged-list.js';
import type { StatsReplies } from '../stats-replies.js';
import { subscriberSettingsMenu, type SubscriberSettingsDeps } from './subscriber-settings-menu.js';

/** The settings menu's own (people, admins, languages), and what the places and /stats need. */
export interface SubscriberMenusDeps extends SubscriberSettingsDeps {
  places: Pick<PlaceService, 'get'>;
  schedules: Pick<BotServices['schedules'], 'view'>;
  /** Decides which places a person may see (for /stats): the ones they follow. */
  access: PlaceAccess;
  stats: Pick<StatsReplies, 'send'>;
  diagramImages?: DiagramImages;
  viewOf: ViewOf;
  /** The reader's language: region names of schedules, and the diagram drawn for them. */
  localeOf: (ctx: BotContext) => Promise<Locale>;
  clock: Clock;
  logger: Logger;
  timeZone: string;
}

/** The subscriber's views; menus and commands reach each other through it. */
export interface SubscriberViews {
  showHome(ctx: BotContext, how: Presentation, notice?: string): Promise<void>;
  showSettings(ctx: BotContext, how: Presentation, notice?: string): Promise<void>;
  chooseStats(ctx: BotContext): Promise<void>;
}

export interface SubscriberMenus extends SubscriberViews {
  /** Install after every createConversation, like the admin menus. */
  root: ViewMenu;
}

const CHOICE_KEYS: Record<SubscriberMessageKind, string> = {
  alerts: 'people-choice-alerts',
  plan_warnings: 'people-choice-plan-warnings',
  weekly: 'people-choice-weekly',
};

/** A followed place and the person's subscription to it. */
interface FollowedPlace {
  place: Place;
  subscription: Subscription;
}

/** The places the presser follows, read afresh on every press: they may have left one meanwhile. */
interface Following {
  subscription(ctx: BotContext, placeId: number | null): Subscription | undefined;
  /** The place pressed, when the presser follows it and it still exists. */
  pressed(ctx: BotContext): Promise<FollowedPlace | undefined>;
  /** Every place they follow that still exists. */
  places(ctx: BotContext): Promise<FollowedPlace[]>;
}

/** The subscriber's screens as the menus reach one another (bound in createSubscriberMenus). */
interface SubscriberScreens {
  showHome(ctx: BotContext, how: Presentation, notice?: string, at?: ListPosition): Promise<void>;
  showPlace(ctx: BotContext, placeId: number, how: Presentation, notice?: string): Promise<void>;
  showSettings(ctx: BotContext, how: Presentation, notice?: string): Promise<void>;
  /** The periods of /stats for one place, as a new message. */
  showStats(ctx: BotContext, place: Place): Promise<void>;
}

/**
 * What a subscriber sees: only the places they follow (status, since when, today's diagram, the
 * plan when there is one, what they get about each, "leave") and their own settings (language,
 * quiet hours). Every menu id is a subscriber menu id and every payload a place id or nothing,
 * so the guard in front (roles.ts authorizeCallback) can refuse anything else; each handler also
 * checks again that the person still follows the place.
 */
export function createSubscriberMenus(deps: SubscriberMenusDeps): SubscriberMenus {
  const followed = following(deps);
  // The menus lead to one another; each reaches the others through `screens`, bound below.
  const screens: SubscriberScreens = {
    showHome: (ctx, how, notice, at) => home.show(ctx, how, notice, at),
    showPlace: (ctx, placeId, how, notice) => place.show(ctx, placeId, how, notice),
    showSettings: (ctx, how, notice) => settings.show(ctx, how, notice),
    showStats: (ctx, chosen) => stats.showPeriods(ctx, chosen, 'reply'),
  };
  const home = homeMenu(deps, followed, screens);
  const place = followedPlaceMenu(deps, followed, screens);
  const settings = subscriberSettingsMenu(deps, screens);
  // /stats of the places they follow, under subscriber menu ids.
  const stats = statsMenu(
    { access: deps.access, viewOf: deps.viewOf, stats: deps.stats },
    { showMain: (ctx, how, notice) => home.show(ctx, how, notice) },
    { chooser: subscriberMenuId('stats'), periods: subscriberMenuId('period'), searchable: false },
  );

  // Children first: registering merges each menu's index into its parent's (the place menu registered its leave confirmation).
  home.menu.register([place.menu, settings.menu, stats.menu]);
  return {
    root: home.menu,
    showHome: home.show,
    showSettings: settings.show,
    chooseStats: (ctx) => stats.show(ctx, 'reply'),
  };
}

function following({ people, places }: Pick<SubscriberMenusDeps, 'people' | 'places'>): Following {
  const subscriptionsOf = (ctx: BotContext): Subscription[] => (ctx.from ? people.subscribers.placesOf(ctx.from.id) : []);
  const subscription = (ctx: BotContext, placeId: number | null) => subscriptionsOf(ctx).find((entry) => entry.placeId === placeId);
  return {
    subscription,
    async pressed(ctx) {
      const found = subscription(ctx, subjectId(ctx));
      const place = found && (await findPlace(places, found.placeId));
      return place && found && { place, subscription: found };
    },
    async places(ctx) {
      const found = await Promise.all(subscriptionsOf(ctx).map(async (entry) => ({ subscription: entry, place: await findPlace(places, entry.placeId) })));
      return found.flatMap(({ place, subscription }) => (place ? [{ place, subscription }] : []));
    },
  };
}

/** A button about a followed place: runs `handler` with it, or goes home when they no longer follow it. */
function onFollowedPlace(followed: Following, screens: Pick<SubscriberScreens, 'showHome'>) {
  return (handler: (ctx: PressContext, place: Place, subscription: Subscription) => Promise<unknown>) =>
    async (ctx: PressContext): Promise<void> => {
      const found = await followed.pressed(ctx);
      if (!found) return screens.showHome(ctx, 'edit', ctx.t('people-place-gone'));
      await handler(ctx, found.place, found.subscription);
    };
}

const placeButton = (key: string) => ({ text: label(key), payload: subjectPayload });

// --- home: the places the person follows, ten a page ---
// A place button carries the place and the page ("12.3"), the others the page (".3"): roles.ts lets both through.
const homeAt = (ctx: BotContext): ListPosition => ({ page: parseListPayload(ctx.match, 1)?.at.page ?? 0, query: '' });
const homePayload = (ctx: BotContext) => listPayload([null], homeAt(ctx));

function homeMenu({ places, viewOf }: Pick<SubscriberMenusDeps, 'places' | 'viewOf'>, followed: Following, screens: SubscriberScreens) {
  const homePage = async (ctx: BotContext) => listPage(await followed.places(ctx), homeAt(ctx), ({ place }) => place.name);
  const menu = new ViewMenu(subscriberMenuId(), {
    fingerprint: async (ctx) => {
      const shown = await homePage(ctx);
      return `sb2:${shown.page}:${shown.pages}:${shown.items.map(({ place }) => place.id).join(',')}`;
    },
    onMenuOutdated: whenOutdated((ctx) => show(ctx, 'edit', undefined, homeAt(ctx))),
  });
  menu.dynamic(async (ctx, range) => {
    const shown = await homePage(ctx);
    const rows = new MenuRows(range);
    for (const { place } of shown.items) rows.button(`${statusMark(place)} ${place.name}`, listPayload([place.id], homeAt(ctx)), openPlace).row();
    addListControls(rows, ctx, shown, { payload: homePayload, positionOf: homeAt, go: (ctx, to) => show(ctx, 'edit', undefined, to) });
    return rows.end();
  });
  menu.text({ text: label('people-btn-settings'), payload: homePayload }, (ctx) => screens.showSettings(ctx, 'edit'));
  menu.text({ text: label('btn-refresh'), payload: homePayload }, (ctx) => show(ctx, 'edit', undefined, homeAt(ctx)));

  async function openPlace(ctx: PressContext): Promise<void> {
    const placeId = parseListPayload(ctx.match, 1)?.ids[0] ?? null;
    const found = placeId === null ? undefined : followed.subscription(ctx, placeId) && (await findPlace(places, placeId));
    if (!found) return show(ctx, 'edit', ctx.t('people-place-gone'));
    await screens.showPlace(ctx, found.id, 'edit');
  }

  async function show(ctx: BotContext, how: Presentation, notice?: string, at: ListPosition = FIRST_PAGE): Promise<void> {
    const followedNow = await followed.places(ctx);
    if (followedNow.length === 0) {
      const text = withNotice(notice, ctx.t('people-home-none'));
      // An empty keyboard, said outright: left out, the menu plugin would put the pressed menu back.
      if (how === 'edit') await ctx.editMessageText(text, { reply_markup: { inline_keyboard: [] } }).catch(() => ctx.reply(text));
      else await ctx.reply(text);
      return;
    }
    const view = viewOf(ctx.t);
    const shown = listPage(followedNow, at, ({ place }) => place.name);
    const lines = [ctx.t('people-places-title'), ...listNotes(shown, at, ctx.t), ''];
    for (const { place } of shown.items) lines.push(ctx.t('people-home-place', { place: escapeHtml(place.name), status: statusLine(place, view) }), '');
    lines.push(ctx.t('people-home-hint'));
    ctx.match = listPayload([null], { page: shown.page, query: '' });
    await present(ctx, how, withNotice(notice, lines.join('\n')), menu);
  }

  return { menu, show };
}

// --- one place: status, plan, diagram, stats, what they get about it, leaving ---
type FollowedPlaceDeps = Pick<SubscriberMenusDeps, 'places' | 'schedules' | 'viewOf' | 'localeOf' | 'people' | 'languages' | 'logger'> & DiagramDeps;

function followedPlaceMenu(deps: FollowedPlaceDeps, followed: Following, screens: SubscriberScreens) {
  const { places, schedules, viewOf } = deps;
  const withPlace = onFollowedPlace(followed, screens);
  const hasPlan = (placeId: number) => schedules.view(placeId) !== null;
  const menu = new ViewMenu(subscriberMenuId('place'), {
    fingerprint: (ctx) => {
      const id = subjectId(ctx);
      return `sbp:${subjectPayload(ctx)}:${followed.subscription(ctx, id) ? 1 : 0}:${id !== null && hasPlan(id) ? 1 : 0}`;
    },
    onMenuOutdated: whenOutdated(async (ctx) => {
      const id = subjectId(ctx);
      await (followed.subscription(ctx, id) && id !== null ? show(ctx, id, 'edit') : screens.showHome(ctx, 'edit'));
    }),
  });
  const leave = leaveMenu(deps, followed, screens);
  menu
    .text(placeButton('people-btn-diagram'), withPlace((ctx, place) => sendDiagram(deps, ctx, place)))
    .text(placeButton('people-btn-stats'), withPlace((ctx, place) => screens.showStats(ctx, place)))
    .row();
  menu.dynamic((ctx, range) => choiceButtons(deps, followed, screens, ctx, range));
  menu
    .text(
      placeButton('people-btn-leave'),
      withPlace((ctx, place) => present(ctx, 'edit', ctx.t('people-leave-confirm', { place: escapeHtml(place.name) }), leave)),
    )
    .row()
    .text(placeButton('people-btn-my-places'), (ctx) => screens.showHome(ctx, 'edit'));

  async function show(ctx: BotContext, placeId: number, how: Presentation, notice?: string): Promise<void> {
    const place = followed.subscription(ctx, placeId) && (await findPlace(places, placeId));
    if (!place) return screens.showHome(ctx, how, ctx.t('people-place-gone'));
    const view = viewOf(ctx.t);
    const lines = [ctx.t('place-title', { name: escapeHtml(place.name) }), statusLine(place, view)];
    if (place.paused) lines.push(ctx.t('place-paused'));
    const schedule = schedules.view(place.id);
    if (schedule) lines.push(...scheduleCardLines(schedule, view, await deps.localeOf(ctx)));
    lines.push('', ctx.t('people-choices-title', { place: escapeHtml(place.name) }));
    ctx.match = String(place.id);
    await present(ctx, how, withNotice(notice, lines.join('\n')), menu);
  }

  // Children first: registering merges each menu's index into its parent's.
  menu.register(leave);
  return { menu, show };
}

/** One button per kind of message they may get about the place (plan warnings only with a plan), each a switch. */
function choiceButtons(
  { people, schedules }: Pick<SubscriberMenusDeps, 'people' | 'schedules'>,
  followed: Following,
  screens: SubscriberScreens,
  ctx: BotContext,
  range: MenuRange<BotContext>,
): MenuRange<BotContext> {
  const id = subjectId(ctx);
  const subscription = followed.subscription(ctx, id);
  if (id === null || !subscription) return range;
  const kinds: SubscriberMessageKind[] = schedules.view(id) !== null ? ['alerts', 'plan_warnings', 'weekly'] : ['alerts', 'weekly'];
  const withPlace = onFollowedPlace(followed, screens);
  for (const kind of kinds) {
    range
      .text(
        { text: ctx.t(CHOICE_KEYS[kind], { on: subscription.choices[kind] ? 'yes' : 'no' }), payload: String(id) },
        withPlace(async (ctx, place, current) => {
          people.subscribers.setChoices(ctx.from.id, place.id, { [kind]: !current.choices[kind] });
          await screens.showPlace(ctx, place.id, 'edit');
        }),
      )
      .row();
  }
  return range;
}

type DiagramDeps = Pick<SubscriberMenusDeps, 'diagramImages' | 'clock' | 'timeZone' | 'localeOf' | 'logger'>;

/** Today's diagram of the place, drawn in the reader's language. */
async function sendDiagram({ diagramImages, clock, timeZone, localeOf, logger }: DiagramDeps, ctx: PressContext, place: Place): Promise<void> {
  if (!diagramImages) {
    await ctx.reply(ctx.t('people-diagram-unavailable'));
    return;
  }
  await ctx.replyWithChatAction('upload_photo').catch(() => undefined);
  try {
    const diagram = await diagramImages.render({ placeId: place.id, now: clock.now(), timeZone, language: await localeOf(ctx) });
    await ctx.replyWithPhoto(new InputFile(diagram.png, `diagram-${place.id}.png`), { caption: diagram.caption });
  } catch (error) {
    logger.warn({ err: error, placeId: place.id }, "a subscriber's diagram could not be drawn");
    await ctx.reply(ctx.t('people-diagram-failed', { place: escapeHtml(place.name) }));
  }
}

/** "Leave this place?": yes ends the subscription (their language is kept), no goes back to the place. */
function leaveMenu({ people, languages, logger }: Pick<SubscriberMenusDeps, 'people' | 'languages' | 'logger'>, followed: Following, screens: SubscriberScreens) {
  const withPlace = onFollowedPlace(followed, screens);
  const menu = new ViewMenu(subscriberMenuId('leave'), {
    fingerprint: (ctx) => `sbl:${subjectPayload(ctx)}:${followed.subscription(ctx, subjectId(ctx)) ? 1 : 0}`,
    onMenuOutdated: whenOutdated((ctx) => screens.showHome(ctx, 'edit')),
  });
  menu
    .text(
      placeButton('people-btn-leave-yes'),
      withPlace(async (ctx, place) => {
        const language = people.subscribers.person(ctx.from.id)?.language;
        if (language) await languages.remember(ctx.from.id, language);
        people.subscribers.unsubscribe(place.id, ctx.from.id);
        logger.info({ placeId: place.id, userId: ctx.from.id }, 'a subscriber left a place');
        await screens.showHome(ctx, 'edit', ctx.t('people-left', { place: escapeHtml(place.name) }));
      }),
    )
    .row()
    .text(placeButton('btn-no'), withPlace((ctx, place) => screens.showPlace(ctx, place.id, 'edit')));
  return menu;
}

/** 🟢 / 🔴 / ⚪ / ⏸ in front of a place's name on a button. */
function statusMark(place: Pick<Place, 'status' | 'paused'>): string {
  if (place.paused) return '⏸';
  return place.status === 'on' ? '🟢' : place.status === 'off' ? '🔴' : '⚪';
}

/** "🟢 Світло є 3 год (з 14:05)", or waiting for the first signal. */
function statusLine(place: Place, view: ViewContext): string {
  const { t, now } = view;
  if (place.status_since === null) return t('place-status-waiting');
  return t(`place-status-${place.status}`, { duration: formatDuration(now - place.status_since, t), since: localTime(place.status_since, view) });
}
