import { DateTime } from 'luxon';
import type { PlanInterval } from '../../src/outbox/payload-parts.js';
import type { MatchDay, PowerStretch } from '../../src/schedules/queue-match.js';

/**
 * Synthetic schedules and power records for the queue matcher (tests and bench/queue-match.ts),
 * shaped like the real GPV files in ../shared/fixtures/schedules: 12 queues (1.1 … 6.2), two or
 * three blocks of 2–7 hours a day per group, sub-queues often equal to their sibling or shifted by
 * one to three hours, some edges on the half hour. Seeded: the same seed gives the same data.
 */
export const QUEUES = Array.from({ length: 12 }, (_, i) => `GPV${Math.floor(i / 2) + 1}.${(i % 2) + 1}`);
const HOUR = 3_600_000;
const MINUTE = 60_000;

/** A small fast PRNG (mulberry32). */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const int = (rand: () => number, lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));

/** Off half-hours (0…47) of one group's day: two blocks 12 hours apart, lengths 3–6 hours. */
function groupDay(rand: () => number): boolean[] {
  const slots = new Array<boolean>(48).fill(false);
  const offset = int(rand, 0, 23) * 2;
  for (const shift of [0, 24]) {
    const len = int(rand, 3, 6) * 2 + (rand() < 0.3 ? 1 : 0);
    for (let k = 0; k < len; k += 1) slots[(offset + shift + k) % 48] = true;
  }
  return slots;
}

function variant(base: boolean[], rand: () => number): boolean[] {
  if (rand() < 0.25) return [...base];
  // Sub-queues of one group differ by an hour or more, as in the real files (3.1/3.2, 5.1/5.2).
  const shift = (rand() < 0.5 ? -1 : 1) * int(rand, 2, 6);
  return base.map((_, i) => base[(i - shift + 48) % 48]!);
}

function toIntervals(slots: boolean[], dayStart: number): PlanInterval[] {
  const out: PlanInterval[] = [];
  slots.forEach((off, i) => {
    if (!off) return;
    const start = dayStart + i * 30 * MINUTE;
    const last = out[out.length - 1];
    if (last && last.end === start) last.end = start + 30 * MINUTE;
    else out.push({ start, end: start + 30 * MINUTE, kind: 'planned' });
  });
  return out;
}

/** `count` days of plans for the 12 queues, from the local day `first` (yyyy-MM-dd). */
export function syntheticDays(rand: () => number, first: string, count: number, zone = 'Europe/Kyiv'): MatchDay[] {
  const days: MatchDay[] = [];
  for (let d = 0; d < count; d += 1) {
    const date = DateTime.fromISO(first, { zone }).plus({ days: d });
    const start = date.toMillis();
    const end = date.plus({ days: 1 }).toMillis();
    const queues: Record<string, PlanInterval[]> = {};
    for (let g = 1; g <= 6; g += 1) {
      const base = groupDay(rand);
      queues[`GPV${g}.1`] = toIntervals(base, start);
      queues[`GPV${g}.2`] = toIntervals(variant(base, rand), start);
    }
    days.push({ day: date.toISODate()!, start, end, queues });
  }
  return days;
}

export interface RecordNoise {
  /** Each edge moves by up to this much either way (uniform). */
  jitterMs: number;
  /** Share of planned outages that did not happen. */
  missing: number;
  /** Extra unplanned outages, as a share of the planned ones. */
  extra: number;
}

/**
 * The power record of a place on `queue`: each planned outage happened with jittered edges (some
 * not at all), plus a few outages no plan had, watched the whole time from the first day to `until`.
 */
export function syntheticRecord(days: readonly MatchDay[], queue: string, noise: RecordNoise, rand: () => number): PowerStretch[] {
  const from = days[0]!.start;
  const until = days[days.length - 1]!.end;
  const jitter = () => (rand() * 2 - 1) * noise.jitterMs;
  const offs: { start: number; end: number }[] = [];
  const planned = mergeAcrossDays(days.flatMap((d) => d.queues[queue] ?? []));
  for (const interval of planned) {
    if (rand() < noise.missing) continue;
    const start = interval.start + jitter();
    const end = interval.end + jitter();
    if (end - start > 10 * MINUTE) offs.push({ start, end });
  }
  const extras = Math.round(planned.length * noise.extra + (rand() < (planned.length * noise.extra) % 1 ? 1 : 0));
  for (let k = 0; k < extras; k += 1) {
    for (let attempt = 0; attempt < 20; attempt += 1) {
      const start = from + rand() * (until - from - 2 * HOUR);
      const end = start + (30 + rand() * 90) * MINUTE;
      if (planned.some((p) => p.start < end + HOUR && p.end > start - HOUR) || offs.some((o) => o.start < end && o.end > start)) continue;
      offs.push({ start, end });
      break;
    }
  }
  offs.sort((a, b) => a.start - b.start);
  const merged: { start: number; end: number }[] = [];
  for (const o of offs) {
    const last = merged[merged.length - 1];
    if (last && o.start <= last.end) last.end = Math.max(last.end, o.end);
    else merged.push({ ...o });
  }
  const power: PowerStretch[] = [];
  let at = from;
  for (const o of merged) {
    const start = Math.max(o.start, from);
    const end = Math.min(o.end, until);
    if (end <= at) continue;
    if (start > at) power.push({ status: 'on', start: at, end: start });
    power.push({ status: 'off', start: Math.max(start, at), end });
    at = end;
  }
  if (at < until) power.push({ status: 'on', start: at, end: until });
  return power;
}

function mergeAcrossDays(intervals: readonly PlanInterval[]): PlanInterval[] {
  const sorted = [...intervals].sort((a, b) => a.start - b.start);
  const out: PlanInterval[] = [];
  for (const i of sorted) {
    const last = out[out.length - 1];
    if (last && i.start <= last.end) last.end = Math.max(last.end, i.end);
    else out.push({ ...i });
  }
  return out;
}
