import { InputFile } from 'grammy';
import type { Clock } from '../clock.js';
import type { DeliveryPlaces } from '../places/delivery-places.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import { deliverHeadRows, type Deliverer, type DeliveryResult, type Lane, type TaskContext } from '../outbox/dispatcher.js';
import { parsePayload } from '../outbox/messages.js';
import type { OutboxRow } from '../outbox/outbox-store.js';
import { PRIORITY } from '../telegram/rate-limiter.js';
import type { TelegramTransport } from '../telegram/transport.js';
import type { MonthRef } from './periods.js';
import type { RenderedReportImage, ReportRenderRequest } from './report-render.js';
import { monthOfKey } from './report-schedule.js';

import type { DestinationStore } from '../people/destination-store.js';

/** Draws a report in the render worker (jobs/diagram-renderer.ts); the main thread never renders. */
export interface ReportRenderer {
  renderReport(request: Omit<ReportRenderRequest, 'id'>, signal?: AbortSignal): Promise<RenderedReportImage>;
}

export interface MonthlyDeliveryDeps {
  transport: TelegramTransport;
  renderer: ReportRenderer;
  places: Pick<DeliveryPlaces, 'get'>;
  /** The chat's forum topic, when the place posts into one (the report goes there too). */
  destinations: Pick<DestinationStore, 'settingsFor'>;
  clock: Clock;
  logger: Logger;
  metrics: Metrics;
  timeZone: string;
  defaultChannelId: string | undefined;
  /** Reports rendered ahead of their post, at most (each holds its PNG until it is posted). */
  maxInFlight?: number;
}

/** A render that keeps failing is given up after this many attempts (backing off in between). */
const RENDER_ATTEMPTS = 6;
const RENDER_RETRY_BASE_MS = 5_000;

/**
 * Posts monthly reports (outbox kind 'monthly_report'): the month picture with its totals as the
 * caption, silently, to the place's channel. Two stages, as for the daily diagram: the render in
 * the render worker (no send slot held, so a slow render never holds back a post), then the post
 * at report priority, behind every due alert. A month of which nothing is known is not posted.
 */
export class MonthlyReportDelivery implements Deliverer {
  readonly maxTasks: number;

  constructor(private readonly deps: MonthlyDeliveryDeps) {
    this.maxTasks = deps.maxInFlight ?? 2;
  }

  taskKey(lane: Lane): string {
    return lane.key;
  }

  run(task: TaskContext): Promise<void> {
    return deliverHeadRows(task, (row) => this.deliver(row, task));
  }

  private async deliver(row: OutboxRow, task: TaskContext): Promise<DeliveryResult> {
    const { transport, clock, logger, timeZone } = this.deps;
    let month: MonthRef;
    try {
      month = monthOfKey(parsePayload('monthly_report', row.payload).month);
    } catch (error) {
      if (error instanceof Error) return { outcome: 'failed', error: error.message };
      throw error;
    }
    const place = this.deps.places.get(row.location_id ?? -1);
    if (!place) return { outcome: 'failed', error: 'the place was deleted' };
    const chat = place.channel_id ?? this.deps.defaultChannelId;
    if (!chat) return { outcome: 'sent', messageId: null };

    let report: RenderedReportImage;
    try {
      report = await this.deps.renderer.renderReport({ placeId: place.id, period: { kind: 'month', ...month }, now: clock.now(), timeZone }, task.stopping);
    } catch (error) {
      if (task.stopping.aborted) return { outcome: 'untouched' };
      const reason = `render: ${error instanceof Error ? error.message : String(error)}`;
      if (row.attempts + 1 >= RENDER_ATTEMPTS) return { outcome: 'failed', error: reason };
      return { outcome: 'retry', retryAt: clock.now() + RENDER_RETRY_BASE_MS * 2 ** row.attempts, error: reason };
    }
    const monthKey = `${month.year}-${String(month.month).padStart(2, '0')}`;
    if (!report.hasData) {
      logger.info({ placeId: place.id, month: monthKey }, 'nothing is known of the month: no monthly report');
      return { outcome: 'sent', messageId: null };
    }

    const topic = this.deps.destinations.settingsFor(place.id, chat).threadId;
    const sent = await transport.send(chat, PRIORITY.report, task, (signal) =>
      transport.api.sendPhoto(
        chat,
        new InputFile(report.png, `report-${monthKey}.png`),
        { caption: report.caption, parse_mode: 'HTML', disable_notification: true, ...(topic === null ? {} : { message_thread_id: topic }) },
        signal,
      ),
    );
    if (!sent.ok) return transport.channelPostFailure(place, chat, row, sent);
    transport.clearFlagUnlessAlertsWait(place.id);
    this.deps.metrics.messagesSent.inc({ kind: 'monthly_report' });
    logger.info({ placeId: place.id, month: monthKey, messageId: sent.value.message_id, renderMs: Math.round(report.renderMs) }, 'monthly report posted');
    return { outcome: 'sent', messageId: sent.value.message_id };
  }
}
