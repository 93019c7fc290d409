import type { EdgeKind, IntervalStatus, PowerStatus } from '../db/schema.js';
import type { Alert } from '../outbox/payload-parts.js';

/**
 * The power state machine of DESIGN.md §5 as pure functions: plain values in, plain decisions out,
 * the clock passed in. The store (power-store.ts) turns a decision into rows in one transaction.
 */

/** Time allowed between power returning and the device's uptime counter starting. */
export const BOOT_ALLOWANCE_MS = 1_000;

/**
 * Reset reasons that mean the board lost (or nearly lost) its supply. A reboot for any other
 * reason (software restart, panic, watchdog) is not evidence of an outage.
 */
const POWER_LOSS_RESET_REASONS = new Set(['POWERON', 'BROWNOUT', 'UNKNOWN']);

export interface OpenInterval {
  status: IntervalStatus;
  startedAt: number;
  startEdge: EdgeKind;
}

export interface TrackedPlace {
  status: PowerStatus;
  statusSince: number | null;
  lastHeartbeatAt: number | null;
  timeoutMs: number;
  paused: boolean;
  deviceBootId: string | null;
  /** The interval still open in power_events, if any. */
  current: OpenInterval | null;
}

export interface Heartbeat {
  at: number;
  /** The device sees the mains again since this moment (its `mains` turned true): dates a return exactly. */
  mainsOnAt?: number | undefined;
  uptimeMs?: number | undefined;
  bootId?: string | undefined;
  resetReason?: string | undefined;
}

export interface ServiceClock {
  /**
   * Since when the service has been watching without a break: when this process started, or when
   * it recovered from a span in which its storage could not record heartbeats. No place may be
   * declared OFF before it had a full timeout to check in after this moment.
   */
  watchingSince: number;
}

/** The one deadline rule: a place is due a full timeout after its last heartbeat or the start of watching, whichever is later. */
export function deadlineFor(lastHeartbeatAt: number | null, timeoutMs: number, service: ServiceClock): number {
  return Math.max(lastHeartbeatAt ?? 0, service.watchingSince) + timeoutMs;
}

export interface NewInterval {
  status: IntervalStatus;
  startedAt: number;
  /** null keeps it open (the current state). */
  endedAt: number | null;
  edge: EdgeKind;
}

export interface Decision {
  status: PowerStatus;
  statusSince: number | null;
  /** When the sweep should look at this place next; null when nothing can expire. */
  deadlineAt: number | null;
  /** Close the open interval at this time before appending (null: leave it as it is). */
  closeCurrentAt: number | null;
  append: NewInterval[];
  alert: Alert | null;
}

