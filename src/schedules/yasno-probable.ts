import { isObject, parseJsonObject } from './json-body.js';
import type { WeekTemplate } from './week-template.js';

/**
 * Yasno's probable outages (…/public/shutdowns/probable-outages?regionId=25&dsoId=902), the weekly
 * schedule it shows beyond the published days:
 *
 *   { "25": { "dsos": { "902": { "groups": { "3.1": { "slots": {
 *        "0": [{ "start": 0, "end": 240, "type": "Definite" }, …], …, "6": […] } } } } } } }
 *
 * Weekday "0" is Monday; minutes from local midnight as in the planned-outages reply. Definite
 * slots are probable outages; NotPlanned ones are not. A group whose week cannot be read is left
 * out with a problem.
 */
const YASNO_PLANNED = /\/regions\/(\d{1,6})\/dsos\/(\d{1,6})\/planned-outages(?:\?.*)?$/;

/** The probable-outages URL of a Yasno planned-outages URL; null for any other URL. */
export function yasnoProbableUrl(plannedUrl: string): { url: string; region: string; dso: string } | null {
  const match = YASNO_PLANNED.exec(plannedUrl);
  if (!match) return null;
  const base = plannedUrl.slice(0, match.index);
  const [, region, dso] = match as unknown as [string, string, string];
  return { url: `${base}/probable-outages?regionId=${region}&dsoId=${dso}`, region, dso };
}

export function parseYasnoProbable(text: string, region: string, dso: string, problems: string[] = []): Record<string, WeekTemplate> {
  const root = parseJsonObject(text);
  const templates: Record<string, WeekTemplate> = Object.create(null) as Record<string, WeekTemplate>;
  const regionData = root[region];
  const groups = isObject(regionData) && isObject(regionData.dsos) && isObject(regionData.dsos[dso]) ? (regionData.dsos[dso] as Record<string, unknown>).groups : undefined;
  if (!isObject(groups)) {
    problems.push(`Yasno probable: no groups for region ${region}, DSO ${dso}`);
    return templates;
  }
  for (const [group, value] of Object.entries(groups)) {
    const week = readWeek(value);
    if (typeof week === 'string') problems.push(`Yasno probable: group ${group}: ${week}; not read`);
    else templates[group] = week;
  }
  return templates;
}

function readWeek(value: unknown): WeekTemplate | string {
  if (!isObject(value) || !isObject(value.slots)) return 'no slots';
  const week: WeekTemplate = [];
  for (let weekday = 0; weekday < 7; weekday += 1) {
    const slots = value.slots[String(weekday)];
    if (slots === undefined) {
      week.push([]);
      continue;
    }
    if (!Array.isArray(slots)) return `weekday ${weekday} is not a list`;
    const stretches: { start: number; end: number }[] = [];
    for (const slot of slots) {
      if (!isObject(slot)) return `a slot of weekday ${weekday} is not an object`;
      const { start, end, type } = slot;
      if (!isMinute(start) || !isMinute(end) || start > end) return `a slot of weekday ${weekday} has unreadable minutes`;
      if (type === 'NotPlanned') continue;
      if (type !== 'Definite') return `a slot of weekday ${weekday} has the unknown type ${JSON.stringify(type)}`;
      if (end > start) stretches.push({ start, end });
    }
    week.push(stretches.sort((a, b) => a.start - b.start));
  }
  return week;
}

function isMinute(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 1440;
}
