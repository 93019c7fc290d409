import { DateTime } from 'luxon';
import type { Clock } from '../../../clock.js';
import type { ScheduleService, SourceHealth } from '../../../schedules/schedule-service.js';
import { formatDuration } from '../../../i18n/duration.js';
import { escapeHtml } from '../../../i18n/escape-html.js';
import type { Locale, Translate } from '../../../i18n/translator.js';
import type { BotContext } from '../../context.js';
import { sourceName } from '../../views/schedule-text.js';
import { label, present, ViewMenu, whenOutdated, type AdminViews, type Presentation } from './view-menu.js';

export interface ScheduleSourcesMenuDeps {
  schedules: Pick<ScheduleService, 'sourcesHealth'>;
  clock: Pick<Clock, 'now'>;
  timeZone: string;
  localeOf: (ctx: BotContext) => Promise<Locale> | Locale;
}

/**
 * "📅 Джерела графіків": each source some place uses (or that has a kept copy), in one look — its
 * last good copy and how old it is, whether posts use it now, failed reads in the last day, and how
 * many places are in its region. Read-only; refresh and back.
 */
export function scheduleSourcesMenu({ schedules, clock, timeZone, localeOf }: ScheduleSourcesMenuDeps, views: Pick<AdminViews, 'showMain'>) {
  const menu = new ViewMenu('hs', { fingerprint: () => 'hs', onMenuOutdated: whenOutdated((ctx) => show(ctx, 'edit')) });
  menu.text(label('btn-refresh'), (ctx) => show(ctx, 'edit'));
  menu.text(label('btn-back-places'), (ctx) => views.showMain(ctx, 'edit'));

  async function show(ctx: BotContext, how: Presentation): Promise<void> {
    const locale = await localeOf(ctx);
    await present(ctx, how, scheduleSourcesText(schedules.sourcesHealth(), clock.now(), timeZone, ctx.t, locale), menu);
  }

  return { menu, show };
}

/** The screen's text (HTML): a block per source, or a word that no place uses one yet. */
export function scheduleSourcesText(sources: readonly SourceHealth[], now: number, timeZone: string, t: Translate, locale: Locale): string {
  if (sources.length === 0) return [t('sources-title'), t('sources-none')].join('\n\n');
  const blocks = sources.map(({ source, status, failuresLastDay, places }) => {
    const name = escapeHtml(sourceName(source, source.id, locale));
    const lines = [t('sources-name', { name, id: escapeHtml(source.id) })];
    if (status.fetchedAt === null) lines.push(t('sources-no-copy'));
    else {
      const copy = DateTime.fromMillis(status.asOf ?? status.fetchedAt, { zone: timeZone }).toFormat('dd.MM HH:mm');
      lines.push(t('sources-copy', { copy, age: formatDuration(status.dataAgeMs ?? 0, t), fetched: formatDuration(Math.max(0, now - status.fetchedAt), t) }));
    }
    lines.push(status.usable ? t('sources-usable') : t('sources-unusable', { reason: t(`plan-reason-${status.reason ?? 'never-fetched'}`, { queue: '' }) }));
    lines.push(t('sources-counts', { failures: failuresLastDay, places }));
    if (status.failures > 0 && status.lastError) lines.push(t('sources-last-error', { failures: status.failures, error: escapeHtml(status.lastError.slice(0, 200)) }));
    return lines.join('\n');
  });
  return [t('sources-title'), ...blocks].join('\n\n');
}
