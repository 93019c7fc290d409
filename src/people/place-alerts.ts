import type { Logger } from '../logger.js';
import type { Alert } from '../outbox/payload-parts.js';
import type { AlertPayload, OutboxMessage, PlanNoticePayload } from '../outbox/messages.js';
import type { OutboxStore } from '../outbox/outbox-store.js';
import type { EndedSnooze, SnoozeStore } from './snooze-store.js';
import type { SubscriberStore } from './subscriber-store.js';

export interface PlaceAlertsDeps {
  /** The outbox's one owner: every row goes through its `enqueue`. */
  outbox: Pick<OutboxStore, 'enqueue' | 'inTransaction'>;
  subscribers: Pick<SubscriberStore, 'recipients' | 'placesWanting'>;
  snoozes: Pick<SnoozeStore, 'hold' | 'end' | 'due'>;
  /** The chat the place's posts go to (its own or the default); undefined when there is none. */
  chatOf: (placeId: number) => string | undefined;
  logger: Logger;
}

/**
 * Where a place's alert goes, decided in the transaction that records the change: held while the
 * place is snoozed; otherwise one row for its chat and one per subscriber who wants alerts
 * (private_alert), all written through the outbox's owner in the same commit as the change, so
 * a crash loses none and sends none twice. When a snooze ends, the one post about what happened
 * meanwhile goes the same way, before anything newer.
 *
 * A place's schedule posts (warnings, plan changes) fan out the same way to the subscribers who
 * chose planned-outage warnings (private_plan_notice), in the commit that records them as told;
 * a snooze does not hold them (it is about the power, not the plan).
 *
 * Other kinds pass straight through: this is the outbox writer the PowerStore and the schedule's
 * notices are given.
 */
export class PlaceAlerts {
  constructor(private readonly deps: PlaceAlertsDeps) {}

  /** Queues a message of any kind; a place's alert fans out (or is held by its snooze). */
  enqueue(message: OutboxMessage, now: number): void {
    if (message.kind === 'plan_notice') {
      this.deps.outbox.inTransaction(() => this.queuePlanNotice(message.placeId, message.payload, now));
      return;
    }
    if (message.kind !== 'alert') {
      this.deps.outbox.enqueue(message, now);
      return;
    }
    this.deps.outbox.inTransaction(() => {
      const held = this.deps.snoozes.hold(message.placeId, message.payload.alert, now);
      if (held.held) return;
      if (held.ended) this.queueSummary(held.ended, now);
      this.queuePost(message.placeId, message.payload, now);
    });
  }

  /** Runs `work` in one transaction of the outbox's database (nested calls join the outer one). */
  inTransaction<T>(work: () => T): T {
    return this.deps.outbox.inTransaction(work);
  }

  /** An admin ends a place's snooze now: its summary is queued. Undefined: it was not snoozed. */
  endSnooze(placeId: number, now: number): EndedSnooze | undefined {
    return this.deps.outbox.inTransaction(() => {
      const ended = this.deps.snoozes.end(placeId);
      if (ended) this.queueSummary(ended, now);
      return ended;
    });
  }

  /** Ends every snooze that has run out (the periodic check); how many ended. */
  endDueSnoozes(now: number): number {
    let ended = 0;
    for (const placeId of this.deps.snoozes.due(now)) {
      if (this.endSnooze(placeId, now)) ended += 1;
    }
    return ended;
  }

  /** What a snooze held, as one post; nothing when nothing happened. */
  private queueSummary(ended: EndedSnooze, now: number): void {
    if (ended.unreadable > 0) this.deps.logger.warn({ placeId: ended.placeId, unreadable: ended.unreadable }, 'some alerts held by a snooze could not be read back');
    const last: Alert | undefined = ended.alerts[ended.alerts.length - 1];
    if (!last) return;
    this.queuePost(ended.placeId, { alert: last, snoozed: ended.alerts }, now);
  }

  /** The places someone follows privately and wants warnings before planned outages of (one query). */
  placesWantingWarnings(): ReadonlySet<number> {
    return this.deps.subscribers.placesWanting('plan_warnings');
  }

  /**
   * A warning before a planned outage for the place's subscribers only: they chose warnings, its
   * chat did not (the place's warnings are off). How many rows were queued.
   */
  queueSubscriberWarning(placeId: number, payload: PlanNoticePayload, now: number): number {
    const recipients = this.deps.subscribers.recipients(placeId, 'plan_warnings');
    for (const recipient of recipients) {
      this.deps.outbox.enqueue({ kind: 'private_plan_notice', placeId: placeId, payload: { ...payload, userId: recipient.userId } }, now);
    }
    return recipients.length;
  }

  private queuePlanNotice(placeId: number, payload: PlanNoticePayload, now: number): void {
    const recipients = this.deps.subscribers.recipients(placeId, 'plan_warnings');
    if (this.deps.chatOf(placeId) !== undefined || recipients.length === 0) {
      this.deps.outbox.enqueue({ kind: 'plan_notice', placeId: placeId, payload }, now);
    }
    for (const recipient of recipients) {
      this.deps.outbox.enqueue({ kind: 'private_plan_notice', placeId: placeId, payload: { ...payload, userId: recipient.userId } }, now);
    }
  }

  private queuePost(placeId: number, payload: AlertPayload, now: number): void {
    const recipients = this.deps.subscribers.recipients(placeId, 'alerts');
    // A place followed only privately needs no chat; with no chat and nobody to tell, the
    // channel row stays, so delivery flags the place and the admins hear that alerts go nowhere.
    if (this.deps.chatOf(placeId) !== undefined || recipients.length === 0) {
      this.deps.outbox.enqueue({ kind: 'alert', placeId: placeId, payload }, now);
    }
    for (const recipient of recipients) {
      this.deps.outbox.enqueue({ kind: 'private_alert', placeId: placeId, payload: { ...payload, userId: recipient.userId } }, now);
    }
  }
}
