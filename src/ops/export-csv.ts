import type { Kysely, Selectable } from 'kysely';
import { DateTime, IANAZone } from 'luxon';
import type { Database, PowerEventsTable } from '../db/schema.js';

/** One interval of a place's power history, as stored (UTC milliseconds). */
export type PowerEventRow = Pick<Selectable<PowerEventsTable>, 'status' | 'started_at' | 'ended_at' | 'start_edge'>;

const COLUMNS = ['status', 'started_at_local', 'ended_at_local', 'duration_min', 'started_at_utc', 'ended_at_utc', 'how'] as const;

/**
 * The power history of one place as CSV (RFC 4180: comma-separated, CRLF line ends, a header
 * row), for a spreadsheet. Local times carry their UTC offset (2025-03-30T04:00:00+03:00), so the
 * hour repeated when daylight saving ends stays unambiguous; UTC columns are there for tools that
 * want one clock. An interval still open has empty end and duration: it has not ended yet.
 */
export function powerEventsCsv(rows: readonly PowerEventRow[], timeZone: string): string {
  if (!IANAZone.isValidZone(timeZone)) throw new RangeError(`Unknown time zone "${timeZone}"; expected an IANA name such as Europe/Kyiv`);
  const lines = [COLUMNS.join(',')];
  for (const row of rows) {
    lines.push(
      [
        row.status,
        localTime(row.started_at, timeZone),
        row.ended_at === null ? '' : localTime(row.ended_at, timeZone),
        row.ended_at === null ? '' : durationMinutes(row.ended_at - row.started_at),
        utcTime(row.started_at),
        row.ended_at === null ? '' : utcTime(row.ended_at),
        row.start_edge,
      ]
        .map(csvField)
        .join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}

/** Every interval of one place, oldest first. */
export async function loadPowerEvents(db: Kysely<Database>, locationId: number): Promise<PowerEventRow[]> {
  return db
    .selectFrom('power_events')
    .select(['status', 'started_at', 'ended_at', 'start_edge'])
    .where('location_id', '=', locationId)
    .orderBy('started_at')
    .orderBy('id')
    .execute();
}

function localTime(ms: number, timeZone: string): string {
  return DateTime.fromMillis(ms, { zone: timeZone }).toISO({ suppressMilliseconds: true }) ?? '';
}

function utcTime(ms: number): string {
  return DateTime.fromMillis(ms, { zone: 'utc' }).toISO({ suppressMilliseconds: true }) ?? '';
}

/** Minutes with one decimal: short outages (a reboot inside the timeout) last under a minute. */
function durationMinutes(ms: number): string {
  return (Math.round(ms / 6_000) / 10).toFixed(1);
}

/** RFC 4180: a field with a comma, a quote or a line break is quoted, its quotes doubled. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}