/** A heartbeat arrived (already authenticated and validated). */
export function applyHeartbeat(place: TrackedPlace, heartbeat: Heartbeat, service: ServiceClock): Decision {
  const at = heartbeat.at;
  // The one deadline rule (a heartbeat is never older than the start of watching, so this is at + timeout).
  const nextDeadline = deadlineFor(at, place.timeoutMs, service);
  const unchanged: Decision = {
    status: place.status,
    statusSince: place.statusSince,
    deadlineAt: place.paused ? null : nextDeadline,
    closeCurrentAt: null,
    append: [],
    alert: null,
  };
  if (place.paused) return unchanged;

  const bootAt = bootTimeOf(heartbeat, place);

  if (place.status === 'unknown') {
    // First heartbeat of a new (or resumed) place: monitoring starts quietly.
    return {
      status: 'on',
      statusSince: at,
      deadlineAt: nextDeadline,
      closeCurrentAt: place.current ? at : null,
      append: [{ status: 'on', startedAt: at, endedAt: null, edge: 'first_heartbeat' }],
      alert: null,
    };
  }

  if (place.status === 'off') {
    const offSince = place.statusSince ?? place.lastHeartbeatAt ?? at;
    if (heartbeat.mainsOnAt !== undefined) return mainsReturned(place, offSince, heartbeat.mainsOnAt, at, nextDeadline);
    const fromUptime = bootAt !== null && bootAt > offSince;
    const restoredAt = fromUptime ? bootAt : at;
    return {
      status: 'on',
      statusSince: restoredAt,
      deadlineAt: nextDeadline,
      closeCurrentAt: place.current ? Math.max(restoredAt, place.current.startedAt) : null,
      append: [{ status: 'on', startedAt: restoredAt, endedAt: null, edge: fromUptime ? 'device_uptime' : 'heartbeat' }],
      alert: { kind: 'power_on', at: restoredAt, fromUptime, offSince, offMs: restoredAt - offSince },
    };
  }

  // status 'on'
  if (place.current?.status === 'unknown') {
    // First heartbeat after the service was down: nothing is known about the gap except what the
    // device's uptime proves. The power has been on at least since the device booted, and since
    // the service started if the device did not reboot.
    const gapStart = place.current.startedAt;
    const rebooted = bootAt !== null && bootAt > (place.lastHeartbeatAt ?? gapStart);
    const knownOnFrom = Math.min(at, Math.max(gapStart, rebooted ? bootAt : service.watchingSince));
    return {
      status: 'on',
      statusSince: place.statusSince,
      deadlineAt: nextDeadline,
      closeCurrentAt: knownOnFrom,
      append: [{ status: 'on', startedAt: knownOnFrom, endedAt: null, edge: rebooted ? 'device_uptime' : 'heartbeat' }],
      alert: null,
    };
  }

  const lastSeen = place.lastHeartbeatAt;
  if (
    lastSeen !== null &&
    bootAt !== null &&
    bootAt > lastSeen &&
    // A reboot before the current ON began is the outage already known (another device of the place told it).
    (place.statusSince === null || bootAt > place.statusSince) &&
    isPowerLossReset(heartbeat.resetReason)
  ) {
    // The board rebooted from a power loss after its last heartbeat, inside the timeout.
    return {
      status: 'on',
      statusSince: bootAt,
      deadlineAt: nextDeadline,
      closeCurrentAt: lastSeen,
      append: [
        { status: 'off', startedAt: lastSeen, endedAt: bootAt, edge: 'short_outage' },
        { status: 'on', startedAt: bootAt, endedAt: null, edge: 'device_uptime' },
      ],
      alert: { kind: 'short_outage', from: lastSeen, to: bootAt },
    };
  }

  return unchanged;
}

/**
 * The sweep found the place's deadline passed. Returns null when nothing should change (a
 * heartbeat arrived in between, or the place is paused).
 */
export function applyDeadline(place: TrackedPlace, now: number, service: ServiceClock, devices: DeviceEvidence = NO_EVIDENCE): Decision | null {
  if (place.paused) return null;
  const lastSeen = place.lastHeartbeatAt;
  // A last heartbeat later than now was stored by a run whose clock was ahead of this one's (this
  // run started on a clock behind): it came before this run's start.
  const seenBefore = lastSeen !== null && lastSeen > now ? Math.min(lastSeen, service.watchingSince) : lastSeen;
  if (now < deadlineFor(seenBefore, place.timeoutMs, service)) return null;

  /** Since when the state has been unknown (the service restarted and waits), or null. */
  const unknownSince = place.current?.status === 'unknown' ? place.current.startedAt : null;
  const waitedSinceRestart = unknownSince !== null;

  if (place.status === 'on' && devices.stillOn) {
    // Every heartbeating device is silent, but a device that only calls on a change still says the
    // mains are there: a connection problem, not an outage. Nothing expires until one of them speaks.
    const known = unknownSince === null ? null : Math.max(now, unknownSince);
    return {
      status: 'on',
      statusSince: place.statusSince,
      deadlineAt: null,
      closeCurrentAt: known,
      append: known === null ? [] : [{ status: 'on', startedAt: known, endedAt: null, edge: 'device_mains' }],
      alert: null,
    };
  }

  if (place.status === 'on' && devices.offSince !== null && !waitedSinceRestart) {
    // The last device proving power fell silent while a live device says the mains are gone.
    const wentAt = Math.min(now, Math.max(devices.offSince, lastSeen ?? devices.offSince, place.current?.startedAt ?? devices.offSince));
    return wentOff(place, wentAt);
  }

  if (place.status === 'on') {
    if (waitedSinceRestart) {
      // Down since some time while the service itself was not running: say so, not a fake time.
      return {
        status: 'off',
        statusSince: service.watchingSince,
        deadlineAt: null,
        closeCurrentAt: service.watchingSince,
        append: [{ status: 'off', startedAt: service.watchingSince, endedAt: null, edge: 'server_restart' }],
        alert: {
          kind: 'power_off',
          at: service.watchingSince,
          notBefore: lastSeen ?? place.current?.startedAt ?? service.watchingSince,
          previousMs: null,
        },
      };
    }
    const wentAt = lastSeen ?? place.statusSince ?? now;
    return {
      status: 'off',
      statusSince: wentAt,
      deadlineAt: null,
      closeCurrentAt: wentAt,
      append: [{ status: 'off', startedAt: wentAt, endedAt: null, edge: 'heartbeat_gap' }],
      alert: {
        kind: 'power_off',
        at: wentAt,
        previousMs: place.statusSince === null ? null : wentAt - place.statusSince,
      },
    };
  }

  if (place.status === 'off' && waitedSinceRestart) {
    // Still silent a full timeout after the restart: it is still off. The channel already knows.
    return {
      status: 'off',
      statusSince: place.statusSince,
      deadlineAt: null,
      closeCurrentAt: service.watchingSince,
      append: [{ status: 'off', startedAt: service.watchingSince, endedAt: null, edge: 'server_restart' }],
      alert: null,
    };
  }
  return null;
}

