import { DateTime } from 'luxon';

export type GpvValue = 'yes' | 'no' | 'first' | 'second' | 'maybe' | 'mfirst' | 'msecond';

/**
 * A GPV file (the outage-data-ua layout) written for a test: for each local day (yyyy-MM-dd) and
 * queue, the hour keys given (1…24, key n = hour n−1…n) take their value, every other hour "yes".
 * `update` is the source's own "as of" (dd.MM.yyyy HH:mm, local).
 */
export function gpvBody(options: {
  days: Record<string, Record<string, Partial<Record<number, GpvValue>>>>;
  update: string;
  queues?: string[];
  zone?: string;
}): string {
  const zone = options.zone ?? 'Europe/Kyiv';
  const data: Record<string, Record<string, Record<string, GpvValue>>> = {};
  const queueIds = new Set(options.queues ?? []);
  for (const day of Object.values(options.days)) for (const queue of Object.keys(day)) queueIds.add(queue);
  for (const [day, queues] of Object.entries(options.days)) {
    const key = String(DateTime.fromISO(day, { zone }).startOf('day').toSeconds());
    data[key] = {};
    for (const queue of queueIds) {
      const hours: Record<string, GpvValue> = {};
      for (let hour = 1; hour <= 24; hour += 1) hours[String(hour)] = queues[queue]?.[hour] ?? 'yes';
      data[key][queue] = hours;
    }
  }
  const names = Object.fromEntries([...queueIds].map((id) => [id, `Черга ${id.replace(/^GPV/, '')}`]));
  return JSON.stringify({ regionId: 'test', fact: { data, update: options.update, today: Number(Object.keys(data)[0]) }, preset: { sch_names: names } });
}

/** The twelve usual queues, GPV1.1 … GPV6.2. */
export const USUAL_QUEUES = Array.from({ length: 12 }, (_, i) => `GPV${Math.floor(i / 2) + 1}.${(i % 2) + 1}`);
