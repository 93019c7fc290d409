import { InputFile } from 'grammy';
import type { AdminStore } from '../../../admins/admin-store.js';
import type { Clock } from '../../../clock.js';
import type { Place, PlaceService } from '../../../places/place-service.js';
import type { Logger } from '../../../logger.js';
import { describeQuietHours, formatQuietWindow } from '../../../people/quiet-hours.js';
import type { QuietWindow } from '../../../outbox/payload-parts.js';
import { subscriberMenuId } from '../../../people/roles.js';
import type { Subscription, SubscriberMessageKind } from '../../../people/subscriber-store.js';
import { formatDuration } from '../../../i18n/duration.js';
import { escapeHtml } from '../../../i18n/escape-html.js';
import { localTime } from '../../../i18n/time-text.js';
import { LOCALES, type Locale } from '../../../i18n/translator.js';
import type { BotContext } from '../../context.js';
import type { BotServices, DiagramImages, PeopleServices } from '../../deps.js';
import type { PlaceAccess } from '../../place-access.js';
import type { ViewContext, ViewOf } from '../../views/place-text.js';
import { scheduleCardLines } from '../../views/schedule-text.js';
import { FLOW } from '../flows/flow-ids.js';
import { statsMenu } from '../menus/stats-menu.js';
import { findPlace, label, present, subjectId, subjectPayload, ViewMenu, withNotice, type Presentation, type PressContext } from '../menus/view-menu.js';
import { addListControls, listNotes, MenuRows } from '../menus/list-controls.js';
import { FIRST_PAGE, listPage, listPayload, parseListPayload, type ListPosition } from '../../views/paged-list.js';
import type { StatsReplies } from '../stats-replies.js';
import type { LanguageMemory } from './language-memory.js';