/** What the other devices of a place say, for a decision of the place (see device-evidence.ts). */
export interface DeviceEvidence {
  /** A device that only calls on a change last said the mains are there. */
  stillOn: boolean;
  /** The earliest edge of the live devices that say the mains are gone, or null. */
  offSince: number | null;
}

const NO_EVIDENCE: DeviceEvidence = { stillOn: false, offSince: null };

/**
 * A live device on its battery says the mains went at `edgeAt` and no device proves power since
 * (the caller checked): the place is OFF from that moment, confirmed. Null when nothing changes.
 */
export function applyMainsOff(place: TrackedPlace, edgeAt: number, now: number): Decision | null {
  if (place.paused || place.status === 'off') return null;
  const floor = Math.max(place.lastHeartbeatAt ?? -Infinity, place.current?.startedAt ?? -Infinity);
  const wentAt = Math.min(now, Math.max(edgeAt, floor));
  if (place.status === 'unknown') {
    // Monitoring begins with the place dark: recorded quietly, its return will be announced.
    return {
      status: 'off',
      statusSince: wentAt,
      deadlineAt: null,
      closeCurrentAt: place.current ? wentAt : null,
      append: [{ status: 'off', startedAt: wentAt, endedAt: null, edge: 'device_mains' }],
      alert: null,
    };
  }
  return wentOff(place, wentAt);
}

/**
 * A device says the mains are back since `edgeAt` (an event, not a heartbeat). `deadlineAt` is
 * what the caller worked out: the heartbeating devices' deadline, or null when a device that only
 * calls on a change holds the state. Null when nothing changes.
 */
export function applyMainsOn(place: TrackedPlace, edgeAt: number, now: number, deadlineAt: number | null): Decision | null {
  if (place.paused) return null;
  if (place.status === 'off') {
    const offSince = place.statusSince ?? place.lastHeartbeatAt ?? now;
    return mainsReturned(place, offSince, edgeAt, now, deadlineAt);
  }
  if (place.status === 'unknown') {
    // Monitoring begins now, quietly, as with a first heartbeat.
    return {
      status: 'on',
      statusSince: now,
      deadlineAt,
      closeCurrentAt: place.current ? now : null,
      append: [{ status: 'on', startedAt: now, endedAt: null, edge: 'first_heartbeat' }],
      alert: null,
    };
  }
  if (place.current?.status === 'unknown') {
    const knownOnFrom = Math.min(now, Math.max(edgeAt, place.current.startedAt));
    return {
      status: 'on',
      statusSince: place.statusSince,
      deadlineAt,
      closeCurrentAt: knownOnFrom,
      append: [{ status: 'on', startedAt: knownOnFrom, endedAt: null, edge: 'device_mains' }],
      alert: null,
    };
  }
  return null;
}

/** OFF from `wentAt`, as a device on its battery said. */
function wentOff(place: TrackedPlace, wentAt: number): Decision {
  return {
    status: 'off',
    statusSince: wentAt,
    deadlineAt: null,
    closeCurrentAt: place.current ? Math.max(wentAt, place.current.startedAt) : null,
    append: [{ status: 'off', startedAt: wentAt, endedAt: null, edge: 'device_mains' }],
    alert: {
      kind: 'power_off',
      at: wentAt,
      previousMs: place.statusSince === null ? null : Math.max(0, wentAt - place.statusSince),
      confirmed: true,
    },
  };
}

