import type { MenuRange } from '@grammyjs/menu';
import { PlaceInputError } from '../../../places/place-rules.js';
import type { Place, PlaceService } from '../../../places/place-service.js';
import type { Logger } from '../../../logger.js';
import { WARN_MINUTES, ScheduleInputError } from '../../../schedules/place-schedule.js';
import type { ScheduleSource } from '../../../schedules/sources.js';
import { queueName } from '../../../schedules/plan-text.js';
import { escapeHtml } from '../../../i18n/escape-html.js';
import type { Locale, Translate } from '../../../i18n/translator.js';
import type { BotContext } from '../../context.js';
import type { BotServices } from '../../deps.js';
import type { ViewOf } from '../../views/place-text.js';
import { pageOf, queueButtonLabel, scheduleCardLines, scheduleSettingsLines, sourceName } from '../../views/schedule-text.js';
import { findPlace, present, ViewMenu, withNotice, type AdminViews, type Presentation, type PressContext } from './view-menu.js';

export interface ScheduleMenuDeps {
  places: Pick<PlaceService, 'get'>;
  schedules: Pick<
    BotServices['schedules'],
    'sources' | 'queueChoices' | 'queuesNow' | 'settings' | 'attach' | 'detach' | 'setWarnMinutes' | 'setPostTomorrow' | 'view' | 'setRegion' | 'source'
  >;
  viewOf: ViewOf;
  /** The admin's language, for region names (sources carry them in both). */
  localeOf: (ctx: BotContext) => Promise<Locale>;
  logger: Logger;
}

const SOURCES_PER_PAGE = 20;
const SOURCES_PER_ROW = 2;
const QUEUES_PER_PAGE = 24;
const QUEUES_PER_ROW = 3;

/**
 * A place's outage schedule: its source and queue, picked as buttons (region, then the queue
 * from the source's own list, paged when long), "no schedule", warnings ahead of planned
 * outages (off, 15, 30, 60 min) and whether to post tomorrow's plan when it appears.
 *
 * Button data stays far below Telegram's 64 bytes: a payload is the place id, the source's index
 * in the configured list and the page ("12.3.0"); which source or queue a button means is bound
 * when the menu is drawn, and drawn again the same way on a press. Each fingerprint holds what
 * that drawing depends on (whether the place follows a schedule, the list of sources, the
 * source's list of queues), so a press on a menu drawn before a change, or before a restart
 * with other settings, shows the current view instead of picking the wrong thing.
 */
export function scheduleMenu(deps: ScheduleMenuDeps, views: Pick<AdminViews, 'showMain'>, showPlace: (ctx: BotContext, placeId: number, how: Presentation) => Promise<void>) {
  // The three menus lead to one another; each reaches the others through `screens`, bound below.
  const screens: ScheduleScreens = {
    showMain: views.showMain,
    showPlace,
    show: (ctx, placeId, how, notice) => showSchedule(deps, screens, settings, ctx, placeId, how, notice),
    showSources: (ctx, place, page, how, notice) => showSources(deps, sources, ctx, place, page, how, notice),
    showQueues: (ctx, place, picked, page, how) => showQueues(deps, queues, ctx, place, picked, page, how),
  };
  const settings = settingsMenu(deps, screens);
  const sources = sourcesMenu(deps, screens);
  const queues = queuesMenu(deps, screens);

  // Children first: registering merges each menu's index into its parent's.
  settings.register([sources, queues]);
  return { menu: settings, show: screens.show };
}

/** The schedule's screens as its menus reach one another (bound in scheduleMenu). */
interface ScheduleScreens extends Pick<AdminViews, 'showMain'> {
  showPlace(ctx: BotContext, placeId: number, how: Presentation): Promise<void>;
  show(ctx: BotContext, placeId: number, how: Presentation, notice?: string): Promise<void>;
  showSources(ctx: BotContext, place: Place, page: number, how: Presentation, notice?: string): Promise<void>;
  showQueues(ctx: BotContext, place: Place, picked: PickedSource, page: number, how: Presentation): Promise<void>;
}

