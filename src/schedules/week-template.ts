import { DateTime } from 'luxon';
import { isObject } from './json-body.js';
import { localDayClock } from './local-time.js';
import { mergeIntervals } from './plan.js';
import type { PlanInterval } from '../outbox/payload-parts.js';
import type { WeekTemplate } from './snapshot.js';

export type { WeekTemplate };

const HOUR_KEYS = Array.from({ length: 24 }, (_, i) => String(i + 1));
/** In a template every "off" value is only probable: the half-hours as the GPV hours read them. */
const TEMPLATE_HOURS: Record<string, { from: number; to: number } | null> = {
  yes: null,
  no: { from: 0, to: 60 },
  maybe: { from: 0, to: 60 },
  first: { from: 0, to: 30 },
  mfirst: { from: 0, to: 30 },
  second: { from: 30, to: 60 },
  msecond: { from: 30, to: 60 },
};

/**
 * The weekly template some GPV files carry in `preset.data` ({ "GPV3.1": { "1": { "1": "maybe",
 * …, "24": "yes" }, … "7": … } }, weekday "1" = Monday as `preset.days` names them). A queue whose
 * template is not complete and readable is left out with a problem, never half-read.
 */
export function readGpvWeekTemplates(preset: unknown, problems: string[]): Record<string, WeekTemplate> {
  const templates: Record<string, WeekTemplate> = Object.create(null) as Record<string, WeekTemplate>;
  if (!isObject(preset) || preset.data === undefined) return templates;
  if (!isObject(preset.data)) {
    problems.push('GPV: "preset.data" (the weekly template) is not an object; not read');
    return templates;
  }
  for (const [queue, week] of Object.entries(preset.data)) {
    const template = readWeek(week);
    if (typeof template === 'string') problems.push(`GPV: the weekly template of ${queue} is not read: ${template}`);
    else templates[queue] = template;
  }
  return templates;
}

function readWeek(week: unknown): WeekTemplate | string {
  if (!isObject(week)) return 'it is not an object of weekdays';
  const days: WeekTemplate = [];
  for (let weekday = 1; weekday <= 7; weekday += 1) {
    const hours = week[String(weekday)];
    if (!isObject(hours)) return `weekday ${weekday} is missing`;
    const stretches: { start: number; end: number }[] = [];
    for (const key of HOUR_KEYS) {
      const value = hours[key];
      if (typeof value !== 'string' || !Object.hasOwn(TEMPLATE_HOURS, value)) return `weekday ${weekday}, hour ${key} has the value ${JSON.stringify(value)}`;
      const meaning = TEMPLATE_HOURS[value];
      if (!meaning) continue;
      const base = (Number(key) - 1) * 60;
      const last = stretches[stretches.length - 1];
      if (last && last.end === base + meaning.from) last.end = base + meaning.to;
      else stretches.push({ start: base + meaning.from, end: base + meaning.to });
    }
    days.push(stretches);
  }
  return days;
}

/** A day shown from the template: its probable outages as possible intervals of real time. */
export interface ProbableDay {
  day: string;
  start: number;
  end: number;
  intervals: PlanInterval[];
}

/** The template laid on one local day (yyyy-MM-dd): wall-clock minutes become real time (DST-safe). */
export function templateDay(template: WeekTemplate, day: string, zone: string): ProbableDay {
  const clock = localDayClock(day, zone);
  const weekday = DateTime.fromISO(day, { zone }).weekday; // 1 = Monday
  const stretches = template[weekday - 1] ?? [];
  const intervals = mergeIntervals(stretches.map((s) => ({ start: clock.at(s.start), end: clock.at(s.end), kind: 'possible' as const })));
  return { day: clock.day, start: clock.start, end: clock.end, intervals };
}