/** ON again from the device's edge (or from now, when its edge is not after the outage began). */
function mainsReturned(place: TrackedPlace, offSince: number, edgeAt: number, now: number, deadlineAt: number | null): Decision {
  const restoredAt = edgeAt > offSince && edgeAt <= now ? edgeAt : now;
  return {
    status: 'on',
    statusSince: restoredAt,
    deadlineAt,
    closeCurrentAt: place.current ? Math.max(restoredAt, place.current.startedAt) : null,
    append: [{ status: 'on', startedAt: restoredAt, endedAt: null, edge: 'device_mains' }],
    alert: { kind: 'power_on', at: restoredAt, fromUptime: false, offSince, offMs: restoredAt - offSince, confirmed: true },
  };
}

/**
 * The service starts. `lastAliveAt` is the last moment the previous run is known to have been
 * watching. The span since then is unknown; no place may go OFF before it had a full timeout to
 * check in after this start.
 */
export function applyServiceStart(
  place: TrackedPlace,
  lastAliveAt: number | null,
  service: ServiceClock,
): Decision {
  const watching = !place.paused && (place.status === 'on' || place.status === 'off');
  // A last heartbeat "after" this start means the clock started behind the previous run's (no
  // real-time clock): the place still gets a full timeout from the start, not from that heartbeat.
  const lastHeartbeatAt = place.lastHeartbeatAt === null ? null : Math.min(place.lastHeartbeatAt, service.watchingSince);
  const graceDeadline = watching ? deadlineFor(lastHeartbeatAt, place.timeoutMs, service) : null;
  const base: Decision = {
    status: place.status,
    statusSince: place.statusSince,
    deadlineAt: place.status === 'on' || place.current?.status === 'unknown' ? graceDeadline : null,
    closeCurrentAt: null,
    append: [],
    alert: null,
  };
  if (!watching || lastAliveAt === null || !place.current || place.current.status === 'unknown') return base;

  const downFrom = Math.min(
    service.watchingSince,
    Math.max(lastAliveAt, place.lastHeartbeatAt ?? 0, place.current.startedAt),
  );
  if (downFrom >= service.watchingSince) return base;
  return {
    ...base,
    deadlineAt: graceDeadline,
    closeCurrentAt: downFrom,
    append: [{ status: 'unknown', startedAt: downFrom, endedAt: null, edge: 'server_down' }],
  };
}

/** An admin paused the place: nothing is watched or posted until it is resumed. */
export function applyPause(place: TrackedPlace, now: number): Decision {
  return {
    status: 'unknown',
    statusSince: now,
    deadlineAt: null,
    closeCurrentAt: place.current ? now : null,
    append: place.current?.status === 'unknown' ? [] : [{ status: 'unknown', startedAt: now, endedAt: null, edge: 'paused' }],
    alert: null,
  };
}

/**
 * The device key was revoked (or the old key's grace ended) while the board may still hold it: its
 * silence from now on says nothing about the power. A place that was on waits, unknown, for the
 * board to check in with the new key (that first heartbeat starts a quiet ON span); one that was
 * off stays off, so its return is still announced.
 */
export function applyKeyRevoked(place: TrackedPlace, at: number): Decision {
  if (place.status !== 'on') {
    return { status: place.status, statusSince: place.statusSince, deadlineAt: null, closeCurrentAt: null, append: [], alert: null };
  }
  return {
    status: 'unknown',
    statusSince: at,
    deadlineAt: null,
    closeCurrentAt: place.current ? at : null,
    append: [{ status: 'unknown', startedAt: at, endedAt: null, edge: 'key_revoked' }],
    alert: null,
  };
}

/** When the device booted, if the heartbeat says so and that is plausible. */
function bootTimeOf(heartbeat: Heartbeat, place: TrackedPlace): number | null {
  if (heartbeat.uptimeMs === undefined) return null;
  if (heartbeat.bootId !== undefined && place.deviceBootId !== null && heartbeat.bootId === place.deviceBootId) {
    return null; // same boot as before: no reboot happened
  }
  return heartbeat.at - heartbeat.uptimeMs - BOOT_ALLOWANCE_MS;
}

function isPowerLossReset(reason: string | undefined): boolean {
  return reason === undefined || POWER_LOSS_RESET_REASONS.has(reason.toUpperCase());
}