type ScheduleSettings = NonNullable<ReturnType<ScheduleMenuDeps['schedules']['settings']>>;

/** A configured source and its index in the list: buttons carry the index, never the id. */
interface PickedSource {
  source: ScheduleSource;
  index: number;
}

const placeOf = (places: ScheduleMenuDeps['places'], ctx: BotContext) => findPlace(places, payloadNumbers(ctx)[0] ?? null);

/** A button of these menus: runs `handler` with the place, or says it is gone. */
function pressOn(places: ScheduleMenuDeps['places'], screens: Pick<ScheduleScreens, 'showMain'>) {
  return (handler: (ctx: PressContext, place: Place) => Promise<unknown>) =>
    async (ctx: PressContext): Promise<void> => {
      const place = await placeOf(places, ctx);
      if (!place) return screens.showMain(ctx, 'edit', ctx.t('place-gone'));
      try {
        await handler(ctx, place);
      } catch (error) {
        if (!(error instanceof PlaceInputError)) throw error;
        await screens.showMain(ctx, 'edit', ctx.t('place-gone'));
      }
    };
}

/** A press on a menu drawn before a change: the place's schedule as it is now, or the main menu. */
function scheduleOutdated(places: ScheduleMenuDeps['places'], screens: Pick<ScheduleScreens, 'showMain' | 'show'>) {
  return async (ctx: PressContext): Promise<void> => {
    await ctx.answerCallbackQuery({ text: ctx.t('menu-outdated') });
    const place = await placeOf(places, ctx);
    await (place ? screens.show(ctx, place.id, 'edit') : screens.showMain(ctx, 'edit', ctx.t('place-gone')));
  };
}

const exists = async (places: ScheduleMenuDeps['places'], ctx: BotContext) => ((await placeOf(places, ctx)) ? 1 : 'gone');

/** The source at this index of the configured list, if there is one. */
function sourceAt(sources: readonly ScheduleSource[], index: number | undefined): PickedSource | undefined {
  const source = index === undefined ? undefined : sources[index];
  return source && index !== undefined ? { source, index } : undefined;
}

// --- the place's schedule and its settings ---
function settingsMenu(deps: Pick<ScheduleMenuDeps, 'places' | 'schedules' | 'logger'>, screens: ScheduleScreens): ViewMenu {
  const { places, schedules } = deps;
  const press = pressOn(places, screens);
  const menu = new ViewMenu('sg', {
    fingerprint: async (ctx) => {
      const [placeId] = payloadNumbers(ctx);
      const attached = placeId === undefined ? false : schedules.settings(placeId)?.source != null;
      return `sg:${placeId}:${await exists(places, ctx)}:${attached ? 1 : 0}`;
    },
    onMenuOutdated: scheduleOutdated(places, screens),
  });
  menu.dynamic((ctx, range) => {
    const [placeId] = payloadNumbers(ctx);
    const payload = String(placeId ?? '');
    const settings = placeId === undefined ? undefined : schedules.settings(placeId);
    const attached = settings?.source != null;
    range.text({ text: ctx.t(attached ? 'btn-plan-change' : 'btn-plan-pick'), payload }, press((ctx, place) => screens.showSources(ctx, place, 0, 'edit')));
    if (settings && attached) addAttachedButtons(deps, screens, range, ctx, settings, payload);
    range.row().text({ text: ctx.t('btn-back'), payload }, press((ctx, place) => screens.showPlace(ctx, place.id, 'edit')));
    return range;
  });
  return menu;
}

