import type { Place, PlaceService } from '../../../places/place-service.js';
import type { KeyRotation } from '../../../places/place-service.js';
import { localTime } from '../../../i18n/time-text.js';
import type { Logger } from '../../../logger.js';
import { LOCALES } from '../../../i18n/translator.js';
import { escapeHtml } from '../../../i18n/escape-html.js';
import type { BotContext } from '../../context.js';
import { placeDetailsText, type ViewOf } from '../../views/place-text.js';
import { FLOW } from '../flows/flow-ids.js';
import type { ChannelNames } from '../../channel-names.js';
import type { PlaceActions } from '../place-actions.js';
import { deviceLine } from '../../views/device-text.js';
import { devicesMenu, type DevicesMenuDeps } from './devices-menu.js';
import { reportsMenu } from './reports-menu.js';
import { scheduleMenu, type ScheduleMenuDeps } from './schedule-menu.js';
import type { Clock } from '../../../clock.js';
import type { PeopleServices } from '../../deps.js';
import { destinationLines } from '../../views/people-text.js';
import { inviteMenu } from './invite-menu.js';
import { snoozeMenu } from './snooze-menu.js';
import { subscribersMenu } from './subscribers-menu.js';
import { recipesMenu, type RecipesMenuDeps } from './recipes-menu.js';
import { findPlace, label, present, subjectId, subjectPayload, ViewMenu, withNotice, type AdminViews, type Presentation, type PressContext } from './view-menu.js';

export interface PlaceMenuDeps {
  places: Pick<PlaceService, 'get' | 'pause' | 'resume' | 'rotateKey' | 'delete' | 'setLanguage' | 'countEvents' | 'setReports'> & DevicesMenuDeps['places'];
  /** Where devices send heartbeats (the devices menu shows it with each key). */
  heartbeatUrl: () => string;
  logger: Logger;
  viewOf: ViewOf;
  actions: Pick<PlaceActions, 'sendEsp32Config' | 'sendRecentEvents' | 'sendDiagramNow'>;
  /** The card names the place's channel by its title, asked of Telegram as the card is drawn. */
  channels: Pick<ChannelNames, 'refresh' | 'title'>;
  defaultChannelId: string | undefined;
  /** The place's outage schedule: on its card, and its own menu. */
  schedules: ScheduleMenuDeps['schedules'];
  localeOf: ScheduleMenuDeps['localeOf'];
  /** Invite link, subscribers, snooze, the chat's topic and quiet hours. */
  people: Pick<PeopleServices, 'invites' | 'subscribers' | 'snoozes' | 'destinations' | 'alerts'>;
  clock: Clock;
  timeZone: string;
  /** After "notify again" queued the snooze's summary. */
  wakeOutbox: () => void;
  /** "Connect a device": the key each recipe carries (the URL devices call is heartbeatUrl). */
  deviceKeyFor: RecipesMenuDeps['deviceKeyFor'];
}

/** The place's card as its submenus and confirmations come back to it (bound in placeMenu). */
type ToPlace = Pick<AdminViews, 'showMain' | 'showPlace'>;

/**
 * One place: its status and settings, with the confirmations of "new key" and "delete", the
 * choice of its posts' language and its outage schedule as submenus. The place's id travels in
 * every button's payload.
 */
export function placeMenu(deps: PlaceMenuDeps, views: AdminViews) {
  // The submenus come back to the card through `toPlace`, bound below.
  const toPlace: ToPlace = { showMain: views.showMain, showPlace: (ctx, placeId, how, notice) => show(ctx, placeId, how, notice) };
  const kit = placeMenuKit(deps, toPlace);
  const submenus = placeSubmenus(deps, toPlace);
  const confirmations = {
    rotate: rotateKeyMenu(deps, kit, toPlace),
    delete: deleteMenu(deps, kit, toPlace),
    postLanguage: postLanguageMenu(deps, kit, toPlace),
  };
  // "p6": the layout with "connect a device" and the devices list; a place menu drawn before it is outdated rather than mis-pressed.
  const menu = new ViewMenu('p', { fingerprint: kit.fingerprint('p6', true), onMenuOutdated: kit.onMenuOutdated });
  addSetupRows(menu, deps, kit, submenus);
  addPostingRows(menu, deps, kit, submenus, confirmations.postLanguage, toPlace);
  addPeopleRows(menu, deps, kit, submenus, toPlace);
  addKeyAndDeleteRows(menu, deps, kit, confirmations, toPlace);
  const show = (ctx: BotContext, placeId: number, how: Presentation, notice?: string) => showPlaceCard(deps, toPlace, menu, ctx, placeId, how, notice);

  // Children first: registering merges each menu's index into its parent's.
  const { devices, schedule, reports, invite, subscribers, snooze, recipes } = submenus;
  menu.register([confirmations.rotate, confirmations.delete, confirmations.postLanguage, devices.menu, schedule.menu, reports.menu, invite.menu, subscribers.menu, snooze.menu, recipes.menu]);
  return { menu, show, showDevices: devices.showList, showSubscribers: subscribers.show };
}

