import { DateTime } from 'luxon';
import type { TelegramTestApp } from '../support/telegram-app.js';
import { gpvBody, type GpvValue } from './gpv-body.js';
import type { startSourceServer } from './source-server.js';

type SourceServer = Awaited<ReturnType<typeof startSourceServer>>;
/** Local days (yyyy-MM-dd) → hour keys (1…24) that are not "yes". */
export type QueueDays = Record<string, Partial<Record<number, GpvValue>>>;

/**
 * One queue of a GPV source as the end-to-end schedule tests drive it: the local source server
 * publishes new content (a new ETag) for the queue, and the service reads it at a moment of the
 * test's clock and looks for posts to make, as its poller and its minute timer would.
 */
export class QueueFeed {
  private version = 0;

  constructor(
    private readonly server: SourceServer,
    private readonly options: { path: string; sourceId: string; queue: string; zone?: string },
  ) {}

  /** The source publishes `days` "as of" `at`; the service reads it at `at` (deliver: false leaves the posts queued). */
  async publish(t: TelegramTestApp, at: number, days: QueueDays, options: { deliver?: boolean } = {}): Promise<void> {
    this.version += 1;
    const update = DateTime.fromMillis(at, { zone: this.options.zone ?? 'Europe/Kyiv' }).toFormat('dd.MM.yyyy HH:mm');
    const body = gpvBody({ update, days: Object.fromEntries(Object.entries(days).map(([day, hours]) => [day, { [this.options.queue]: hours }])) });
    this.server.reply(this.options.path, { kind: 'serve', body, etag: `"v${this.version}"` });
    await this.readAt(t, at, options);
  }

  /** The clock moves to `at`, the source is read (changed or not), posts are looked for and delivered. */
  async readAt(t: TelegramTestApp, at: number, options: { deliver?: boolean } = {}): Promise<void> {
    t.clock.set(at);
    await t.system.schedules.poller.poll(this.options.sourceId);
    await t.system.schedules.checkNotices();
    if (options.deliver ?? true) await t.drain();
  }
}
