import { parseGpv } from './gpv-format.js';
import type { ScheduleFormat, ScheduleSnapshot } from './snapshot.js';
import { parseYasno } from './yasno-format.js';

/** Reads a body in the source's format; throws ScheduleFormatError when it is not one at all. */
export function parseSchedule(format: ScheduleFormat, text: string, zone: string): ScheduleSnapshot {
  return format === 'gpv' ? parseGpv(text, zone) : parseYasno(text, zone);
}