/** What every menu of a place shares: its buttons find the place, and a press on an outdated one redraws the card. */
interface PlaceMenuKit {
  /** A button of a place's menu: runs `handler` with the place, or says it is gone. */
  press(handler: (ctx: PressContext, place: Place) => Promise<unknown>): (ctx: PressContext) => Promise<void>;
  fingerprint(prefix: string, withState: boolean): (ctx: BotContext) => Promise<string>;
  onMenuOutdated(ctx: PressContext): Promise<void>;
  /** "Back" to the card (and "refresh" on it). */
  backToPlace(ctx: PressContext): Promise<void>;
}

function placeMenuKit({ places, people, clock }: Pick<PlaceMenuDeps, 'places' | 'people' | 'clock'>, toPlace: ToPlace): PlaceMenuKit {
  const press: PlaceMenuKit['press'] = (handler) => async (ctx) => {
    const place = await findPlace(places, subjectId(ctx));
    if (!place) return toPlace.showMain(ctx, 'edit', ctx.t('place-gone'));
    await handler(ctx, place);
  };
  return {
    press,
    // Computed from the database, never from labels that age by the minute (see index.ts).
    fingerprint: (prefix, withState) => async (ctx) => {
      const place = await findPlace(places, subjectId(ctx));
      const snoozed = place && people.snoozes.active(place.id, clock.now()) ? 1 : 0;
      return `${prefix}:${subjectPayload(ctx)}:${place ? (withState ? `${place.paused}.${snoozed}` : 1) : 'gone'}`;
    },
    async onMenuOutdated(ctx) {
      await ctx.answerCallbackQuery({ text: ctx.t('menu-outdated') });
      const place = await findPlace(places, subjectId(ctx));
      if (place) await toPlace.showPlace(ctx, place.id, 'edit');
      else await toPlace.showMain(ctx, 'edit', ctx.t('place-gone'));
    },
    backToPlace: press((ctx, place) => toPlace.showPlace(ctx, place.id, 'edit')),
  };
}

const button = (key: string) => ({ text: label(key), payload: subjectPayload });

/** The place's own menus, each of which comes back to its card. */
function placeSubmenus(deps: PlaceMenuDeps, toPlace: ToPlace) {
  const { places, logger, viewOf, schedules, localeOf, people, clock, timeZone, heartbeatUrl } = deps;
  return {
    schedule: scheduleMenu({ places, schedules, viewOf, localeOf, logger }, toPlace, toPlace.showPlace),
    devices: devicesMenu({ places, logger, viewOf, heartbeatUrl }, toPlace),
    reports: reportsMenu({ places, logger }, toPlace, toPlace.showPlace),
    invite: inviteMenu({ places, people, clock, logger }, toPlace),
    subscribers: subscribersMenu({ places, people, logger, timeZone }, toPlace),
    snooze: snoozeMenu({ places, people, clock, logger, timeZone }, toPlace),
    recipes: recipesMenu({ places, deviceKeyFor: deps.deviceKeyFor, heartbeatUrl, localeOf, logger }, toPlace),
  };
}

type PlaceSubmenus = ReturnType<typeof placeSubmenus>;

/** Connecting a device, its config and the devices; the recent events, the name and the timeout. */
function addSetupRows(menu: ViewMenu, { actions }: Pick<PlaceMenuDeps, 'actions'>, { press }: PlaceMenuKit, { recipes, devices }: PlaceSubmenus): void {
  menu
    .text(button('recipes-btn-connect'), press((ctx, place) => recipes.show(ctx, place.id, 'edit')))
    .row()
    .text(button('btn-config'), press((ctx, place) => actions.sendEsp32Config(ctx, place, ctx.t)))
    .text(button('btn-devices'), press((ctx, place) => devices.showList(ctx, place.id, 'edit')))
    .row()
    .text(button('btn-events'), press((ctx, place) => actions.sendRecentEvents(ctx, place, ctx.t)))
    .text(button('btn-rename'), press((ctx, place) => ctx.conversation.enter(FLOW.rename, place.id)))
    .text(button('btn-timeout'), press((ctx, place) => ctx.conversation.enter(FLOW.timeout, place.id)))
    .row();
}

