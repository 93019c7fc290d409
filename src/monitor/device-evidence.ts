/**
 * What each device of a place says about the power, as pure functions (issue 21):
 * - a device that sends heartbeats is judged by them: while it is live (heard within the place's
 *   timeout) it proves power, unless it says `mains: false` (it runs on its battery: proof of a cut);
 *   once silent it says nothing;
 * - a device that only calls on a change (an event: a phone's automation, a UPS, a Shelly input)
 *   keeps its last word until the next one: "mains on" proves power, "mains off" a cut.
 * The place has power while any device proves it; a cut is proved by a device that says so while
 * none proves power; the place is OFF by timeout only when every device is silent.
 */
import type { DeviceEvidence } from './state-machine.js';

/** The columns of a device the evidence reads (a row of `devices` has them). */
export interface DeviceState {
  id: number;
  name: string;
  last_heartbeat_at: number | null;
  mains: number | null;
  mains_since: number | null;
  /** A revoked key the device still holds: nothing it did before says anything now. */
  awaiting_key_since: number | null;
}

/**
 * How far ahead of `now` a heartbeat's time may be and still count. Heartbeats are stamped with the
 * server's clock, so one "from the future" means the clock went back since (a start on a clock
 * behind the previous run's, before NTP): it proves nothing about the power now.
 */
const FUTURE_TOLERANCE_MS = 2_000;

function live(device: DeviceState, now: number, timeoutMs: number): boolean {
  return device.last_heartbeat_at !== null && device.last_heartbeat_at <= now + FUTURE_TOLERANCE_MS && now < device.last_heartbeat_at + timeoutMs;
}

/** Whether the device proves, at `now`, that the place has power. */
export function provesPower(device: DeviceState, now: number, timeoutMs: number): boolean {
  if (device.awaiting_key_since !== null) return false;
  if (device.last_heartbeat_at !== null) return live(device, now, timeoutMs) && device.mains !== 0;
  return device.mains === 1;
}

/** When the device says the mains went, if it says so now (live, or an event's last word). */
export function offSince(device: DeviceState, now: number, timeoutMs: number): number | null {
  if (device.awaiting_key_since !== null || device.mains !== 0) return null;
  if (device.last_heartbeat_at !== null && !live(device, now, timeoutMs)) return null;
  return device.mains_since ?? device.last_heartbeat_at ?? now;
}

/** The first of `devices` (other than `except`) that proves power at `now`, if any. */
export function proverOf(devices: readonly DeviceState[], now: number, timeoutMs: number, except?: number): DeviceState | undefined {
  return devices.find((device) => device.id !== except && provesPower(device, now, timeoutMs));
}

/**
 * What the devices say when the place's deadline passed (every heartbeating device that proved
 * power is silent): whether an event's last word still holds the power on, and since when a live
 * device says it is gone.
 */
export function evidenceAtDeadline(devices: readonly DeviceState[], now: number, timeoutMs: number): DeviceEvidence {
  let stillOn = false;
  let earliestOff: number | null = null;
  for (const device of devices) {
    if (provesPower(device, now, timeoutMs)) stillOn = true;
    const since = offSince(device, now, timeoutMs);
    if (since !== null && (earliestOff === null || since < earliestOff)) earliestOff = since;
  }
  return { stillOn, offSince: earliestOff };
}

/** The device's mains state after a report of it, dated at the device's edge. */
export type MainsUpdate =
  /** Nothing reported (a mains-only device): its heartbeats prove power. */
  | { kind: 'none' }
  /** It says what it said before: the state and its date stay. */
  | { kind: 'same' }
  /** Older than the state already applied (a late or replayed report): never flips it back. */
  | { kind: 'stale' }
  | { kind: 'changed'; mains: 0 | 1; since: number };

/**
 * Applies a reported mains state (`edgeAt`: when the device says it began, already clamped to the
 * arrival) to what is stored. The device's own time orders its reports.
 */
export function mainsUpdate(current: Pick<DeviceState, 'mains' | 'mains_since'>, reported: boolean | undefined, edgeAt: number): MainsUpdate {
  if (reported === undefined) return { kind: 'none' };
  const mains = reported ? 1 : 0;
  if (current.mains === mains) return { kind: 'same' };
  if (current.mains !== null && current.mains_since !== null && edgeAt < current.mains_since) return { kind: 'stale' };
  return { kind: 'changed', mains, since: edgeAt };
}
