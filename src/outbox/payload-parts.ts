/**
 * The values that outbox payloads carry (messages.ts), kept with the outbox because its rows are
 * stored as JSON and read back by the outbox: the monitor's power change, a person's quiet hours,
 * a queue and its plan intervals, and what the plan said about an alert. The monitor, people and
 * schedules, which make and read these values, import them from here.
 */

/** A power change of a place, as the monitor decides it (monitor/state-machine.ts). */
export type Alert =
  | {
      kind: 'power_off';
      /** When the power went (the last heartbeat), as best known. */
      at: number;
      /** Set when the outage began while the service was down: it began between this and `at`. */
      notBefore?: number;
      /** How long the power had been on before, when known. */
      previousMs: number | null;
      /** A device on its battery said the mains went (at its own edge); absent: inferred from silence. */
      confirmed?: true;
    }
  | {
      kind: 'power_on';
      at: number;
      /** True when `at` came from the device's uptime after a fresh boot. */
      fromUptime: boolean;
      offSince: number;
      offMs: number;
      /** A device that sees the mains said it came back (at its own edge). */
      confirmed?: true;
    }
  | {
      /** A reboot inside the timeout: the power was cut and came back before anyone was told. */
      kind: 'short_outage';
      from: number;
      to: number;
    };

/** Local minutes of the day, 0–1439. `start` is inside, `end` is not; start > end crosses midnight. */
export interface QuietWindow {
  startMin: number;
  endMin: number;
}

/** Quiet hours are a window or off (null); people/quiet-hours.ts reads, checks and shows them. */
export type QuietHours = QuietWindow | null;

/**
 * What a published schedule says about one queue (schedules/plan.ts), as intervals of real time:
 * UTC milliseconds, an interval covers [start, end).
 * - planned: the supplier will cut the power (GPV "no"/"first"/"second", Yasno "Definite");
 * - possible: the supplier may cut it (GPV "maybe"/"mfirst"/"msecond").
 */
export type PlanKind = 'planned' | 'possible';

export interface PlanInterval {
  start: number;
  end: number;
  kind: PlanKind;
}

export interface QueueInfo {
  /** The source's own key: "GPV3.1" (GPV files) or "3.1" (Yasno). */
  id: string;
  /** The source's own name for it, when it gives one ("Черга 3.1", "ЦЕК 1.1"). */
  label: string | null;
}

/**
 * A planned (or possible) outage as alerts describe it: merged across midnight, with flags for
 * ends the copy cannot see past (the neighbouring day is unknown), so "until ~X" is never claimed
 * when X is only the edge of what is known.
 */
export interface PlannedOutage {
  interval: PlanInterval;
  /** The outage runs to the end of the known days: its real end is not known. */
  openEnd: boolean;
  /** The outage starts at the start of the known days: it may have begun earlier. */
  openStart: boolean;
}

export type NextOutage =
  | ({ kind: 'next'; tomorrow: boolean } & PlannedOutage)
  /** Nothing more today; tomorrow is not known yet. */
  | { kind: 'none-today' }
  /** Nothing more today or tomorrow. */
  | { kind: 'none' };

/** What the plan said about an OFF (schedules/lookups.ts), when it was known. */
export type KnownOffLookup = ({ kind: PlanKind } & PlannedOutage) | { kind: 'unplanned' };

/** What the plan said about an ON (schedules/lookups.ts), when it was known. */
export interface KnownOnLookup {
  kind: 'known';
  /** How the return compares with the planned (or possible) outage it ended; null when the outage was not in the plan. */
  comparison: ({ deltaMs: number; verdict: 'later' | 'earlier' | 'on-time' } & PlannedOutage) | null;
  next: NextOutage;
}

/**
 * What the plan said about a power change at the moment it was decided, carried in the alert's
 * outbox row and rendered in the place's language when the post goes out. Taken at decision
 * time on purpose: a source that changes (or goes stale) before the post is sent must not
 * rewrite what the plan was when the power went. Only a known plan is carried: a stale, failed or
 * waiting plan gives no AlertPlan at all, so the post has no plan line (never "no outages"); a
 * day under emergency cuts gives `emergency`, and the post says "екстрені відключення" instead.
 */
export type AlertPlan = { queue: QueueInfo; off: KnownOffLookup } | { queue: QueueInfo; on: KnownOnLookup } | { queue: QueueInfo; emergency: true };

/**
 * Whether a stored value is an AlertPlan this code can render. A row written by another version
 * (or damaged) loses its plan line, never its alert: see messages.ts.
 */
export function isAlertPlan(value: unknown): value is AlertPlan {
  if (!isRecord(value) || !isQueue(value.queue)) return false;
  if ('emergency' in value) return value.emergency === true;
  if ('off' in value) return isOffLookup(value.off);
  if ('on' in value) return isOnLookup(value.on);
  return false;
}

function isOffLookup(value: unknown): boolean {
  if (!isRecord(value)) return false;
  if (value.kind === 'unplanned') return true;
  return (value.kind === 'planned' || value.kind === 'possible') && isOutage(value);
}

function isOnLookup(value: unknown): boolean {
  if (!isRecord(value) || value.kind !== 'known') return false;
  const { comparison, next } = value;
  if (comparison !== null) {
    if (!isRecord(comparison) || !isOutage(comparison) || typeof comparison.deltaMs !== 'number') return false;
    if (!['later', 'earlier', 'on-time'].includes(String(comparison.verdict))) return false;
  }
  if (!isRecord(next)) return false;
  if (next.kind === 'none' || next.kind === 'none-today') return true;
  return next.kind === 'next' && typeof next.tomorrow === 'boolean' && isOutage(next);
}

function isOutage(value: Record<string, unknown>): boolean {
  const interval = value.interval;
  return (
    isRecord(interval) &&
    Number.isFinite(interval.start) &&
    Number.isFinite(interval.end) &&
    (interval.kind === 'planned' || interval.kind === 'possible') &&
    typeof value.openEnd === 'boolean' &&
    typeof value.openStart === 'boolean'
  );
}

function isQueue(value: unknown): boolean {
  return isRecord(value) && typeof value.id === 'string' && (value.label === null || typeof value.label === 'string');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