export interface SubscriberMenusDeps {
  people: Pick<PeopleServices, 'subscribers'>;
  locations: Pick<PlaceService, 'get'>;
  schedules: Pick<BotServices['schedules'], 'view'>;
  /** Decides which places a person may see (for /stats): the ones they follow. */
  access: PlaceAccess;
  stats: Pick<StatsReplies, 'send'>;
  diagramImages?: DiagramImages;
  /** Admins who follow places type their own quiet hours in a conversation; others just send them. */
  admins: Pick<AdminStore, 'isAdmin'>;
  viewOf: ViewOf;
  /** The reader's language: region names of schedules, and the diagram drawn for them. */
  localeOf: (ctx: BotContext) => Promise<Locale>;
  clock: Clock;
  logger: Logger;
  timeZone: string;
  /** Their chosen language outlives their last subscription. */
  languages: Pick<LanguageMemory, 'remember'>;
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

/** Quiet hours offered as buttons (anything else is typed). */
const QUIET_PRESETS: readonly QuietWindow[] = [
  { startMin: 23 * 60, endMin: 7 * 60 },
  { startMin: 22 * 60, endMin: 8 * 60 },
];

const CHOICE_KEYS: Record<SubscriberMessageKind, string> = {
  alerts: 'people-choice-alerts',
  plan_warnings: 'people-choice-plan-warnings',
  weekly: 'people-choice-weekly',
};

/**
 * What a subscriber sees: only the places they follow (status, since when, today's diagram, the
 * plan when there is one, what they get about each, "leave") and their own settings (language,
 * quiet hours). Every menu id is a subscriber menu id and every payload a place id or nothing,
 * so the guard in front (roles.ts authorizeCallback) can refuse anything else; each handler also
 * checks again that the person still follows the place.
 */
export function createSubscriberMenus(deps: SubscriberMenusDeps): SubscriberMenus {
  const { people, locations, schedules, viewOf, clock, logger, timeZone } = deps;
  const subscriptionsOf = (ctx: BotContext): Subscription[] => (ctx.from ? people.subscribers.placesOf(ctx.from.id) : []);
  const subscriptionOf = (ctx: BotContext, placeId: number | null) => subscriptionsOf(ctx).find((entry) => entry.placeId === placeId);
  /** The place pressed, when the presser follows it and it still exists. */
  const followed = async (ctx: BotContext): Promise<{ place: Place; subscription: Subscription } | undefined> => {
    const subscription = subscriptionOf(ctx, subjectId(ctx));
    const place = subscription && (await findPlace(locations, subscription.placeId));
    return place && subscription && { place, subscription };
  };
  const withPlace =
    (handler: (ctx: PressContext, place: Place, subscription: Subscription) => Promise<unknown>) =>
    async (ctx: PressContext): Promise<void> => {
      const found = await followed(ctx);
      if (!found) return showHome(ctx, 'edit', ctx.t('people-place-gone'));
      await handler(ctx, found.place, found.subscription);
    };
  const hasPlan = (placeId: number) => schedules.view(placeId) !== null;
  const outdated = (show: (ctx: PressContext) => Promise<void>) => async (ctx: PressContext) => {
    await ctx.answerCallbackQuery({ text: ctx.t('menu-outdated') });
    await show(ctx);
  };

  // --- home: the places the person follows, ten a page ---
  // A place button carries the place and the page ("12.3"), the others the page (".3"): roles.ts lets both through.
  const homeAt = (ctx: BotContext): ListPosition => ({ page: parseListPayload(ctx.match, 1)?.at.page ?? 0, query: '' });
  const homePayload = (ctx: BotContext) => listPayload([null], homeAt(ctx));
  const homePage = async (ctx: BotContext) => listPage(await followedPlaces(ctx), homeAt(ctx), ({ place }) => place.name);
  const home = new ViewMenu(subscriberMenuId(), {
    fingerprint: async (ctx) => {
      const shown = await homePage(ctx);
      return `sb2:${shown.page}:${shown.pages}:${shown.items.map(({ place }) => place.id).join(',')}`;
    },
    onMenuOutdated: outdated((ctx) => showHome(ctx, 'edit', undefined, homeAt(ctx))),
  });
  home.dynamic(async (ctx, range) => {
    const shown = await homePage(ctx);
    const rows = new MenuRows(range);
    for (const { place } of shown.items) {
      rows
        .button(`${statusMark(place)} ${place.name}`, listPayload([place.id], homeAt(ctx)), async (ctx) => {
          const placeId = parseListPayload(ctx.match, 1)?.ids[0] ?? null;
          const found = placeId === null ? undefined : subscriptionOf(ctx, placeId) && (await findPlace(locations, placeId));
          if (!found) return showHome(ctx, 'edit', ctx.t('people-place-gone'));
          await showPlace(ctx, found.id, 'edit');
        })
        .row();
    }
    addListControls(rows, ctx, shown, { payload: homePayload, positionOf: homeAt, go: (ctx, to) => showHome(ctx, 'edit', undefined, to) });
    return rows.end();
  });
  home.text({ text: label('people-btn-settings'), payload: homePayload }, (ctx) => showSettings(ctx, 'edit'));
  home.text({ text: label('btn-refresh'), payload: homePayload }, (ctx) => showHome(ctx, 'edit', undefined, homeAt(ctx)));

  async function followedPlaces(ctx: BotContext): Promise<{ place: Place; subscription: Subscription }[]> {
    const found = await Promise.all(subscriptionsOf(ctx).map(async (subscription) => ({ subscription, place: await findPlace(locations, subscription.placeId) })));
    return found.flatMap(({ place, subscription }) => (place ? [{ place, subscription }] : []));
  }

  async function showHome(ctx: BotContext, how: Presentation, notice?: string, at: ListPosition = FIRST_PAGE): Promise<void> {
    const followedNow = await followedPlaces(ctx);
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
    await present(ctx, how, withNotice(notice, lines.join('\n')), home);
  }

  // --- one place ---
  const placeMenu = new ViewMenu(subscriberMenuId('place'), {
    fingerprint: (ctx) => {
      const id = subjectId(ctx);
      return `sbp:${subjectPayload(ctx)}:${subscriptionOf(ctx, id) ? 1 : 0}:${id !== null && hasPlan(id) ? 1 : 0}`;
    },
    onMenuOutdated: outdated(async (ctx) => {
      const id = subjectId(ctx);
      await (subscriptionOf(ctx, id) && id !== null ? showPlace(ctx, id, 'edit') : showHome(ctx, 'edit'));
    }),
  });
  const button = (key: string) => ({ text: label(key), payload: subjectPayload });
  placeMenu
    .text(button('people-btn-diagram'), withPlace((ctx, place) => sendDiagram(ctx, place)))
    .text(button('people-btn-stats'), withPlace((ctx, place) => stats.showPeriods(ctx, place, 'reply')))
    .row();
  placeMenu.dynamic((ctx, range) => {
    const id = subjectId(ctx);
    const subscription = subscriptionOf(ctx, id);
    if (id === null || !subscription) return range;
    const kinds: SubscriberMessageKind[] = hasPlan(id) ? ['alerts', 'plan_warnings', 'weekly'] : ['alerts', 'weekly'];
    for (const kind of kinds) {
      range
        .text(
          { text: ctx.t(CHOICE_KEYS[kind], { on: subscription.choices[kind] ? 'yes' : 'no' }), payload: String(id) },
          withPlace(async (ctx, place, current) => {
            people.subscribers.setChoices(ctx.from.id, place.id, { [kind]: !current.choices[kind] });
            await showPlace(ctx, place.id, 'edit');
          }),
        )
        .row();
    }
    return range;
  });
  placeMenu
    .text(
      button('people-btn-leave'),
      withPlace((ctx, place) => present(ctx, 'edit', ctx.t('people-leave-confirm', { place: escapeHtml(place.name) }), leaveMenu)),
    )
    .row()
    .text(button('people-btn-my-places'), (ctx) => showHome(ctx, 'edit'));

  async function showPlace(ctx: BotContext, placeId: number, how: Presentation, notice?: string): Promise<void> {
    const place = subscriptionOf(ctx, placeId) && (await findPlace(locations, placeId));
    if (!place) return showHome(ctx, how, ctx.t('people-place-gone'));
    const view = viewOf(ctx.t);
    const lines = [ctx.t('place-title', { name: escapeHtml(place.name) }), statusLine(place, view)];
    if (place.paused) lines.push(ctx.t('place-paused'));
    const schedule = schedules.view(place.id);
    if (schedule) lines.push(...scheduleCardLines(schedule, view, await deps.localeOf(ctx)));
    lines.push('', ctx.t('people-choices-title', { place: escapeHtml(place.name) }));
    ctx.match = String(place.id);
    await present(ctx, how, withNotice(notice, lines.join('\n')), placeMenu);
  }

  async function sendDiagram(ctx: PressContext, place: Place): Promise<void> {
    if (!deps.diagramImages) {
      await ctx.reply(ctx.t('people-diagram-unavailable'));
      return;
    }
    await ctx.replyWithChatAction('upload_photo').catch(() => undefined);
    try {
      const diagram = await deps.diagramImages.render({ placeId: place.id, now: clock.now(), timeZone, language: await deps.localeOf(ctx) });
      await ctx.replyWithPhoto(new InputFile(diagram.png, `diagram-${place.id}.png`), { caption: diagram.caption });
    } catch (error) {
      logger.warn({ err: error, placeId: place.id }, "a subscriber's diagram could not be drawn");
      await ctx.reply(ctx.t('people-diagram-failed', { place: escapeHtml(place.name) }));
    }
  }

  // --- leaving a place ---
  const leaveMenu = new ViewMenu(subscriberMenuId('leave'), {
    fingerprint: (ctx) => `sbl:${subjectPayload(ctx)}:${subscriptionOf(ctx, subjectId(ctx)) ? 1 : 0}`,
    onMenuOutdated: outdated((ctx) => showHome(ctx, 'edit')),
  });
  leaveMenu
    .text(
      button('people-btn-leave-yes'),
      withPlace(async (ctx, place) => {
        const language = people.subscribers.person(ctx.from.id)?.language;
        if (language) await deps.languages.remember(ctx.from.id, language);
        people.subscribers.unsubscribe(place.id, ctx.from.id);
        logger.info({ placeId: place.id, userId: ctx.from.id }, 'a subscriber left a place');
        await showHome(ctx, 'edit', ctx.t('people-left', { place: escapeHtml(place.name) }));
      }),
    )
    .row()
    .text(button('btn-no'), withPlace((ctx, place) => showPlace(ctx, place.id, 'edit')));

  // --- the person's own settings ---
  const settings = new ViewMenu(subscriberMenuId('settings'), {
    fingerprint: (ctx) => `sbs:${ctx.from && people.subscribers.person(ctx.from.id) ? 1 : 0}`,
    onMenuOutdated: outdated((ctx) => showSettings(ctx, 'edit')),
  });
  for (const language of LOCALES) {
    settings.text(
      (ctx) => `${ctx.from && people.subscribers.person(ctx.from.id)?.language === language ? '✓ ' : ''}${ctx.t(`btn-language-${language}`)}`,
      async (ctx) => {
        if (!people.subscribers.setLanguage(ctx.from.id, language)) return showHome(ctx, 'edit');
        await deps.languages.remember(ctx.from.id, language);
        ctx.i18n.useLocale(language);
        await showSettings(ctx, 'edit', ctx.t('people-language-set'));
      },
    );
  }
  settings.row();
  for (const window of QUIET_PRESETS) {
    settings.text(
      (ctx) => {
        const quiet = ctx.from ? people.subscribers.person(ctx.from.id)?.quiet : null;
        const chosen = quiet && quiet.startMin === window.startMin && quiet.endMin === window.endMin;
        return `${chosen ? '✓ ' : ''}${ctx.t('people-btn-quiet', { window: formatQuietWindow(window) })}`;
      },
      (ctx) => setQuiet(ctx, window),
    );
  }
  settings
    .row()
    .text(label('people-btn-quiet-custom'), async (ctx) => {
      const person = people.subscribers.person(ctx.from.id);
      if (!person) return showHome(ctx, 'edit');
      if (await deps.admins.isAdmin(ctx.from.id)) return ctx.conversation.enter(FLOW.quietHours);
      await ctx.reply(ctx.t('people-quiet-ask', { current: describeQuietHours(person.quiet, ctx.t) }));
    })
    .text(
      (ctx) => `${ctx.from && people.subscribers.person(ctx.from.id)?.quiet === null ? '✓ ' : ''}${ctx.t('people-btn-quiet-off')}`,
      (ctx) => setQuiet(ctx, null),
    )
    .row()
    .text(label('people-btn-my-places'), (ctx) => showHome(ctx, 'edit'));

  async function setQuiet(ctx: PressContext, quiet: QuietWindow | null): Promise<void> {
    if (!people.subscribers.setQuietHours(ctx.from.id, quiet)) return showHome(ctx, 'edit');
    await showSettings(ctx, 'edit', ctx.t('people-quiet-set', { current: describeQuietHours(quiet, ctx.t), on: quiet ? 'yes' : 'no' }));
  }

  async function showSettings(ctx: BotContext, how: Presentation, notice?: string): Promise<void> {
    const person = ctx.from ? people.subscribers.person(ctx.from.id) : undefined;
    if (!person) return showHome(ctx, how);
    const lines = [
      ctx.t('people-settings-title'),
      ctx.t('people-settings-language', { language: ctx.t(`language-title-${person.language}`) }),
      describeQuietHours(person.quiet, ctx.t),
      '',
      ctx.t('people-settings-hint'),
    ];
    ctx.match = '';
    await present(ctx, how, withNotice(notice, lines.join('\n')), settings);
  }

  // --- /stats of the places they follow, under subscriber menu ids ---
  const stats = statsMenu(
    { access: deps.access, viewOf, stats: deps.stats },
    { showMain: (ctx, how, notice) => showHome(ctx, how, notice) },
    { chooser: subscriberMenuId('stats'), periods: subscriberMenuId('period'), searchable: false },
  );

  // Children first: registering merges each menu's index into its parent's.
  placeMenu.register(leaveMenu);
  home.register([placeMenu, settings, stats.menu]);
  return {
    root: home,
    showHome,
    showSettings,
    chooseStats: (ctx) => stats.show(ctx, 'reply'),
  };
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
