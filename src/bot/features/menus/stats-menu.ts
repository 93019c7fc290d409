import type { Place } from '../../../places/place-service.js';
import { STATS_PERIODS } from '../../../reports/periods.js';
import { escapeHtml } from '../../../i18n/escape-html.js';
import type { BotContext } from '../../context.js';
import type { PlaceAccess } from '../../place-access.js';
import type { ViewOf } from '../../views/place-text.js';
import type { StatsReplies } from '../stats-replies.js';
import { choosePlaceMenu } from './choose-place-menu.js';
import { label, present, subjectId, subjectPayload, ViewMenu, type AdminViews, type Presentation, type PressContext } from './view-menu.js';

export interface StatsMenuDeps {
  access: PlaceAccess;
  viewOf: ViewOf;
  stats: Pick<StatsReplies, 'send'>;
}

/** Periods per row of the period menu: "7 days · 30 days", then "this month · last month". */
const PERIODS_PER_ROW = 2;

/**
 * /stats: which place (of those the person may see), then which period; each period button
 * answers with a new message (the picture and its totals), and the menu stays for another
 * period. The place travels in the payload and is checked again on every press. Subscribers get
 * their own copy under subscriber menu ids (`ids`), showing only the places they follow, paged
 * but not searched (a search is typed in a conversation, which is the admin chat's).
 */
export function statsMenu(
  { access, viewOf, stats }: StatsMenuDeps,
  views: Pick<AdminViews, 'showMain'>,
  ids: { chooser: string; periods: string; searchable: boolean } = { chooser: 'sc', periods: 'sp', searchable: true },
) {
  const search = ids.searchable ? { list: 'choose' as const, purpose: 'stats' as const } : null;
  const chooser = choosePlaceMenu(ids.chooser, 'stats', { access, viewOf }, views, (ctx, place) => showPeriods(ctx, place, 'edit'), search);
  const placeOf = (ctx: BotContext) => access.placeFor(ctx.from?.id, subjectId(ctx));

  const periods = new ViewMenu(ids.periods, {
    // From the database, never from labels: the same buttons for as long as the place is there.
    fingerprint: async (ctx) => `${ids.periods}:${subjectPayload(ctx)}:${(await placeOf(ctx)) ? 1 : 'gone'}`,
    onMenuOutdated: async (ctx: PressContext) => {
      await ctx.answerCallbackQuery({ text: ctx.t('menu-outdated') });
      const place = await placeOf(ctx);
      await (place ? showPeriods(ctx, place, 'edit') : chooser.show(ctx, 'edit'));
    },
  });
  STATS_PERIODS.forEach((kind, index) => {
    periods.text({ text: label(`btn-stats-${kind}`), payload: subjectPayload }, async (ctx) => {
      const place = await placeOf(ctx);
      if (!place) return chooser.show(ctx, 'edit');
      await stats.send(ctx, place, kind);
    });
    if (index % PERIODS_PER_ROW === PERIODS_PER_ROW - 1) periods.row();
  });
  periods.text(label('btn-stats-other-place'), (ctx) => chooser.show(ctx, 'edit'));

  async function showPeriods(ctx: BotContext, place: Place, how: Presentation): Promise<void> {
    ctx.match = String(place.id); // The period buttons carry this id.
    await present(ctx, how, ctx.t('stats-period', { name: escapeHtml(place.name) }), periods);
  }

  chooser.menu.register(periods);
  return { menu: chooser.menu, show: chooser.show, showPeriods };
}
