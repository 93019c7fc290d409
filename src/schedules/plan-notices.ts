import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Clock } from '../clock.js';
import type { PlaceService } from '../places/place-service.js';
import { PlaceInputError } from '../places/place-rules.js';
import type { Logger } from '../logger.js';
import type { PlanNoticePayload } from '../outbox/messages.js';
import type { OutboxStore } from '../outbox/outbox-store.js';
import type { PlaceAlerts } from '../people/place-alerts.js';
import { warningDue, watchedDays } from './lookups.js';
import type { PlanInterval, QueueInfo } from '../outbox/payload-parts.js';
import { planChange, type PlanDiff } from './plan-diff.js';
import { dayStateAt, type QueuePlan } from './queue-plan.js';
import type { PlaceSchedule, ScheduleStore } from './schedule-store.js';

const MINUTE = 60_000;
/** How far ahead a subscriber is warned when the place's channel has warnings off. */
export const SUBSCRIBER_WARN_MINUTES = 30;
/** Places looked at between two turns of the event loop (the database answers synchronously). */
const PLACES_PER_TURN = 20;

/** What a place should be told about one day's plan, and the version to remember as told. */
export interface DayUpdate {
  day: string;
  intervals: PlanInterval[];
  /** The post to make; null to remember the version quietly. */
  notice: PlanNoticePayload | null;
}

/**
 * Today's and tomorrow's plan (relative to `now`) against what the place was last told:
 * - first seen: remembered quietly, or — tomorrow, for a place that asked — posted as tomorrow's plan;
 * - changed: one post with what was added and removed. For today, intervals already over are
 *   history, not news: a change only in the past is remembered without a post;
 * - unchanged: nothing.
 * Unknown days (stale source, waiting, emergency) are not looked at: nothing is told, nothing
 * remembered, so the next known version is compared with the last one the place was told.
 */
export function dayUpdates(plan: QueuePlan, queue: QueueInfo, told: (day: string) => PlanInterval[] | undefined, postTomorrow: boolean, now: number): DayUpdate[] {
  const updates: DayUpdate[] = [];
  for (const { day, role, intervals } of watchedDays(plan, now)) {
    const change = planChange(told(day), intervals);
    switch (change.kind) {
      case 'unchanged':
        break;
      case 'first-seen':
        updates.push({ day, intervals, notice: role === 'tomorrow' && postTomorrow ? { notice: 'tomorrow', queue, day, intervals } : null });
        break;
      case 'changed': {
        const diff = role === 'today' ? notOverYet(change.diff, now) : change.diff;
        const news = diff.added.length + diff.removed.length > 0;
        updates.push({ day, intervals, notice: news ? { notice: 'changed', queue, day, added: diff.added, removed: diff.removed } : null });
        break;
      }
    }
  }
  return updates;
}

function notOverYet(diff: PlanDiff, now: number): PlanDiff {
  return { added: diff.added.filter((i) => i.end > now), removed: diff.removed.filter((i) => i.end > now) };
}

/**
 * Whether the region's emergency state changed since the place's chat was last told: emergency
 * cuts began (today's plan for its queue is "emergency") or the schedule is back (today's plan is
 * known again after an emergency was announced). A source that is stale or a day that is waiting
 * says nothing either way, so an outage of the source never reads as "the schedule is back".
 * `told` is the state last announced (undefined: never, which reads as "no emergency").
 */
export function emergencyChange(plan: QueuePlan, told: boolean | undefined, now: number): boolean | null {
  const today = dayStateAt(plan, now);
  if (!today.known && today.reason === 'emergency') return told === true ? null : true;
  if (today.known && told === true) return false;
  return null;
}

/** The warning a place is due now, if any: its warnings are on and a planned outage starts within their lead. */
export function warningNotice(plan: QueuePlan, queue: QueueInfo, warnMinutes: number, now: number): Extract<PlanNoticePayload, { notice: 'warning' }> | null {
  const due = warningDue(plan, now, warnMinutes * MINUTE);
  return due ? { notice: 'warning', queue, interval: due.interval, openEnd: due.openEnd } : null;
}