/** Under a place that follows a schedule: "no schedule", the warnings ahead, and tomorrow's plan on or off. */
function addAttachedButtons(
  { places, schedules, logger }: Pick<ScheduleMenuDeps, 'places' | 'schedules' | 'logger'>,
  screens: ScheduleScreens,
  range: MenuRange<BotContext>,
  ctx: BotContext,
  settings: ScheduleSettings,
  payload: string,
): void {
  const press = pressOn(places, screens);
  range.row().text(
    { text: ctx.t('btn-plan-none'), payload },
    press(async (ctx, place) => {
      schedules.detach(place.id);
      logger.info({ placeId: place.id, userId: ctx.from.id }, 'place no longer follows an outage schedule');
      await screens.show(ctx, place.id, 'edit', ctx.t('plan-detached', { name: escapeHtml(place.name) }));
    }),
  );
  WARN_MINUTES.forEach((minutes, index) => {
    if (index % 2 === 0) range.row();
    const mark = settings.warnMinutes === minutes ? '✓ ' : '';
    range.text(
      { text: `${mark}${ctx.t('btn-plan-warn', { minutes })}`, payload },
      press(async (ctx, place) => {
        schedules.setWarnMinutes(place.id, minutes);
        await screens.show(ctx, place.id, 'edit', ctx.t('plan-warn-set', { minutes }));
      }),
    );
  });
  range.row().text(
    { text: ctx.t('btn-plan-tomorrow', { on: settings.postTomorrow ? 'yes' : 'no' }), payload },
    press(async (ctx, place) => {
      const on = !(schedules.settings(place.id)?.postTomorrow ?? false);
      schedules.setPostTomorrow(place.id, on);
      await screens.show(ctx, place.id, 'edit', ctx.t('plan-tomorrow-set', { on: on ? 'yes' : 'no' }));
    }),
  );
}

// --- regions: the configured sources ---
function sourcesMenu(deps: Pick<ScheduleMenuDeps, 'places' | 'schedules' | 'localeOf'>, screens: ScheduleScreens): ViewMenu {
  const { places, schedules, localeOf } = deps;
  const press = pressOn(places, screens);
  const menu = new ViewMenu('ss', {
    fingerprint: async (ctx) => `ss:${payloadNumbers(ctx)[0]}:${await exists(places, ctx)}:${schedules.sources.map((s) => s.id).join(',')}`,
    onMenuOutdated: scheduleOutdated(places, screens),
  });
  menu.dynamic(async (ctx, range) => {
    const [placeId, page = 0] = payloadNumbers(ctx);
    const locale = await localeOf(ctx);
    const current = placeId === undefined ? undefined : schedules.settings(placeId)?.source;
    const paged = pageOf(schedules.sources, page, SOURCES_PER_PAGE);
    const payload = `${placeId ?? ''}.${paged.page}`;
    paged.items.forEach(({ item, index }, i) => {
      if (i > 0 && i % SOURCES_PER_ROW === 0) range.row();
      const mark = current === item.id ? '✓ ' : '';
      range.text(
        { text: `${mark}${sourceName(item, item.id, locale)}`, payload },
        press((ctx, place) => pickSource(deps, screens, ctx, place, { source: item, index }, paged.page)),
      );
    });
    pager(range, paged, payload, (target) => press((ctx, place) => screens.showSources(ctx, place, target, 'edit')));
    range.row().text({ text: ctx.t('btn-back'), payload }, press((ctx, place) => screens.show(ctx, place.id, 'edit')));
    return range;
  });
  return menu;
}

