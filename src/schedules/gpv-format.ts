import { DateTime } from 'luxon';
import { isoDay, localDayClock, type LocalDayClock } from './local-time.js';
import { mergeIntervals } from './plan.js';
import type { PlanInterval, PlanKind, QueueInfo } from '../outbox/payload-parts.js';
import { isObject, parseJsonObject } from './json-body.js';
import { readGpvWeekTemplates } from './week-template.js';
import { compareQueueIds, emptyRecord, GPV_QUEUE_ID, ScheduleFormatError, type DayEntry, type ScheduleSnapshot } from './snapshot.js';

/**
 * The "GPV" JSON of the DTEK and oblenergo pages, as republished by Baskerville42/outage-data-ua
 * and yaroslav2901/OE_OUTAGE_DATA:
 *
 *   fact.data   { "<unix seconds of the day>": { "GPV3.1": { "1": "yes", …, "24": "no" } } }
 *   fact.update "09.12.2025 20:03" (local time: the supplier's own "as of")
 *   preset.sch_names { "GPV3.1": "Черга 3.1" }
 *
 * Hour key n is the wall-clock hour n−1…n. Values: yes (power on), no (off), first / second (off
 * for the first / second half hour), maybe / mfirst / msecond (the same, possibly). Only `fact` is
 * the plan: `preset.data`, a weekly template of possible outages, is read apart (week-template.ts)
 * and only ever shown as probable, beyond the published days.
 */
const HOUR_VALUES = new Map<string, { kind: PlanKind; from: 0 | 30; to: 30 | 60 } | null>([
  ['yes', null],
  ['no', { kind: 'planned', from: 0, to: 60 }],
  ['first', { kind: 'planned', from: 0, to: 30 }],
  ['second', { kind: 'planned', from: 30, to: 60 }],
  ['maybe', { kind: 'possible', from: 0, to: 60 }],
  ['mfirst', { kind: 'possible', from: 0, to: 30 }],
  ['msecond', { kind: 'possible', from: 30, to: 60 }],
]);

/** Longest queue name kept from a file ("Черга 3.1", "ЦЕК 1.1" are about ten). */
const LABEL_MAX_LENGTH = 40;

const HOUR_KEYS = Array.from({ length: 24 }, (_, i) => String(i + 1));

export function parseGpv(text: string, zone: string): ScheduleSnapshot {
  const root = parseJsonObject(text);
  const fact = root.fact;
  if (!isObject(fact)) throw new ScheduleFormatError('GPV: there is no "fact" object, so this is not a GPV schedule file');
  const problems: string[] = [];
  // An empty fact.data arrives as [] (written by PHP): no days published.
  const data = Array.isArray(fact.data) && fact.data.length === 0 ? {} : fact.data;
  if (!isObject(data)) throw new ScheduleFormatError('GPV: "fact.data" is not an object of days');

  const labels = readLabels(root.preset, problems);
  const days = emptyRecord<DayEntry[]>();
  const seenDays = new Map<string, string>();
  for (const [key, queues] of Object.entries(data)) {
    const clock = dayOfKey(key, zone, problems);
    if (!clock) continue;
    const earlier = seenDays.get(clock.day);
    if (earlier !== undefined) {
      problems.push(`GPV: day keys ${earlier} and ${key} both mean ${clock.day}; kept the first`);
      continue;
    }
    seenDays.set(clock.day, key);
    if (!isObject(queues)) {
      problems.push(`GPV: day ${clock.day} (key ${key}) is not an object of queues; skipped`);
      continue;
    }
    for (const [queue, hours] of Object.entries(queues)) {
      if (!GPV_QUEUE_ID.test(queue)) {
        throw new ScheduleFormatError(`GPV: day ${clock.day} has a queue named ${JSON.stringify(queue.slice(0, 40))}, which is not a queue (expected GPV<n>.<n>); the file is refused`);
      }
      const entry = readDay(clock, queue, hours);
      if (entry.status === 'unreadable') problems.push(entry.problem);
      (days[queue] ??= []).push(entry);
    }
  }
  for (const list of Object.values(days)) list.sort((a, b) => a.start - b.start);

  const ids = new Set([...labels.keys(), ...Object.keys(days)]);
  const queues: QueueInfo[] = [...ids].sort(compareQueueIds).map((id) => ({ id, label: labels.get(id) ?? null }));
  const probable = readGpvWeekTemplates(root.preset, problems);
  // A plain object again (a copy by own keys, all of them queue ids): the snapshot is plain data.
  return { format: 'gpv', asOf: readAsOf(root, fact, zone, problems), queues, days: { ...days }, problems, ...(Object.keys(probable).length > 0 ? { probable } : {}) };
}