export interface PlanNoticesOptions {
  store: Pick<ScheduleStore, 'placesOnSchedule' | 'toldPlan' | 'rememberTold' | 'markWarned' | 'emergencyTold' | 'tellEmergency'>;
  /** A queue's plan with the staleness rules applied now (SchedulePoller.plan). */
  plan: (sourceId: string, queue: string) => QueuePlan;
  /** The source's own name for a queue, when its copy has one. */
  queueInfo: (sourceId: string, queue: string) => QueueInfo;
  /** The outbox's owner: a post and the record that it was made commit together. */
  outbox: Pick<OutboxStore, 'enqueue' | 'inTransaction'>;
  /** Whether a place is without power now (no warning then: it is already off). */
  places: Pick<PlaceService, 'get'>;
  /**
   * The subscribers who chose warnings (PlaceAlerts): when the place's own warnings are off they
   * still get theirs, SUBSCRIBER_WARN_MINUTES ahead, in their private chats only.
   */
  subscriberWarnings?: Pick<PlaceAlerts, 'placesWantingWarnings' | 'queueSubscriberWarning'>;
  /** Told after posts were queued, so delivery starts at once. */
  wakeOutbox: () => void;
  clock: Clock;
  logger: Logger;
}

/**
 * The schedule's own posts, queued for the places' channels: warnings before planned outages
 * (once per planned start, kept across restarts by the store) and notices of plan changes (with
 * tomorrow's plan when it first appears, for places that asked). Each post is queued in the same
 * transaction as the record that it was made (markWarned, rememberTold), so a crash can neither
 * lose a post nor make it twice. Runs are queued one after another.
 */