// --- queues of one source ---
function queuesMenu(deps: Pick<ScheduleMenuDeps, 'places' | 'schedules' | 'localeOf' | 'logger'>, screens: ScheduleScreens): ViewMenu {
  const { places, schedules } = deps;
  const press = pressOn(places, screens);
  const menu = new ViewMenu('sq', {
    fingerprint: async (ctx) => {
      const [placeId, sourceIndex] = payloadNumbers(ctx);
      const source = sourceAt(schedules.sources, sourceIndex)?.source;
      const queues = source ? (schedules.queuesNow(source.id) ?? []) : [];
      return `sq:${placeId}:${await exists(places, ctx)}:${source?.id}:${queues.map((q) => q.id).join(',')}`;
    },
    onMenuOutdated: scheduleOutdated(places, screens),
  });
  menu.dynamic((ctx, range) => {
    const [placeId, sourceIndex, page = 0] = payloadNumbers(ctx);
    const picked = sourceAt(schedules.sources, sourceIndex);
    const settings = placeId === undefined ? undefined : schedules.settings(placeId);
    const paged = pageOf(picked ? (schedules.queuesNow(picked.source.id) ?? []) : [], page, QUEUES_PER_PAGE);
    const payload = `${placeId ?? ''}.${sourceIndex ?? ''}.${paged.page}`;
    // Without a source the list is empty: no queue, no pages, only the way back to the regions.
    if (picked) {
      const { source } = picked;
      paged.items.forEach(({ item }, i) => {
        if (i > 0 && i % QUEUES_PER_ROW === 0) range.row();
        const mark = settings?.source === source.id && settings.queue === item.id ? '✓ ' : '';
        range.text({ text: `${mark}${queueButtonLabel(item)}`, payload }, press((ctx, place) => pickQueue(deps, screens, ctx, place, source, item.id)));
      });
      pager(range, paged, payload, (target) => press((ctx, place) => screens.showQueues(ctx, place, picked, target, 'edit')));
      // A place may know its region but not its queue: its own outages will tell (queue hints).
      range.row().text({ text: ctx.t('btn-plan-queue-unknown'), payload }, press((ctx, place) => pickRegionOnly(deps, screens, ctx, place, source)));
    }
    const back = Math.floor((sourceIndex ?? 0) / SOURCES_PER_PAGE);
    range.row().text({ text: ctx.t('btn-plan-other-source'), payload }, press((ctx, place) => screens.showSources(ctx, place, back, 'edit')));
    return range;
  });
  return menu;
}

async function pickSource(
  { schedules, localeOf }: Pick<ScheduleMenuDeps, 'schedules' | 'localeOf'>,
  screens: ScheduleScreens,
  ctx: PressContext,
  place: Place,
  picked: PickedSource,
  page: number,
): Promise<void> {
  const { source } = picked;
  const name = escapeHtml(sourceName(source, source.id, await localeOf(ctx)));
  const choices = await schedules.queueChoices(source.id);
  if (choices.kind === 'pending') return screens.showSources(ctx, place, page, 'edit', ctx.t('plan-source-pending', { source: name }));
  if (choices.kind === 'unavailable') {
    return screens.showSources(ctx, place, page, 'edit', ctx.t('plan-source-unavailable', { source: name, error: escapeHtml(choices.error ?? '?') }));
  }
  if (choices.queues.length === 0) return screens.showSources(ctx, place, page, 'edit', ctx.t('plan-source-no-queues', { source: name }));
  await screens.showQueues(ctx, place, picked, 0, 'edit');
}

async function pickQueue(
  { schedules, localeOf, logger }: Pick<ScheduleMenuDeps, 'schedules' | 'localeOf' | 'logger'>,
  screens: ScheduleScreens,
  ctx: PressContext,
  place: Place,
  source: ScheduleSource,
  queueId: string,
): Promise<void> {
  try {
    const { queue } = schedules.attach(place.id, source.id, queueId);
    logger.info({ placeId: place.id, userId: ctx.from.id, source: source.id, queue: queue.id }, 'place follows an outage schedule');
    const name = escapeHtml(sourceName(source, source.id, await localeOf(ctx)));
    await screens.show(ctx, place.id, 'edit', ctx.t('plan-attached', { name: escapeHtml(place.name), source: name, queue: queueName(queue, ctx.t) }));
  } catch (error) {
    if (!(error instanceof ScheduleInputError)) throw error;
    await screens.show(ctx, place.id, 'edit', `⚠️ ${escapeHtml(ctx.t(`plan-error-${error.code}`, error.params))}`);
  }
}

async function pickRegionOnly(
  { schedules, localeOf, logger }: Pick<ScheduleMenuDeps, 'schedules' | 'localeOf' | 'logger'>,
  screens: ScheduleScreens,
  ctx: PressContext,
  place: Place,
  source: ScheduleSource,
): Promise<void> {
  schedules.setRegion(place.id, source.id);
  logger.info({ placeId: place.id, userId: ctx.from.id, source: source.id }, 'place is in a region, its queue to be found from its outages');
  const name = escapeHtml(sourceName(source, source.id, await localeOf(ctx)));
  await screens.show(ctx, place.id, 'edit', ctx.t('plan-region-set', { name: escapeHtml(place.name), source: name }));
}

