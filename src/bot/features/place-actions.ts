import { LocationInputError } from '../../locations/location-rules.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputFile, type Context } from 'grammy';
import { DateTime } from 'luxon';
import type { Location } from '../../locations/location-service.js';
import { backupDatabase } from '../../ops/backup.js';
import { loadPowerEvents, powerEventsCsv } from '../../ops/export-csv.js';
import { escapeHtml } from '../../telegram/escape-html.js';
import type { Translate } from '../../telegram/translator.js';
import type { BotFeatureDeps } from '../deps.js';
import { esp32ConfigView, heartbeatUrl } from '../views/esp32-text.js';
import { recentEventsText, type ViewContext } from '../views/place-text.js';

const RECENT_EVENTS = 10;

/**
 * What the admin asks a place for, sent as new messages (so the menu above stays where it is):
 * the ESP32 config, recent events, a diagram now, the history as CSV. Each takes the translator
 * of the admin's language, so it works from a menu and from the end of a conversation alike.
 */
export class PlaceActions {
  constructor(private readonly deps: BotFeatureDeps) {}

  view(t: Translate): ViewContext {
    return { now: this.deps.clock.now(), timeZone: this.deps.config.timeZone, t, defaultChannelId: this.deps.config.defaultChannelId };
  }

  /** The server URL, key, interval and timeout as a message, then the same as `config.h`. */
  async sendEsp32Config(ctx: Context, place: Location, t: Translate): Promise<void> {
    const { config, app } = this.deps;
    const config_ = esp32ConfigView(place, heartbeatUrl(config.publicUrl, config.port || app.port), t);
    await ctx.reply(config_.text, { parse_mode: 'HTML', reply_markup: { remove_keyboard: true } });
    await ctx.replyWithDocument(new InputFile(Buffer.from(config_.header, 'utf8'), 'config.h'), {
      caption: t('config-caption', { name: escapeHtml(place.name) }),
      parse_mode: 'HTML',
    });
  }

  async sendRecentEvents(ctx: Context, place: Location, t: Translate): Promise<void> {
    const intervals = await this.deps.store.db
      .selectFrom('power_events')
      .select(['status', 'started_at', 'ended_at'])
      .where('location_id', '=', place.id)
      .orderBy('started_at', 'desc')
      .orderBy('id', 'desc')
      .limit(RECENT_EVENTS)
      .execute();
    await ctx.reply(recentEventsText(place.name, intervals, this.view(t)), { parse_mode: 'HTML' });
  }

  /** Posts the diagram to the place's channel now, or says honestly why it cannot. */
  async sendDiagramNow(ctx: Context, place: Location, t: Translate): Promise<void> {
    const name = escapeHtml(place.name);
    if (!this.deps.diagrams) {
      await ctx.reply(t('diagram-unavailable'), { parse_mode: 'HTML' });
      return;
    }
    try {
      await this.deps.diagrams.sendNow(place.id);
      this.deps.wakeOutbox();
      await ctx.reply(t('diagram-sent', { name }), { parse_mode: 'HTML' });
    } catch (error) {
      this.deps.logger.warn({ err: error, locationId: place.id }, 'sending a diagram on request failed');
      const reason = error instanceof LocationInputError ? t(`location-error-${error.code}`, error.params) : errorText(error);
      await ctx.reply(t('diagram-failed', { name, reason: escapeHtml(reason) }), { parse_mode: 'HTML' });
    }
  }

  /** The place's whole power history as a CSV document, in local time with offsets. */
  async sendEventsCsv(ctx: Context, place: Location, t: Translate): Promise<void> {
    const { store, config, clock } = this.deps;
    const csv = powerEventsCsv(await loadPowerEvents(store.db, place.id), config.timeZone);
    const day = DateTime.fromMillis(clock.now(), { zone: config.timeZone }).toFormat('yyyy-MM-dd');
    await ctx.replyWithDocument(new InputFile(Buffer.from(csv, 'utf8'), `power-events-${place.id}-${day}.csv`), {
      caption: t('export-caption', { name: escapeHtml(place.name), zone: escapeHtml(config.timeZone) }),
      parse_mode: 'HTML',
    });
  }

  /** A consistent snapshot of the database, written to a temporary file, sent, then removed. */
  async sendBackup(ctx: Context, t: Translate): Promise<void> {
    const { store, config, clock, logger } = this.deps;
    const stamp = DateTime.fromMillis(clock.now(), { zone: config.timeZone });
    const fileName = `monitor-${stamp.toFormat('yyyy-MM-dd-HHmm')}.db`;
    const folder = mkdtempSync(join(tmpdir(), 'monitor-backup-'));
    try {
      const path = join(folder, fileName);
      await backupDatabase(store.sqlite, path);
      await ctx.replyWithDocument(new InputFile(path, fileName), {
        caption: t('backup-caption', { time: stamp.toFormat('dd.MM.yyyy HH:mm') }),
        parse_mode: 'HTML',
      });
      logger.info({ userId: ctx.from?.id }, 'database backup sent to an admin');
    } catch (error) {
      logger.error({ err: error }, 'database backup for an admin failed');
      await ctx.reply(t('backup-failed', { reason: escapeHtml(errorText(error)) }), { parse_mode: 'HTML' });
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
