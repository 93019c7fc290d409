import type { PlanInterval, QueueInfo } from '../outbox/payload-parts.js';

/** The formats a source can publish in. */
export type ScheduleFormat = 'gpv' | 'yasno';

/**
 * What one source says about one queue on one local day.
 * - plan: the day's outages (an empty list is a real "no outages planned");
 * - waiting: the supplier has not published the day yet (Yasno WaitingForSchedule);
 * - emergency: emergency cuts replace the schedule (Yasno EmergencyShutdowns);
 * - unreadable: the day holds something this code does not understand, refused rather than guessed.
 */
export type DayEntry = DayBounds &
  ({ status: 'plan'; intervals: PlanInterval[] } | { status: 'waiting' } | { status: 'emergency' } | { status: 'unreadable'; problem: string });

export interface DayBounds {
  /** Local calendar day, yyyy-MM-dd. */
  day: string;
  /** Local midnight at its start and at its end (23 or 25 hours apart on DST days). */
  start: number;
  end: number;
}

/**
 * A weekly schedule of probable outages: for each weekday (index 0 = Monday … 6 = Sunday), the
 * stretches of wall-clock minutes from local midnight (0…1440) the supplier says may be cut.
 * It is a template, not a plan: it is never read as published, only shown as "probable" for
 * days the source has not published yet (week-template.ts).
 */
export type WeekTemplate = { start: number; end: number }[][];

/** One parsed copy of a source: plain data (structured-clone safe, for worker threads too). */
export interface ScheduleSnapshot {
  format: ScheduleFormat;
  /** The source's own "as of" time, UTC ms; null when it does not say. */
  asOf: number | null;
  queues: QueueInfo[];
  /** Queue id → its days, sorted by day. */
  days: Record<string, DayEntry[]>;
  /** What was refused or looked odd while reading it, in words for the log. */
  problems: string[];
  /**
   * Queue id → the weekly template of probable outages the source carries along (GPV
   * `preset.data`), when it has one. Never a plan: shown only as "probable" beyond the published days.
   */
  probable?: Record<string, WeekTemplate>;
}

/** The body is not a schedule of the expected format at all: nothing in it can be used. */
export class ScheduleFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScheduleFormatError';
  }
}

/**
 * The queue a person means: the exact id, or the same without/with the "GPV" prefix, ignoring
 * case ("3.1", "GPV3.1" and "gpv3.1" all find GPV3.1).
 */
export function findQueue(snapshot: Pick<ScheduleSnapshot, 'queues'>, input: string): QueueInfo | undefined {
  const wanted = normaliseQueue(input);
  return snapshot.queues.find((q) => q.id === input.trim()) ?? snapshot.queues.find((q) => normaliseQueue(q.id) === wanted);
}

function normaliseQueue(id: string): string {
  return id
    .trim()
    .toLowerCase()
    .replace(/^gpv/, '');
}

/**
 * The queue names a source may use: "GPV3.1" in GPV files (the DTEK pages, also "GPV1001.1" for
 * other suppliers' queues), "3.1" in Yasno's. Anything else (a key named like a JavaScript
 * object member, a typo, an injected field) is not a queue: the parsers refuse it rather than
 * guess, and never use it as a property name.
 */
export const GPV_QUEUE_ID = /^GPV\d{1,4}\.\d{1,2}$/;
export const YASNO_QUEUE_ID = /^\d{1,4}\.\d{1,2}$/;

/** An empty record with no prototype: a key read from a file can never reach an inherited member. */
export function emptyRecord<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

/** The days a snapshot holds for `queue`: its own entry only, never an inherited member. */
export function daysOfQueue(snapshot: Pick<ScheduleSnapshot, 'days'>, queue: string): DayEntry[] {
  return Object.hasOwn(snapshot.days, queue) ? (snapshot.days[queue] ?? []) : [];
}

/** Natural order of queue ids: 1.1, 1.2, 2.1 … 6.2, 10.1, 1001.1. */
export function compareQueueIds(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}