/**
 * The local day a day key stands for. Keys are meant to be local midnight; one real source stamps
 * UTC midnight instead, which still falls on the intended local date in Europe/Kyiv. Any other
 * time of day is refused: it is not clear which day it means.
 */
function dayOfKey(key: string, zone: string, problems: string[]): LocalDayClock | null {
  if (!/^\d{9,11}$/.test(key)) {
    problems.push(`GPV: day key "${key}" is not a unix timestamp; skipped`);
    return null;
  }
  const ms = Number(key) * 1000;
  const local = DateTime.fromMillis(ms, { zone });
  const clock = localDayClock(isoDay(local), zone);
  const utcMidnight = ms % 86_400_000 === 0;
  if (ms !== clock.start && !utcMidnight) {
    problems.push(`GPV: day key ${key} is ${local.toFormat('yyyy-MM-dd HH:mm')} local time, neither local nor UTC midnight; skipped rather than guess its day`);
    return null;
  }
  return clock;
}

function readDay(clock: LocalDayClock, queue: string, hours: unknown): DayEntry {
  const bounds = { day: clock.day, start: clock.start, end: clock.end };
  const refuse = (why: string): DayEntry => ({ ...bounds, status: 'unreadable', problem: `GPV: ${queue} on ${clock.day}: ${why}; the day is refused` });
  if (!isObject(hours)) return refuse('the hours are not an object');
  const keys = Object.keys(hours);
  const extra = keys.filter((k) => !HOUR_KEYS.includes(k));
  if (extra.length > 0) return refuse(`unexpected hour keys ${extra.map((k) => `"${k}"`).join(', ')} (expected "1"…"24")`);
  const missing = HOUR_KEYS.filter((k) => !Object.hasOwn(hours, k));
  if (missing.length > 0) return refuse(`hours ${missing.join(', ')} are missing`);
  const intervals: PlanInterval[] = [];
  for (const key of HOUR_KEYS) {
    const value = hours[key];
    if (typeof value !== 'string' || !HOUR_VALUES.has(value)) {
      return refuse(`hour "${key}" has the unknown value ${JSON.stringify(value)} (known: ${[...HOUR_VALUES.keys()].join(', ')})`);
    }
    const meaning = HOUR_VALUES.get(value);
    if (!meaning) continue;
    const hourStart = (Number(key) - 1) * 60;
    intervals.push({ start: clock.at(hourStart + meaning.from), end: clock.at(hourStart + meaning.to), kind: meaning.kind });
  }
  return { ...bounds, status: 'plan', intervals: mergeIntervals(intervals) };
}

function readLabels(preset: unknown, problems: string[]): Map<string, string> {
  const labels = new Map<string, string>();
  if (!isObject(preset) || !Object.hasOwn(preset, 'sch_names')) return labels;
  if (!isObject(preset.sch_names)) {
    problems.push('GPV: "preset.sch_names" is not an object; queue names ignored');
    return labels;
  }
  for (const [id, name] of Object.entries(preset.sch_names)) {
    if (!GPV_QUEUE_ID.test(id)) {
      problems.push(`GPV: "preset.sch_names" names ${JSON.stringify(id.slice(0, 40))}, which is not a queue (expected GPV<n>.<n>); ignored`);
      continue;
    }
    if (typeof name !== 'string' || name.trim() === '') continue;
    // A name goes into posts and buttons: a long one from a broken file is cut, not posted whole.
    const label = [...name.trim()];
    if (label.length > LABEL_MAX_LENGTH) problems.push(`GPV: the name of ${id} is ${label.length} characters long; cut to ${LABEL_MAX_LENGTH}`);
    labels.set(id, label.length > LABEL_MAX_LENGTH ? `${label.slice(0, LABEL_MAX_LENGTH - 1).join('')}…` : label.join(''));
  }
  return labels;
}

/** fact.update ("dd.MM.yyyy HH:mm", local), else the scraper's lastUpdated (ISO), else unknown. */
function readAsOf(root: Record<string, unknown>, fact: Record<string, unknown>, zone: string, problems: string[]): number | null {
  if (typeof fact.update === 'string') {
    const parsed = DateTime.fromFormat(fact.update.trim(), 'dd.MM.yyyy HH:mm', { zone });
    if (parsed.isValid) return parsed.toMillis();
    problems.push(`GPV: "fact.update" ${JSON.stringify(fact.update)} is not dd.MM.yyyy HH:mm`);
  }
  if (typeof root.lastUpdated === 'string') {
    const parsed = DateTime.fromISO(root.lastUpdated, { zone: 'utc' });
    if (parsed.isValid) return parsed.toMillis();
  }
  return null;
}