export class PlanNotices {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: PlanNoticesOptions) {}

  /**
   * Looks at every place on a schedule (or only those on `sourceId`): plan changes first (with
   * `changes`, the default), then due warnings. Resolves to the posts queued. Plans change only
   * with new content, so the service looks for changes after each update, at start, when a place
   * is attached, and now and then as a safety net; warnings are due by the clock, every minute.
   */
  check(options: { sourceId?: string; changes?: boolean } = {}): Promise<number> {
    const run = this.queue.then(() => this.checkNow(options.sourceId, options.changes ?? true));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Resolves when no run is under way (before the database closes). */
  async idle(): Promise<void> {
    await this.queue;
  }

  private async checkNow(sourceId: string | undefined, changes: boolean): Promise<number> {
    const { store, logger } = this.options;
    // Many places share a queue: its plan is built once per run.
    const plans = new Map<string, QueuePlan>();
    const planOf = (place: Attached) => {
      const key = `${place.source}|${place.queue}`;
      let plan = plans.get(key);
      if (!plan) plans.set(key, (plan = this.options.plan(place.source, place.queue)));
      return plan;
    };
    const places = store.placesOnSchedule().filter((place): place is Attached => isAttached(place) && (sourceId === undefined || place.source === sourceId));
    const failed = (place: Attached, error: unknown) => {
      if (error instanceof PlaceInputError) return; // deleted meanwhile
      logger.error({ err: error, placeId: place.placeId }, 'schedule posts for a place could not be worked out; trying again on the next check');
    };
    // Read once per run, and only if a warning is due for a place whose own warnings are off.
    let wanting: ReadonlySet<number> | undefined;
    const wantsWarnings = (placeId: number) => (wanting ??= this.options.subscriberWarnings?.placesWantingWarnings() ?? new Set<number>()).has(placeId);
    let queued = 0;
    for (let from = 0; from < places.length; from += PLACES_PER_TURN) {
      if (from > 0) await nextTurn();
      const slice = places.slice(from, from + PLACES_PER_TURN);
      if (changes) queued += this.tellSlice(slice, planOf, failed);
      for (const place of slice) {
        try {
          queued += await this.warn(place, planOf(place), this.options.queueInfo(place.source, place.queue), wantsWarnings);
        } catch (error) {
          failed(place, error);
        }
      }
    }
    if (queued > 0) {
      logger.info({ queued, source: sourceId }, 'schedule posts queued');
      this.options.wakeOutbox();
    }
    return queued;
  }

  /**
   * Plan changes for a slice of places in one transaction: a new day first seen by every place is
   * one write, not thousands. If one place fails (deleted meanwhile), the slice is rolled back and
   * each place tried in a transaction of its own, so a post never commits without its record.
   */
  private tellSlice(slice: readonly Attached[], planOf: (place: Attached) => QueuePlan, failed: (place: Attached, error: unknown) => void): number {
    const { outbox, queueInfo } = this.options;
    const tell = (place: Attached) => this.tellChanges(place, planOf(place), queueInfo(place.source, place.queue));
    try {
      return outbox.inTransaction(() => slice.reduce((queued, place) => queued + tell(place), 0));
    } catch {
      let queued = 0;
      for (const place of slice) {
        try {
          queued += outbox.inTransaction(() => tell(place));
        } catch (error) {
          failed(place, error);
        }
      }
      return queued;
    }
  }

  /** Runs inside a transaction (see tellSlice). */
  private tellChanges(place: Attached, plan: QueuePlan, queue: QueueInfo): number {
    const { store, outbox, clock } = this.options;
    const now = clock.now();
    const updates = dayUpdates(plan, queue, (day) => store.toldPlan(place.placeId, day), place.postTomorrow, now);
    let queued = 0;
    // Emergency cuts in the region, said once per change (the state told is kept across restarts).
    // Posted with the place's warnings on (its consent to posts about the schedule ahead); the
    // state is kept either way, so turning warnings on later does not bring up an old change.
    const emergency = emergencyChange(plan, store.emergencyTold(place.placeId), now);
    if (emergency !== null) {
      if (place.warnMinutes > 0) {
        outbox.enqueue({ kind: 'plan_notice', placeId: place.placeId, payload: { notice: 'emergency', queue, on: emergency } }, now);
        queued += 1;
      }
      store.tellEmergency(place.placeId, emergency, now);
    }
    // Inside the caller's transaction: the post and the record that it was made commit together.
    for (const update of updates) {
      if (update.notice) outbox.enqueue({ kind: 'plan_notice', placeId: place.placeId, payload: update.notice }, now);
      store.rememberTold(place.placeId, update.day, update.intervals, now);
      if (update.notice) queued += 1;
    }
    return queued;
  }

  private async warn(place: Attached, plan: QueuePlan, queue: QueueInfo, wantsWarnings: (placeId: number) => boolean): Promise<number> {
    const { store, outbox, clock, subscriberWarnings } = this.options;
    // The place's warnings go to its chat and its subscribers; with them off, subscribers who chose
    // warnings still get theirs (the place's choice is about its chat, theirs about themselves).
    const forChat = place.warnMinutes > 0;
    const lead = forChat ? place.warnMinutes : SUBSCRIBER_WARN_MINUTES;
    const notice = warningNotice(plan, queue, lead, clock.now());
    if (!notice) return 0;
    // Without the chat's warning, the warning goes to the subscribers only (and only if some want it).
    const subscribersOnly = forChat ? undefined : subscriberWarnings;
    if (!forChat && (!subscribersOnly || !wantsWarnings(place.placeId))) return 0;
    // Already without power: "the power will go off at 18:00" would only confuse. Not recorded,
    // so if the power comes back before the start, the warning still goes.
    const { status } = await this.options.places.get(place.placeId);
    if (status === 'off') return 0;
    const now = clock.now();
    return outbox.inTransaction(() => {
      if (!store.markWarned(place.placeId, notice.interval.start, now)) return 0;
      if (subscribersOnly) return subscribersOnly.queueSubscriberWarning(place.placeId, notice, now);
      outbox.enqueue({ kind: 'plan_notice', placeId: place.placeId, payload: notice }, now);
      return 1;
    });
  }
}

type Attached = PlaceSchedule & { source: string; queue: string };

function isAttached(place: PlaceSchedule): place is Attached {
  return place.source !== null && place.queue !== null;
}