/** Where and how the place posts: its channel and the posts' language, pause, today's diagram, the schedule and reports. */
function addPostingRows(
  menu: ViewMenu,
  { places, actions }: Pick<PlaceMenuDeps, 'places' | 'actions'>,
  { press }: PlaceMenuKit,
  { schedule, reports }: PlaceSubmenus,
  postLanguage: ViewMenu,
  toPlace: ToPlace,
): void {
  menu
    .text(button('btn-channel'), press((ctx, place) => ctx.conversation.enter(FLOW.channel, place.id)))
    .text(
      button('btn-post-language'),
      press((ctx, place) => present(ctx, 'edit', ctx.t('post-language-title', { name: escapeHtml(place.name) }), postLanguage)),
    )
    .row()
    .text(
      {
        text: async (ctx) => ctx.t((await findPlace(places, subjectId(ctx)))?.paused ? 'btn-resume' : 'btn-pause'),
        payload: subjectPayload,
      },
      press(async (ctx, place) => {
        if (place.paused) await places.resume(place.id);
        else await places.pause(place.id);
        await toPlace.showPlace(ctx, place.id, 'edit', ctx.t(place.paused ? 'place-resumed' : 'place-paused-now'));
      }),
    )
    .text(button('btn-diagram'), press((ctx, place) => actions.sendDiagramNow(ctx, place, ctx.t)))
    .row()
    .text(button('btn-schedule'), press((ctx, place) => schedule.show(ctx, place.id, 'edit')))
    .text(button('btn-reports'), press((ctx, place) => reports.show(ctx, place.id, 'edit')))
    .row();
}

/** Who follows the place and how: the invite link, its subscribers, a snooze (or its end), the chat's quiet hours. */
function addPeopleRows(
  menu: ViewMenu,
  { places, people, clock, logger, wakeOutbox }: Pick<PlaceMenuDeps, 'places' | 'people' | 'clock' | 'logger' | 'wakeOutbox'>,
  { press }: PlaceMenuKit,
  { invite, subscribers, snooze }: PlaceSubmenus,
  toPlace: ToPlace,
): void {
  menu
    .text(button('people-btn-invite'), press((ctx, place) => invite.show(ctx, place.id, 'edit')))
    .text(button('people-btn-subscribers'), press((ctx, place) => subscribers.show(ctx, place.id, 'edit')))
    .row()
    .text(
      {
        text: async (ctx) => {
          const place = await findPlace(places, subjectId(ctx));
          return ctx.t(place && people.snoozes.active(place.id, clock.now()) ? 'people-btn-snooze-end' : 'people-btn-snooze-menu');
        },
        payload: subjectPayload,
      },
      press(async (ctx, place) => {
        if (!people.snoozes.active(place.id, clock.now())) return snooze.show(ctx, place.id, 'edit');
        const ended = people.alerts.endSnooze(place.id, clock.now());
        wakeOutbox();
        logger.info({ placeId: place.id, userId: ctx.from.id, held: ended?.alerts.length ?? 0 }, 'snooze ended by an admin');
        await toPlace.showPlace(ctx, place.id, 'edit', ctx.t('people-snooze-resumed', { place: escapeHtml(place.name) }));
      }),
    )
    .text(button('people-btn-chat-quiet'), press((ctx, place) => ctx.conversation.enter(FLOW.chatQuiet, place.id)))
    .row();
}

/** A new key and deleting the place (each confirmed first), then refresh and back to the places. */
function addKeyAndDeleteRows(
  menu: ViewMenu,
  { places }: Pick<PlaceMenuDeps, 'places'>,
  { press, backToPlace }: PlaceMenuKit,
  confirmations: { rotate: ViewMenu; delete: ViewMenu },
  toPlace: ToPlace,
): void {
  menu
    .text(
      button('btn-rotate'),
      press((ctx, place) => present(ctx, 'edit', ctx.t('rotate-confirm', { name: escapeHtml(place.name) }), confirmations.rotate)),
    )
    .text(
      button('btn-delete'),
      press(async (ctx, place) => {
        const events = await places.countEvents(place.id);
        await present(ctx, 'edit', ctx.t('delete-confirm', { name: escapeHtml(place.name), events }), confirmations.delete);
      }),
    )
    .row()
    .text(button('btn-refresh'), backToPlace)
    .text(label('btn-back-places'), (ctx) => toPlace.showMain(ctx, 'edit'));
}

