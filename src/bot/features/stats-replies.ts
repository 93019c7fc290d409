import { InputFile } from 'grammy';
import type { Place } from '../../places/place-service.js';
import type { StatsPeriodKind } from '../../reports/periods.js';
import { escapeHtml } from '../../i18n/escape-html.js';
import type { Locale } from '../../i18n/translator.js';
import type { BotContext } from '../context.js';
import type { BotServices } from '../deps.js';

export type StatsRepliesDeps = Pick<BotServices, 'clock' | 'logger' | 'reports' | 'timeZone'> & {
  /** The language of the person asking: the picture and the totals are theirs, not the channel's. */
  readerLocale: (ctx: BotContext) => Promise<Locale>;
};

/**
 * The answer to a /stats period: the picture of the period with its totals as the caption, as a
 * new message in the reader's language. The picture is drawn in the render worker from the
 * place's data read there. A period in which nothing was known gets its totals as text only
 * ("no data"): a picture of grey rows would say nothing more.
 */
export class StatsReplies {
  constructor(private readonly deps: StatsRepliesDeps) {}

  async send(ctx: BotContext, place: Place, kind: StatsPeriodKind): Promise<void> {
    const { reports, clock, timeZone, logger } = this.deps;
    if (!reports) {
      await ctx.reply(ctx.t('stats-unavailable'));
      return;
    }
    // The first picture after a start waits for the worker: show that something is coming.
    await ctx.replyWithChatAction('upload_photo').catch(() => undefined);
    let report;
    try {
      const language = await this.deps.readerLocale(ctx);
      report = await reports.renderReport({ placeId: place.id, period: { kind }, now: clock.now(), timeZone, language });
    } catch (error) {
      logger.warn({ err: error, placeId: place.id, period: kind }, 'a /stats picture could not be rendered');
      await ctx.reply(ctx.t('stats-failed', { name: escapeHtml(place.name) }));
      return;
    }
    if (!report.hasData) {
      await ctx.reply(report.caption);
      return;
    }
    await ctx.replyWithPhoto(new InputFile(report.png, `stats-${place.id}-${kind}.png`), { caption: report.caption });
  }
}