/** The place's schedule: the card's schedule lines, its settings, and the buttons. */
async function showSchedule(
  { places, schedules, viewOf, localeOf }: Pick<ScheduleMenuDeps, 'places' | 'schedules' | 'viewOf' | 'localeOf'>,
  screens: Pick<ScheduleScreens, 'showMain'>,
  menu: ViewMenu,
  ctx: BotContext,
  placeId: number,
  how: Presentation,
  notice?: string,
): Promise<void> {
  const place = await findPlace(places, placeId);
  if (!place) return screens.showMain(ctx, how, ctx.t('place-gone'));
  const view = viewOf(ctx.t);
  const schedule = schedules.view(place.id);
  const lines = [ctx.t('plan-menu-title', { name: escapeHtml(place.name) }), ...scheduleCardLines(schedule, view, await localeOf(ctx))];
  if (schedule) lines.push(...scheduleSettingsLines(schedule.settings, ctx.t));
  else {
    const region = schedules.settings(place.id)?.region;
    const source = region ? schedules.source(region) : undefined;
    if (region) lines.push(ctx.t('plan-region-only', { source: escapeHtml(sourceName(source, region, await localeOf(ctx))) }));
    lines.push('', ctx.t('plan-menu-hint'));
  }
  ctx.match = String(place.id);
  await present(ctx, how, withNotice(notice, lines.join('\n')), menu);
}

async function showSources(
  { schedules }: Pick<ScheduleMenuDeps, 'schedules'>,
  menu: ViewMenu,
  ctx: BotContext,
  place: Place,
  page: number,
  how: Presentation,
  notice?: string,
): Promise<void> {
  const paged = pageOf(schedules.sources, page, SOURCES_PER_PAGE);
  ctx.match = `${place.id}.${paged.page}`;
  const text = ctx.t('plan-menu-pick-source', { name: escapeHtml(place.name) }) + pageNote(paged, ctx.t);
  await present(ctx, how, withNotice(notice, text), menu);
}

async function showQueues(
  { schedules, localeOf }: Pick<ScheduleMenuDeps, 'schedules' | 'localeOf'>,
  menu: ViewMenu,
  ctx: BotContext,
  place: Place,
  { source, index }: PickedSource,
  page: number,
  how: Presentation,
): Promise<void> {
  const paged = pageOf(schedules.queuesNow(source.id) ?? [], page, QUEUES_PER_PAGE);
  ctx.match = `${place.id}.${index}.${paged.page}`;
  const name = escapeHtml(sourceName(source, source.id, await localeOf(ctx)));
  await present(ctx, how, ctx.t('plan-menu-pick-queue', { name: escapeHtml(place.name), source: name }) + pageNote(paged, ctx.t), menu);
}

/** The numbers of a payload "12.3.0" (place, then source index and page); none when it is not one. */
function payloadNumbers(ctx: BotContext): number[] {
  const match = ctx.match;
  if (typeof match !== 'string' || !/^\d{1,15}(\.\d{1,6}){0,2}$/.test(match)) return [];
  return match.split('.').map(Number);
}

/** ◀️ ▶️ under a paged list; each button's handler is made for the page it leads to. */
function pager(
  range: MenuRange<BotContext>,
  paged: { page: number; pages: number },
  payload: string,
  go: (page: number) => (ctx: PressContext) => Promise<void>,
): void {
  if (paged.pages <= 1) return;
  range.row();
  if (paged.page > 0) range.text({ text: '◀️', payload }, go(paged.page - 1));
  if (paged.page < paged.pages - 1) range.text({ text: '▶️', payload }, go(paged.page + 1));
}

function pageNote(paged: { page: number; pages: number }, t: Translate): string {
  return paged.pages > 1 ? `\n${t('plan-menu-page', { page: paged.page + 1, pages: paged.pages })}` : '';
}
