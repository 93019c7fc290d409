import type { Clock } from '../clock.js';
import { FaultEpisodes, isStorageFault } from '../db/storage-faults.js';
import { PlaceInputError } from '../places/place-rules.js';
import type { Logger } from '../logger.js';
import { localDay, localDayStart, nextHourMark } from './diagram-schedule.js';
import type { DiagramPlace, DiagramStore } from './diagram-store.js';

export interface DiagramServiceOptions {
  store: DiagramStore;
  clock: Clock;
  logger: Logger;
  timeZone: string;
  defaultChannelId: string | undefined;
  /** Called after rows were queued, so they go out now. */
  wakeOutbox: () => void;
}

/**
 * Re-reads the clock at least this often while waiting for the next hour mark, so a system
 * clock that jumped (a VM resumed, NTP stepped) delays a fire by at most this much.
 */
const MAX_SLEEP_MS = 60_000;

/**
 * Keeps every place's daily diagram current. At each local hh:00 (and once at start) it queues,
 * for each place that is not paused and has a channel, an outbox row of kind 'diagram': a post
 * where the place has no message for today yet (so the first run of a day is the 00:00 post,
 * and a missed midnight is caught up at start), an edit of today's message otherwise. What is
 * posted is read back from `diagram_messages`, so a restart never posts a day twice. Fire times
 * come from Luxon in the configured zone (DST-correct), re-armed from clock readings.
 */
export class DiagramService {
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  /** A storage fault is logged once per episode, not at every retry. */
  private faults: FaultEpisodes | null = null;
  /** A run that met a storage fault is tried again this soon, not an hour later. */
  private static readonly RETRY_AFTER_FAULT_MS = 60_000;
  /** The hour mark the timer waits for; `tick()` runs the schedule once the clock passed it. */
  nextFireAt = 0;

  constructor(private readonly options: DiagramServiceOptions) {}

  /** Catches up what the current hour needs, then follows the hour marks until `stop()`. */
  start(): void {
    this.running = true;
    this.tick(); // runs what is due now, guarded: a start with the database failing retries in a minute
  }

  stop(): void {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /**
   * The wall clock stepped (src/clock-steps.ts): the next hour mark is worked out again from the
   * new time — after a step back the one before the old mark, after a step forward the mark that
   * was passed fires now — and the timer is armed for it.
   */
  clockStepped(): void {
    if (!this.running) return;
    this.nextFireAt = Math.min(this.nextFireAt, nextHourMark(this.options.clock.now(), this.options.timeZone));
    this.arm();
  }

  /** Runs the schedule if the clock reached the next hour mark; re-arms the timer either way. */
  tick(): void {
    const now = this.options.clock.now();
    this.faults ??= new FaultEpisodes(this.options.logger);
    try {
      if (now >= this.nextFireAt) {
        this.runDue();
        this.faults.succeeded('diagram schedule', now);
      }
    } catch (error) {
      if (isStorageFault(error)) {
        this.faults.failed('diagram schedule', error, now, 'queueing the diagrams failed');
        this.nextFireAt = now + DiagramService.RETRY_AFTER_FAULT_MS;
      } else {
        this.options.logger.error({ err: error }, 'queueing the diagrams failed; trying again at the next hour');
        this.nextFireAt = nextHourMark(now, this.options.timeZone);
      }
    }
    if (this.running) this.arm();
  }

  /**
   * Queues today's post or edit for every place that needs one; returns how many were queued.
   * Idempotent: a place with a diagram row for today still waiting in the outbox gets no second
   * one, and a place whose diagram failed for good today is left alone until tomorrow (or until
   * an admin asks with "send diagram now"), rather than failing again every hour.
   */
  runDue(): number {
    const { store, clock, timeZone } = this.options;
    const now = clock.now();
    this.nextFireAt = nextHourMark(now, timeZone);
    const day = localDay(now, timeZone);
    const dayStart = localDayStart(now, timeZone);
    const queued = store.inTransaction(() => {
      let count = 0;
      for (const place of store.allPlaces()) {
        if (place.paused || this.chatOf(place) === null) continue;
        const state = store.queuedFor(place.id, day, dayStart);
        if (state.pending || state.failed) continue;
        store.queue(place.id, { action: store.messageOf(place.id, day) ? 'edit' : 'post', day }, now);
        count += 1;
      }
      return count;
    });
    if (queued > 0) {
      this.options.logger.info({ day, queued }, 'diagrams queued');
      this.options.wakeOutbox();
    }
    return queued;
  }

  /**
   * "Send diagram now" from the admin chat: posts today's diagram of the place, or redraws it
   * if it is already posted. Throws a PlaceInputError (with what to do) when it cannot.
   */
  async sendNow(placeId: number): Promise<void> {
    const { store, clock, timeZone } = this.options;
    const place = store.place(placeId);
    if (!place) throw new PlaceInputError(`There is no place with id ${placeId}. List the places to see their ids.`, 'place-missing', { id: placeId });
    if (this.chatOf(place) === null) {
      throw new PlaceInputError(`“${place.name}” has no channel to post the diagram to. Link a channel to it (or set DEFAULT_CHANNEL_ID) first.`, 'no-channel', { name: place.name });
    }
    const now = clock.now();
    const day = localDay(now, timeZone);
    if (!store.queuedFor(place.id, day, localDayStart(now, timeZone)).pending) {
      store.queue(place.id, { action: store.messageOf(place.id, day) ? 'edit' : 'post', day }, now);
    }
    this.options.wakeOutbox();
  }

  private chatOf(place: DiagramPlace): string | null {
    return place.channel_id ?? this.options.defaultChannelId ?? null;
  }

  private arm(): void {
    if (this.timer) clearTimeout(this.timer);
    const wait = Math.min(MAX_SLEEP_MS, Math.max(0, this.nextFireAt - this.options.clock.now()));
    this.timer = setTimeout(() => this.tick(), wait);
    this.timer.unref();
  }
}