/** The card: status and settings, the devices when there are several, where it posts, a snooze, its followers. */
async function showPlaceCard(
  { places, viewOf, channels, defaultChannelId, schedules, localeOf, people, clock }: PlaceMenuDeps,
  toPlace: Pick<ToPlace, 'showMain'>,
  menu: ViewMenu,
  ctx: BotContext,
  placeId: number,
  how: Presentation,
  notice?: string,
): Promise<void> {
  const place = await findPlace(places, placeId);
  if (!place) return toPlace.showMain(ctx, how, ctx.t('place-gone'));
  const channel = place.channel_id ?? defaultChannelId;
  if (channel) await channels.refresh(ctx.api, channel);
  ctx.match = String(place.id); // The place menu's buttons carry this id.
  const view = viewOf(ctx.t);
  const lines = [placeDetailsText(place, view, { schedule: schedules.view(place.id), locale: await localeOf(ctx) })];
  const placeDevices = await places.devicesOf(place.id);
  // One device reads as today's card; several are listed each with what it last said.
  if (placeDevices.length > 1 || placeDevices.some((device) => device.mains !== null || device.link !== null)) {
    lines.push(...placeDevices.map((device) => deviceLine(device, place.timeout_s * 1000, view)));
  }
  if (channel) lines.push(...destinationLines(people.destinations.settingsFor(place.id, channel), channels.title(channel) ?? channel, ctx.t));
  const snoozed = people.snoozes.active(place.id, clock.now());
  if (snoozed) lines.push(ctx.t('people-place-snoozed', { until: localTime(snoozed.until, view) }));
  const followers = people.subscribers.subscribersOf(place.id).length;
  if (followers > 0) lines.push(ctx.t('people-place-subscribers', { count: followers }));
  await present(ctx, how, withNotice(notice, lines.join('\n')), menu);
}

/** "New key?": keep the old one for a while (planned) or revoke it at once (leaked); then the new config. */
function rotateKeyMenu({ places, logger, viewOf, actions }: PlaceMenuDeps, kit: PlaceMenuKit, toPlace: ToPlace): ViewMenu {
  const menu = new ViewMenu('rk', { fingerprint: kit.fingerprint('rk', false), onMenuOutdated: kit.onMenuOutdated });
  const rotate = (mode: KeyRotation) =>
    kit.press(async (ctx, place) => {
      const rotated = await places.rotateKey(place.id, mode);
      logger.info({ placeId: place.id, userId: ctx.from.id, mode }, 'device key rotated from the bot');
      const done =
        mode === 'keep-old'
          ? ctx.t('rotate-done-keep', { name: escapeHtml(place.name), until: localTime(rotated.previous_key_until ?? 0, viewOf(ctx.t)) })
          : ctx.t('rotate-done-revoke', { name: escapeHtml(place.name) });
      await toPlace.showPlace(ctx, place.id, 'edit', done);
      await actions.sendEsp32Config(ctx, rotated, ctx.t);
    });
  menu
    .text(button('btn-rotate-keep'), rotate('keep-old'))
    .row()
    .text(button('btn-rotate-revoke'), rotate('revoke'))
    .row()
    .text(button('btn-no'), kit.backToPlace);
  return menu;
}

/** "Delete the place and its N events?" */
function deleteMenu({ places, logger }: Pick<PlaceMenuDeps, 'places' | 'logger'>, kit: PlaceMenuKit, toPlace: ToPlace): ViewMenu {
  const menu = new ViewMenu('dl', { fingerprint: kit.fingerprint('dl', false), onMenuOutdated: kit.onMenuOutdated });
  menu
    .text(
      button('btn-delete-yes'),
      kit.press(async (ctx, place) => {
        const deleted = await places.delete(place.id);
        logger.info({ placeId: place.id, userId: ctx.from.id, events: deleted.events }, 'place deleted from the bot');
        await toPlace.showMain(ctx, 'edit', ctx.t('delete-done', { name: escapeHtml(deleted.name), events: deleted.events }));
      }),
    )
    .row()
    .text(button('btn-no'), kit.backToPlace);
  return menu;
}

/** The language of the place's posts, the current one ticked. */
function postLanguageMenu({ places }: Pick<PlaceMenuDeps, 'places'>, kit: PlaceMenuKit, toPlace: ToPlace): ViewMenu {
  const menu = new ViewMenu('pl', { fingerprint: kit.fingerprint('pl', false), onMenuOutdated: kit.onMenuOutdated });
  for (const language of LOCALES) {
    menu.text(
      {
        text: async (ctx) => {
          const current = (await findPlace(places, subjectId(ctx)))?.language;
          return `${current === language ? '✓ ' : ''}${ctx.t(`btn-language-${language}`)}`;
        },
        payload: subjectPayload,
      },
      kit.press(async (ctx, place) => {
        await places.setLanguage(place.id, language);
        await toPlace.showPlace(ctx, place.id, 'edit', ctx.t('post-language-set', { language: ctx.t(`language-name-${language}`) }));
      }),
    );
  }
  menu.row().text(button('btn-back'), kit.backToPlace);
  return menu;
}
