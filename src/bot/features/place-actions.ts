import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputFile, type Context } from 'grammy';
import { DateTime } from 'luxon';
import { PlaceInputError } from '../../places/place-rules.js';
import type { Place } from '../../places/place-service.js';
import { powerEventsCsv } from '../../ops/export-csv.js';
import { escapeHtml } from '../../i18n/escape-html.js';
import type { Translate } from '../../i18n/translator.js';
import type { BotServices } from '../deps.js';
import { esp32ConfigView } from '../views/esp32-text.js';
import { recentEventsText, type ViewOf } from '../views/place-text.js';

export type PlaceActionsDeps = Pick<
  BotServices,
  'clock' | 'logger' | 'places' | 'diagrams' | 'wakeOutbox' | 'backupDatabase' | 'heartbeatUrl' | 'timeZone'
> & { viewOf: ViewOf; schedules: Pick<BotServices['schedules'], 'skipsBetween'> };

const RECENT_EVENTS = 10;

/**
 * What the admin asks a place for, sent as new messages (so the menu above stays where it is):
 * the ESP32 config, recent events, a diagram now, the history as CSV. Each takes the translator
 * of the admin's language, so it works from a menu and from the end of a conversation alike.
 */
export class PlaceActions {
  constructor(private readonly deps: PlaceActionsDeps) {}

  /** The server URL, key, interval and timeout as a message, then the same as `config.h`. */
  async sendEsp32Config(ctx: Context, place: Place, t: Translate): Promise<void> {
    const view = esp32ConfigView(place, this.deps.heartbeatUrl(), t);
    await ctx.reply(view.text, { reply_markup: { remove_keyboard: true } });
    await ctx.replyWithDocument(new InputFile(Buffer.from(view.header, 'utf8'), 'config.h'), {
      caption: t('config-caption', { name: escapeHtml(place.name) }),
    });
  }

  /** The last power intervals, with the planned outages that did not happen in the same stretch of time. */
  async sendRecentEvents(ctx: Context, place: Place, t: Translate): Promise<void> {
    const intervals = await this.deps.places.recentEvents(place.id, RECENT_EVENTS);
    // The whole history when it all fits; otherwise from the oldest interval shown.
    const from = intervals.length < RECENT_EVENTS ? 0 : (intervals.at(-1)?.started_at ?? 0);
    const skipped = this.deps.schedules.skipsBetween(place.id, from, Number.MAX_SAFE_INTEGER).filter((skip) => skip.starts_at >= from);
    await ctx.reply(recentEventsText(place.name, intervals, this.deps.viewOf(t), skipped));
  }

  /** Posts the diagram to the place's channel now, or says honestly why it cannot. */
  async sendDiagramNow(ctx: Context, place: Place, t: Translate): Promise<void> {
    const name = escapeHtml(place.name);
    if (!this.deps.diagrams) {
      await ctx.reply(t('diagram-unavailable'));
      return;
    }
    try {
      await this.deps.diagrams.sendNow(place.id);
      this.deps.wakeOutbox();
      await ctx.reply(t('diagram-sent', { name }));
    } catch (error) {
      this.deps.logger.warn({ err: error, placeId: place.id }, 'sending a diagram on request failed');
      const reason = error instanceof PlaceInputError ? t(`location-error-${error.code}`, error.params) : errorText(error);
      await ctx.reply(t('diagram-failed', { name, reason: escapeHtml(reason) }));
    }
  }

  /** The place's whole power history as a CSV document, in local time with offsets. */
  async sendEventsCsv(ctx: Context, place: Place, t: Translate): Promise<void> {
    const { places, timeZone, clock } = this.deps;
    const csv = powerEventsCsv(await places.allEvents(place.id), timeZone, this.deps.schedules.skipsBetween(place.id, 0, Number.MAX_SAFE_INTEGER));
    const day = DateTime.fromMillis(clock.now(), { zone: timeZone }).toFormat('yyyy-MM-dd');
    await ctx.replyWithDocument(new InputFile(Buffer.from(csv, 'utf8'), `power-events-${place.id}-${day}.csv`), {
      caption: t('export-caption', { name: escapeHtml(place.name), zone: escapeHtml(timeZone) }),
    });
  }

  /** A consistent snapshot of the database, written to a temporary file, sent, then removed. */
  async sendBackup(ctx: Context, t: Translate): Promise<void> {
    const { backupDatabase, timeZone, clock, logger } = this.deps;
    if (!backupDatabase) {
      // A file of a shared PostgreSQL database is not ours to send: its own tool makes the dump.
      await ctx.reply(t('backup-postgres'));
      return;
    }
    const stamp = DateTime.fromMillis(clock.now(), { zone: timeZone });
    const fileName = `monitor-${stamp.toFormat('yyyy-MM-dd-HHmm')}.db`;
    const folder = mkdtempSync(join(tmpdir(), 'monitor-backup-'));
    try {
      const path = join(folder, fileName);
      await backupDatabase(path);
      await ctx.replyWithDocument(new InputFile(path, fileName), {
        caption: t('backup-caption', { time: stamp.toFormat('dd.MM.yyyy HH:mm') }),
      });
      logger.info({ userId: ctx.from?.id }, 'database backup sent to an admin');
    } catch (error) {
      logger.error({ err: error }, 'database backup for an admin failed');
      await ctx.reply(t('backup-failed', { reason: escapeHtml(errorText(error)) }));
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
