import { DateTime, IANAZone } from 'luxon';
import { edgeSource } from '../history/edge-source.js';
import type { PowerEventRow } from '../history/power-event-store.js';

export type { PowerEventRow };

/** A planned outage that did not happen at the place (ScheduleStore's schedule_skips rows). */
export interface PlannedNoOutageRow {
  starts_at: number;
  ends_at: number;
  source_id: string;
  queue: string;
}

const COLUMNS = ['status', 'started_at_local', 'ended_at_local', 'duration_min', 'started_at_utc', 'ended_at_utc', 'how', 'known_by'] as const;

/**
 * The power history of one place as CSV (RFC 4180: comma-separated, CRLF line ends, a header
 * row), for a spreadsheet. Local times carry their UTC offset (2025-03-30T04:00:00+03:00), so the
 * hour repeated when daylight saving ends stays unambiguous; UTC columns are there for tools that
 * want one clock. An interval still open has empty end and duration: it has not ended yet.
 *
 * Planned outages that did not happen (the place follows a schedule, and its power stayed on
 * through a planned interval) are rows of their own among the intervals, by start time, with
 * status `planned_no_outage` and, in `how`, the schedule they come from ("schedule kyiv GPV3.1").
 * They overlap the `on` interval that proves them.
 *
 * `known_by` says in a word how the start was known (history/edge-source.ts): `device` (a device
 * that sees the mains said so: confirmed), `silence` (inferred: every device fell silent),
 * `heartbeat`, `uptime`, `none`; `schedule` for a planned outage that did not happen.
 */
export function powerEventsCsv(rows: readonly PowerEventRow[], timeZone: string, plannedNoOutage: readonly PlannedNoOutageRow[] = []): string {
  if (!IANAZone.isValidZone(timeZone)) throw new RangeError(`Unknown time zone "${timeZone}"; expected an IANA name such as Europe/Kyiv`);
  const lines = [COLUMNS.join(',')];
  const entries = [
    ...rows.map((row) => ({ start: row.started_at, end: row.ended_at, status: row.status as string, how: row.start_edge as string, knownBy: edgeSource(row.start_edge) as string })),
    ...plannedNoOutage.map((skip) => ({ start: skip.starts_at, end: skip.ends_at, status: 'planned_no_outage', how: `schedule ${skip.source_id} ${skip.queue}`, knownBy: 'schedule' })),
  ];
  // Stable: intervals keep their stored order; a skip comes after the interval it lies in.
  entries.sort((a, b) => a.start - b.start);
  for (const entry of entries) {
    lines.push(
      [
        entry.status,
        localTime(entry.start, timeZone),
        entry.end === null ? '' : localTime(entry.end, timeZone),
        entry.end === null ? '' : durationMinutes(entry.end - entry.start),
        utcTime(entry.start),
        entry.end === null ? '' : utcTime(entry.end),
        entry.how,
        entry.knownBy,
      ]
        .map(csvField)
        .join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
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
