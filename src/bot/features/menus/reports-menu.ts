import type { Place, PlaceService } from '../../../places/place-service.js';
import type { Logger } from '../../../logger.js';
import { escapeHtml } from '../../../i18n/escape-html.js';
import type { BotContext } from '../../context.js';
import { findPlace, present, subjectId, subjectPayload, ViewMenu, withNotice, type AdminViews, type Presentation, type PressContext } from './view-menu.js';

export interface ReportsMenuDeps {
  places: Pick<PlaceService, 'get' | 'setReports'>;
  logger: Logger;
}

/**
 * A place's reports in its channel: the weekly summary (Monday 09:00) and the monthly report
 * (the 1st, 09:00), each switched on or off with one press. Both are on for a new place.
 */
export function reportsMenu(
  { places, logger }: ReportsMenuDeps,
  views: Pick<AdminViews, 'showMain'>,
  showPlace: (ctx: BotContext, placeId: number, how: Presentation) => Promise<void>,
) {
  const press =
    (handler: (ctx: PressContext, place: Place) => Promise<unknown>) =>
    async (ctx: PressContext): Promise<void> => {
      const place = await findPlace(places, subjectId(ctx));
      if (!place) return views.showMain(ctx, 'edit', ctx.t('place-gone'));
      await handler(ctx, place);
    };
  const onMenuOutdated = async (ctx: PressContext): Promise<void> => {
    await ctx.answerCallbackQuery({ text: ctx.t('menu-outdated') });
    const place = await findPlace(places, subjectId(ctx));
    await (place ? show(ctx, place.id, 'edit') : views.showMain(ctx, 'edit', ctx.t('place-gone')));
  };

  const toggle = (kind: 'weekly' | 'monthly') => ({
    text: async (ctx: BotContext) => {
      const place = await findPlace(places, subjectId(ctx));
      return ctx.t(`btn-report-${kind}`, { on: place && isOn(place, kind) ? 'yes' : 'no' });
    },
    payload: subjectPayload,
  });
  const flip = (kind: 'weekly' | 'monthly') =>
    press(async (ctx, place) => {
      const on = !isOn(place, kind);
      await places.setReports(place.id, { [kind]: on });
      logger.info({ placeId: place.id, userId: ctx.from.id, report: kind, on }, 'place report switched');
      await show(ctx, place.id, 'edit', ctx.t(`reports-${kind}-set`, { on: on ? 'yes' : 'no' }));
    });

  const menu = new ViewMenu('rp', {
    fingerprint: async (ctx) => `rp:${subjectPayload(ctx)}:${(await findPlace(places, subjectId(ctx))) ? 1 : 'gone'}`,
    onMenuOutdated,
  });
  menu
    .text(toggle('weekly'), flip('weekly'))
    .row()
    .text(toggle('monthly'), flip('monthly'))
    .row()
    .text({ text: (ctx) => ctx.t('btn-back'), payload: subjectPayload }, press((ctx, place) => showPlace(ctx, place.id, 'edit')));

  async function show(ctx: BotContext, placeId: number, how: Presentation, notice?: string): Promise<void> {
    const place = await findPlace(places, placeId);
    if (!place) return views.showMain(ctx, how, ctx.t('place-gone'));
    ctx.match = String(place.id);
    await present(ctx, how, withNotice(notice, ctx.t('reports-menu-title', { name: escapeHtml(place.name) })), menu);
  }

  return { menu, show };
}

function isOn(place: Pick<Place, 'weekly_report' | 'monthly_report'>, kind: 'weekly' | 'monthly'): boolean {
  return (kind === 'weekly' ? place.weekly_report : place.monthly_report) !== 0;
}
