import { DateTime } from 'luxon';
import { isObject, parseJsonObject } from './json-body.js';
import { isDay, localDayClock, type LocalDayClock } from './local-time.js';
import { mergeIntervals } from './plan.js';
import type { PlanInterval, QueueInfo } from '../outbox/payload-parts.js';
import { compareQueueIds, emptyRecord, ScheduleFormatError, YASNO_QUEUE_ID, type DayEntry, type ScheduleSnapshot } from './snapshot.js';

/**
 * Yasno's planned-outages reply (app.yasno.ua …/regions/{region}/dsos/{dso}/planned-outages):
 *
 *   { "3.1": { "today":    { "date": "2026-01-29T00:00:00+02:00", "status": "ScheduleApplies",
 *                            "slots": [{ "start": 0, "end": 90, "type": "Definite" }, …] },
 *              "tomorrow": { …, "status": "WaitingForSchedule", "slots": [] },
 *              "updatedOn": "2026-01-28T20:48:36+00:00" }, … }
 *
 * Slots are minutes of wall-clock time from local midnight (0…1440), read like the GPV hours.
 * Definite is a planned outage, NotPlanned is power on. The day's date is taken as written (the
 * supplier's own calendar date), not re-derived from its offset.
 */
const DAY_KEYS = ['today', 'tomorrow'] as const;
/** What a group holds: its days and its "as of" time. Other keys are noted as problems and never read. */
const GROUP_KEYS = new Set<string>([...DAY_KEYS, 'updatedOn']);

export function parseYasno(text: string, zone: string): ScheduleSnapshot {
  const root = parseJsonObject(text);
  const problems: string[] = [];
  const days = emptyRecord<DayEntry[]>();
  const queues: QueueInfo[] = [];
  let asOf: number | null = null;
  for (const [group, value] of Object.entries(root)) {
    if (!YASNO_QUEUE_ID.test(group)) {
      throw new ScheduleFormatError(`Yasno: the reply has a group named ${JSON.stringify(group.slice(0, 40))}, which is not a queue (expected <n>.<n>); the reply is refused`);
    }
    if (!isObject(value)) {
      problems.push(`Yasno: group "${group}" is not an object; skipped`);
      continue;
    }
    queues.push({ id: group, label: null });
    const updatedOn = typeof value.updatedOn === 'string' ? DateTime.fromISO(value.updatedOn, { setZone: true }) : null;
    if (updatedOn?.isValid) asOf = Math.max(asOf ?? 0, updatedOn.toMillis());
    else if (value.updatedOn !== undefined) problems.push(`Yasno: group ${group} has an unreadable updatedOn ${JSON.stringify(value.updatedOn)}`);
    const unexpected = Object.keys(value).filter((key) => !GROUP_KEYS.has(key));
    if (unexpected.length > 0) problems.push(`Yasno: group ${group} has unexpected keys ${unexpected.slice(0, 5).map((key) => JSON.stringify(key.slice(0, 40))).join(', ')}; ignored`);
    const entries: DayEntry[] = [];
    for (const key of DAY_KEYS) {
      if (!Object.hasOwn(value, key)) continue;
      const day = value[key];
      if (day === undefined || day === null) continue;
      const entry = readDay(group, key, day, zone, problems);
      if (!entry) continue;
      if (entries.some((e) => e.day === entry.day)) {
        problems.push(`Yasno: group ${group} lists ${entry.day} twice; kept the first`);
        continue;
      }
      if (entry.status === 'unreadable') problems.push(entry.problem);
      entries.push(entry);
    }
    days[group] = entries.sort((a, b) => a.start - b.start);
  }
  queues.sort((a, b) => compareQueueIds(a.id, b.id));
  return { format: 'yasno', asOf, queues, days: { ...days }, problems };
}

function readDay(group: string, key: string, day: unknown, zone: string, problems: string[]): DayEntry | null {
  if (!isObject(day)) {
    problems.push(`Yasno: group ${group} "${key}" is not an object; skipped`);
    return null;
  }
  const written = typeof day.date === 'string' ? day.date.slice(0, 10) : '';
  if (!isDay(written)) {
    problems.push(`Yasno: group ${group} "${key}" has no readable date (${JSON.stringify(day.date)}); skipped`);
    return null;
  }
  const clock = localDayClock(written, zone);
  const bounds = { day: clock.day, start: clock.start, end: clock.end };
  const refuse = (why: string): DayEntry => ({ ...bounds, status: 'unreadable', problem: `Yasno: group ${group} on ${clock.day}: ${why}; the day is refused` });
  switch (day.status) {
    case 'WaitingForSchedule':
      return { ...bounds, status: 'waiting' };
    case 'EmergencyShutdowns':
      return { ...bounds, status: 'emergency' };
    case 'ScheduleApplies':
    case 'NoOutages': {
      const slots = readSlots(day.slots, clock);
      if (typeof slots === 'string') return refuse(slots);
      if (day.status === 'NoOutages' && slots.length > 0) return refuse('the status says NoOutages but the slots list outages');
      return { ...bounds, status: 'plan', intervals: mergeIntervals(slots) };
    }
    default:
      return refuse(`unknown status ${JSON.stringify(day.status)} (known: ScheduleApplies, NoOutages, WaitingForSchedule, EmergencyShutdowns)`);
  }
}

/** The Definite slots as intervals, or what is wrong with the list. */
function readSlots(slots: unknown, clock: LocalDayClock): PlanInterval[] | string {
  if (!Array.isArray(slots)) return 'the slots are not a list';
  const intervals: PlanInterval[] = [];
  for (const slot of slots) {
    if (!isObject(slot)) return `a slot is not an object (${JSON.stringify(slot)})`;
    const { start, end, type } = slot;
    if (!isMinute(start) || !isMinute(end) || start > end) return `a slot has unreadable minutes ${JSON.stringify({ start, end })} (expected 0 ≤ start ≤ end ≤ 1440)`;
    if (type === 'NotPlanned') continue;
    if (type !== 'Definite') return `a slot has the unknown type ${JSON.stringify(type)} (known: Definite, NotPlanned)`;
    intervals.push({ start: clock.at(start), end: clock.at(end), kind: 'planned' });
  }
  return intervals;
}

function isMinute(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 1440;
}
