import type { Place, PlaceService } from '../../../places/place-service.js';
import type { KeyRotation } from '../../../places/place-service.js';
import { localTime } from '../../../telegram/alert-message.js';
import type { Logger } from '../../../logger.js';
import { LOCALES } from '../../../telegram/translator.js';
import { escapeHtml } from '../../../telegram/escape-html.js';
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
  locations: Pick<PlaceService, 'get' | 'pause' | 'resume' | 'rotateKey' | 'delete' | 'setLanguage' | 'countEvents' | 'setReports'> & DevicesMenuDeps['locations'];
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

/**
 * One place: its status and settings, with the confirmations of "new key" and "delete", the
 * choice of its posts' language and its outage schedule as submenus. The place's id travels in
 * every button's payload.
 */
export function placeMenu(deps: PlaceMenuDeps, views: AdminViews) {
  const { locations, logger, viewOf, actions, channels, defaultChannelId, schedules, localeOf, people, clock, timeZone } = deps;
  /** A button of a place's menu: runs `handler` with the place, or says it is gone. */
  const placeButton =
    (handler: (ctx: PressContext, place: Place) => Promise<unknown>) =>
    async (ctx: PressContext): Promise<void> => {
      const place = await findPlace(locations, subjectId(ctx));
      if (!place) return views.showMain(ctx, 'edit', ctx.t('place-gone'));
      await handler(ctx, place);
    };
  // Computed from the database, never from labels that age by the minute (see index.ts).
  const fingerprint = (prefix: string, withState: boolean) => async (ctx: BotContext) => {
    const place = await findPlace(locations, subjectId(ctx));
    const snoozed = place && people.snoozes.active(place.id, clock.now()) ? 1 : 0;
    return `${prefix}:${subjectPayload(ctx)}:${place ? (withState ? `${place.paused}.${snoozed}` : 1) : 'gone'}`;
  };
  const onMenuOutdated = async (ctx: PressContext): Promise<void> => {
    await ctx.answerCallbackQuery({ text: ctx.t('menu-outdated') });
    const place = await findPlace(locations, subjectId(ctx));
    if (place) await show(ctx, place.id, 'edit');
    else await views.showMain(ctx, 'edit', ctx.t('place-gone'));
  };
  const button = (key: string) => ({ text: label(key), payload: subjectPayload });
  const backToPlace = placeButton((ctx, place) => show(ctx, place.id, 'edit'));

  // "p6": the layout with "connect a device" and the devices list; a place menu drawn before it is outdated rather than mis-pressed.
  const menu = new ViewMenu('p', { fingerprint: fingerprint('p6', true), onMenuOutdated });
  menu
    .text(button('recipes-btn-connect'), placeButton((ctx, place) => recipes.show(ctx, place.id, 'edit')))
    .row()
    .text(button('btn-config'), placeButton((ctx, place) => actions.sendEsp32Config(ctx, place, ctx.t)))
    .text(button('btn-devices'), placeButton((ctx, place) => devices.showList(ctx, place.id, 'edit')))
    .row()
    .text(button('btn-events'), placeButton((ctx, place) => actions.sendRecentEvents(ctx, place, ctx.t)))
    .text(button('btn-rename'), placeButton((ctx, place) => ctx.conversation.enter(FLOW.rename, place.id)))
    .text(button('btn-timeout'), placeButton((ctx, place) => ctx.conversation.enter(FLOW.timeout, place.id)))
    .row()
    .text(button('btn-channel'), placeButton((ctx, place) => ctx.conversation.enter(FLOW.channel, place.id)))
    .text(
      button('btn-post-language'),
      placeButton((ctx, place) => present(ctx, 'edit', ctx.t('post-language-title', { name: escapeHtml(place.name) }), postLanguageMenu)),
    )
    .row()
    .text(
      {
        text: async (ctx) => ctx.t((await findPlace(locations, subjectId(ctx)))?.paused ? 'btn-resume' : 'btn-pause'),
        payload: subjectPayload,
      },
      placeButton(async (ctx, place) => {
        if (place.paused) await locations.resume(place.id);
        else await locations.pause(place.id);
        await show(ctx, place.id, 'edit', ctx.t(place.paused ? 'place-resumed' : 'place-paused-now'));
      }),
    )
    .text(button('btn-diagram'), placeButton((ctx, place) => actions.sendDiagramNow(ctx, place, ctx.t)))
    .row()
    .text(button('btn-schedule'), placeButton((ctx, place) => schedule.show(ctx, place.id, 'edit')))
    .text(button('btn-reports'), placeButton((ctx, place) => reports.show(ctx, place.id, 'edit')))
    .row()
    .text(button('people-btn-invite'), placeButton((ctx, place) => invite.show(ctx, place.id, 'edit')))
    .text(button('people-btn-subscribers'), placeButton((ctx, place) => subscribers.show(ctx, place.id, 'edit')))
    .row()
    .text(
      {
        text: async (ctx) => {
          const place = await findPlace(locations, subjectId(ctx));
          return ctx.t(place && people.snoozes.active(place.id, clock.now()) ? 'people-btn-snooze-end' : 'people-btn-snooze-menu');
        },
        payload: subjectPayload,
      },
      placeButton(async (ctx, place) => {
        if (!people.snoozes.active(place.id, clock.now())) return snooze.show(ctx, place.id, 'edit');
        const ended = people.alerts.endSnooze(place.id, clock.now());
        deps.wakeOutbox();
        logger.info({ placeId: place.id, userId: ctx.from.id, held: ended?.alerts.length ?? 0 }, 'snooze ended by an admin');
        await show(ctx, place.id, 'edit', ctx.t('people-snooze-resumed', { place: escapeHtml(place.name) }));
      }),
    )
    .text(button('people-btn-chat-quiet'), placeButton((ctx, place) => ctx.conversation.enter(FLOW.chatQuiet, place.id)))
    .row()
    .text(
      button('btn-rotate'),
      placeButton((ctx, place) => present(ctx, 'edit', ctx.t('rotate-confirm', { name: escapeHtml(place.name) }), rotateMenu)),
    )
    .text(
      button('btn-delete'),
      placeButton(async (ctx, place) => {
        const events = await locations.countEvents(place.id);
        await present(ctx, 'edit', ctx.t('delete-confirm', { name: escapeHtml(place.name), events }), deleteMenu);
      }),
    )
    .row()
    .text(button('btn-refresh'), backToPlace)
    .text(label('btn-back-places'), (ctx) => views.showMain(ctx, 'edit'));

  async function show(ctx: BotContext, placeId: number, how: Presentation, notice?: string): Promise<void> {
    const place = await findPlace(locations, placeId);
    if (!place) return views.showMain(ctx, how, ctx.t('place-gone'));
    const channel = place.channel_id ?? defaultChannelId;
    if (channel) await channels.refresh(ctx.api, channel);
    ctx.match = String(place.id); // The place menu's buttons carry this id.
    const view = viewOf(ctx.t);
    const lines = [placeDetailsText(place, view, { schedule: schedules.view(place.id), locale: await localeOf(ctx) })];
    const placeDevices = await locations.devicesOf(place.id);
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

  const schedule = scheduleMenu({ locations, schedules, viewOf, localeOf, logger }, views, show);
  const devices = devicesMenu({ locations, logger, viewOf, heartbeatUrl: deps.heartbeatUrl }, views);
  const reports = reportsMenu({ locations, logger }, views, show);
  const peopleViews = { showMain: views.showMain, showPlace: (ctx: BotContext, placeId: number, how: Presentation, notice?: string) => show(ctx, placeId, how, notice) };
  const invite = inviteMenu({ locations, people, clock, logger }, peopleViews);
  const subscribers = subscribersMenu({ locations, people, logger, timeZone }, peopleViews);
  const snooze = snoozeMenu({ locations, people, clock, logger, timeZone }, peopleViews);
  const recipes = recipesMenu({ locations, deviceKeyFor: deps.deviceKeyFor, heartbeatUrl: deps.heartbeatUrl, localeOf, logger }, peopleViews);

  const rotateMenu = new ViewMenu('rk', { fingerprint: fingerprint('rk', false), onMenuOutdated });
  const rotate = (mode: KeyRotation) =>
    placeButton(async (ctx, place) => {
      const rotated = await locations.rotateKey(place.id, mode);
      logger.info({ placeId: place.id, userId: ctx.from.id, mode }, 'device key rotated from the bot');
      const done =
        mode === 'keep-old'
          ? ctx.t('rotate-done-keep', { name: escapeHtml(place.name), until: localTime(rotated.previous_key_until ?? 0, viewOf(ctx.t)) })
          : ctx.t('rotate-done-revoke', { name: escapeHtml(place.name) });
      await show(ctx, place.id, 'edit', done);
      await actions.sendEsp32Config(ctx, rotated, ctx.t);
    });
  rotateMenu
    .text(button('btn-rotate-keep'), rotate('keep-old'))
    .row()
    .text(button('btn-rotate-revoke'), rotate('revoke'))
    .row()
    .text(button('btn-no'), backToPlace);

  const deleteMenu = new ViewMenu('dl', { fingerprint: fingerprint('dl', false), onMenuOutdated });
  deleteMenu
    .text(
      button('btn-delete-yes'),
      placeButton(async (ctx, place) => {
        const deleted = await locations.delete(place.id);
        logger.info({ placeId: place.id, userId: ctx.from.id, events: deleted.events }, 'place deleted from the bot');
        await views.showMain(ctx, 'edit', ctx.t('delete-done', { name: escapeHtml(deleted.name), events: deleted.events }));
      }),
    )
    .row()
    .text(button('btn-no'), backToPlace);

  const postLanguageMenu = new ViewMenu('pl', { fingerprint: fingerprint('pl', false), onMenuOutdated });
  for (const language of LOCALES) {
    postLanguageMenu.text(
      {
        text: async (ctx) => {
          const current = (await findPlace(locations, subjectId(ctx)))?.language;
          return `${current === language ? '✓ ' : ''}${ctx.t(`btn-language-${language}`)}`;
        },
        payload: subjectPayload,
      },
      placeButton(async (ctx, place) => {
        await locations.setLanguage(place.id, language);
        await show(ctx, place.id, 'edit', ctx.t('post-language-set', { language: ctx.t(`language-name-${language}`) }));
      }),
    );
  }
  postLanguageMenu.row().text(button('btn-back'), backToPlace);

  // Children first: registering merges each menu's index into its parent's.
  menu.register([rotateMenu, deleteMenu, postLanguageMenu, devices.menu, schedule.menu, reports.menu, invite.menu, subscribers.menu, snooze.menu, recipes.menu]);
  return { menu, show, showDevices: devices.showList, showSubscribers: subscribers.show };
}
