import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  BOOT_ALLOWANCE_MS,
  applyDeadline,
  applyHeartbeat,
  applyPause,
  applyServiceStart,
  type TrackedPlace,
} from '../../src/monitor/state-machine.js';

const MIN = 60_000;
const T0 = Date.UTC(2026, 10, 20, 10, 0, 0);
const service = { watchingSince: T0 - 60 * MIN };

function place(overrides: Partial<TrackedPlace> = {}): TrackedPlace {
  return {
    status: 'on',
    statusSince: T0 - 30 * MIN,
    lastHeartbeatAt: T0,
    timeoutMs: MIN,
    paused: false,
    deviceBootId: 'boot-a',
    current: { status: 'on', startedAt: T0 - 30 * MIN, startEdge: 'heartbeat' },
    ...overrides,
  };
}

test('first heartbeat of a new place starts monitoring quietly', () => {
  const fresh = place({ status: 'unknown', statusSince: null, lastHeartbeatAt: null, current: null, deviceBootId: null });
  const decision = applyHeartbeat(fresh, { at: T0 }, service);
  assert.equal(decision.status, 'on');
  assert.equal(decision.statusSince, T0);
  assert.equal(decision.alert, null);
  assert.equal(decision.closeCurrentAt, null);
  assert.deepEqual(decision.append, [{ status: 'on', startedAt: T0, endedAt: null, edge: 'first_heartbeat' }]);
  assert.equal(decision.deadlineAt, T0 + MIN);
});

test('a heartbeat while on only moves the deadline', () => {
  const decision = applyHeartbeat(place(), { at: T0 + 10_000, uptimeMs: 5 * 3600_000, bootId: 'boot-a' }, service);
  assert.equal(decision.status, 'on');
  assert.equal(decision.alert, null);
  assert.deepEqual(decision.append, []);
  assert.equal(decision.closeCurrentAt, null);
  assert.equal(decision.deadlineAt, T0 + 10_000 + MIN);
});

test('timeout: the outage starts at the last heartbeat, not at detection', () => {
  const detectedAt = T0 + MIN + 700;
  const decision = applyDeadline(place(), detectedAt, service);
  assert.ok(decision);
  assert.equal(decision.status, 'off');
  assert.equal(decision.statusSince, T0);
  assert.equal(decision.closeCurrentAt, T0);
  assert.deepEqual(decision.append, [{ status: 'off', startedAt: T0, endedAt: null, edge: 'heartbeat_gap' }]);
  assert.deepEqual(decision.alert, { kind: 'power_off', at: T0, previousMs: 30 * MIN });
  assert.equal(decision.deadlineAt, null);
});

test('a deadline that has not really passed changes nothing', () => {
  assert.equal(applyDeadline(place(), T0 + MIN - 1, service), null);
});

test('an OFF place is not declared off again', () => {
  const off = place({ status: 'off', statusSince: T0, current: { status: 'off', startedAt: T0, startEdge: 'heartbeat_gap' } });
  assert.equal(applyDeadline(off, T0 + 10 * MIN, service), null);
});

test('heartbeat after an outage: power is back at the heartbeat when the device did not reboot', () => {
  const off = place({ status: 'off', statusSince: T0, current: { status: 'off', startedAt: T0, startEdge: 'heartbeat_gap' } });
  const at = T0 + 90 * MIN;
  const decision = applyHeartbeat(off, { at, uptimeMs: 10 * 3600_000, bootId: 'boot-a' }, service);
  assert.equal(decision.status, 'on');
  assert.equal(decision.statusSince, at);
  assert.deepEqual(decision.alert, { kind: 'power_on', at, fromUptime: false, offSince: T0, offMs: 90 * MIN });
  assert.equal(decision.closeCurrentAt, at);
  assert.deepEqual(decision.append, [{ status: 'on', startedAt: at, endedAt: null, edge: 'heartbeat' }]);
});

test('heartbeat after an outage from a fresh boot: power came back at now − uptime − boot allowance', () => {
  const off = place({ status: 'off', statusSince: T0, current: { status: 'off', startedAt: T0, startEdge: 'heartbeat_gap' } });
  const at = T0 + 90 * MIN;
  const decision = applyHeartbeat(off, { at, uptimeMs: 45_000, bootId: 'boot-b', resetReason: 'POWERON' }, service);
  const restoredAt = at - 45_000 - BOOT_ALLOWANCE_MS;
  assert.equal(decision.statusSince, restoredAt);
  assert.deepEqual(decision.alert, { kind: 'power_on', at: restoredAt, fromUptime: true, offSince: T0, offMs: restoredAt - T0 });
  assert.equal(decision.closeCurrentAt, restoredAt);
  assert.equal(decision.append[0]?.edge, 'device_uptime');
});

test('an uptime older than the outage start is ignored (the device never lost power)', () => {
  const off = place({ status: 'off', statusSince: T0, current: { status: 'off', startedAt: T0, startEdge: 'heartbeat_gap' } });
  const at = T0 + 10 * MIN;
  const decision = applyHeartbeat(off, { at, uptimeMs: 20 * MIN, bootId: 'boot-new' }, service);
  assert.equal(decision.statusSince, at);
  assert.equal(decision.alert?.kind === 'power_on' && decision.alert.fromUptime, false);
});

test('a reboot from power loss inside the timeout is a short outage', () => {
  const at = T0 + 40_000;
  const decision = applyHeartbeat(place(), { at, uptimeMs: 8_000, bootId: 'boot-b', resetReason: 'POWERON' }, service);
  const bootAt = at - 8_000 - BOOT_ALLOWANCE_MS;
  assert.equal(decision.status, 'on');
  assert.equal(decision.statusSince, bootAt);
  assert.deepEqual(decision.alert, { kind: 'short_outage', from: T0, to: bootAt });
  assert.equal(decision.closeCurrentAt, T0);
  assert.deepEqual(decision.append, [
    { status: 'off', startedAt: T0, endedAt: bootAt, edge: 'short_outage' },
    { status: 'on', startedAt: bootAt, endedAt: null, edge: 'device_uptime' },
  ]);
});

test('a software or watchdog reboot is not an outage', () => {
  for (const resetReason of ['SW', 'PANIC', 'TASK_WDT']) {
    const decision = applyHeartbeat(place(), { at: T0 + 40_000, uptimeMs: 8_000, bootId: 'boot-b', resetReason }, service);
    assert.equal(decision.alert, null, resetReason);
    assert.deepEqual(decision.append, [], resetReason);
  }
});

test('the same boot id is never a reboot, whatever the uptime says', () => {
  const decision = applyHeartbeat(place(), { at: T0 + 40_000, uptimeMs: 8_000, bootId: 'boot-a', resetReason: 'POWERON' }, service);
  assert.equal(decision.alert, null);
});

test('a paused place records the heartbeat but changes nothing and posts nothing', () => {
  const paused = place({ paused: true, status: 'unknown', current: { status: 'unknown', startedAt: T0, startEdge: 'paused' } });
  const heartbeat = applyHeartbeat(paused, { at: T0 + 5 * MIN, uptimeMs: 1000, bootId: 'x' }, service);
  assert.equal(heartbeat.status, 'unknown');
  assert.equal(heartbeat.alert, null);
  assert.equal(heartbeat.deadlineAt, null);
  assert.deepEqual(heartbeat.append, []);
  assert.equal(applyDeadline(paused, T0 + 100 * MIN, service), null);
});

test('pausing closes the current span and opens an unknown one; the first heartbeat after resuming is quiet', () => {
  const paused = applyPause(place(), T0 + MIN);
  assert.equal(paused.status, 'unknown');
  assert.equal(paused.deadlineAt, null);
  assert.equal(paused.closeCurrentAt, T0 + MIN);
  assert.deepEqual(paused.append, [{ status: 'unknown', startedAt: T0 + MIN, endedAt: null, edge: 'paused' }]);
  const resumed = place({ status: 'unknown', current: { status: 'unknown', startedAt: T0 + MIN, startEdge: 'paused' } });
  const decision = applyHeartbeat(resumed, { at: T0 + 20 * MIN }, service);
  assert.equal(decision.status, 'on');
  assert.equal(decision.alert, null);
  assert.equal(decision.closeCurrentAt, T0 + 20 * MIN);
});

test('service start: the down span becomes unknown and the deadline waits a full timeout', () => {
  const lastAlive = T0 + 5_000;
  const restarted = { watchingSince: T0 + 3 * 3600_000 };
  const decision = applyServiceStart(place(), lastAlive, restarted);
  assert.equal(decision.status, 'on');
  assert.equal(decision.alert, null);
  assert.equal(decision.closeCurrentAt, lastAlive);
  assert.deepEqual(decision.append, [{ status: 'unknown', startedAt: lastAlive, endedAt: null, edge: 'server_down' }]);
  assert.equal(decision.deadlineAt, restarted.watchingSince + MIN);
});

test('a restart of any length gives no false OFF: nothing expires before a full timeout after start', () => {
  const restarted = { watchingSince: T0 + 7 * 24 * 3600_000 };
  const afterStart = place({ current: { status: 'unknown', startedAt: T0 + 5_000, startEdge: 'server_down' } });
  assert.equal(applyDeadline(afterStart, restarted.watchingSince + MIN - 1, restarted), null);
});

test('first heartbeat after a restart ends the unknown span at the start; no alert', () => {
  const restarted = { watchingSince: T0 + 3 * 3600_000 };
  const afterStart = place({ current: { status: 'unknown', startedAt: T0 + 5_000, startEdge: 'server_down' } });
  const at = restarted.watchingSince + 20_000;
  const decision = applyHeartbeat(afterStart, { at, uptimeMs: 5 * 3600_000, bootId: 'boot-a' }, restarted);
  assert.equal(decision.alert, null);
  assert.equal(decision.status, 'on');
  assert.equal(decision.closeCurrentAt, restarted.watchingSince);
  assert.deepEqual(decision.append, [{ status: 'on', startedAt: restarted.watchingSince, endedAt: null, edge: 'heartbeat' }]);
});

test('after a restart, a reboot inside the down span ends the unknown span at the boot', () => {
  const restarted = { watchingSince: T0 + 3 * 3600_000 };
  const afterStart = place({ current: { status: 'unknown', startedAt: T0 + 5_000, startEdge: 'server_down' } });
  const at = restarted.watchingSince + 20_000;
  const decision = applyHeartbeat(afterStart, { at, uptimeMs: 3600_000, bootId: 'boot-z', resetReason: 'POWERON' }, restarted);
  const bootAt = at - 3600_000 - BOOT_ALLOWANCE_MS;
  assert.equal(decision.alert, null);
  assert.equal(decision.closeCurrentAt, bootAt);
  assert.deepEqual(decision.append, [{ status: 'on', startedAt: bootAt, endedAt: null, edge: 'device_uptime' }]);
});

test('silent for a full timeout after a restart: OFF, with the honest window of when it went', () => {
  const restarted = { watchingSince: T0 + 3 * 3600_000 };
  const afterStart = place({ current: { status: 'unknown', startedAt: T0 + 5_000, startEdge: 'server_down' } });
  const decision = applyDeadline(afterStart, restarted.watchingSince + MIN, restarted);
  assert.ok(decision);
  assert.equal(decision.status, 'off');
  assert.deepEqual(decision.alert, { kind: 'power_off', at: restarted.watchingSince, notBefore: T0, previousMs: null });
  assert.equal(decision.closeCurrentAt, restarted.watchingSince);
  assert.equal(decision.append[0]?.edge, 'server_restart');
});

test('an OFF place still silent after a restart stays off without a second alert', () => {
  const restarted = { watchingSince: T0 + 3 * 3600_000 };
  const off = place({ status: 'off', statusSince: T0, current: { status: 'off', startedAt: T0, startEdge: 'heartbeat_gap' } });
  const start = applyServiceStart(off, T0 + 3600_000, restarted);
  assert.equal(start.closeCurrentAt, T0 + 3600_000);
  assert.equal(start.deadlineAt, restarted.watchingSince + MIN);
  const afterStart = { ...off, current: { status: 'unknown' as const, startedAt: T0 + 3600_000, startEdge: 'server_down' as const } };
  const decision = applyDeadline(afterStart, restarted.watchingSince + MIN, restarted);
  assert.ok(decision);
  assert.equal(decision.status, 'off');
  assert.equal(decision.statusSince, T0);
  assert.equal(decision.alert, null);
  assert.deepEqual(decision.append, [{ status: 'off', startedAt: restarted.watchingSince, endedAt: null, edge: 'server_restart' }]);
});

test('an OFF place whose device comes back after a restart: power back, measured from the outage start', () => {
  const restarted = { watchingSince: T0 + 3 * 3600_000 };
  const afterStart = place({ status: 'off', statusSince: T0, current: { status: 'unknown', startedAt: T0 + 3600_000, startEdge: 'server_down' } });
  const at = restarted.watchingSince + 30_000;
  const decision = applyHeartbeat(afterStart, { at, uptimeMs: 10_000, bootId: 'boot-q' }, restarted);
  const restoredAt = at - 10_000 - BOOT_ALLOWANCE_MS;
  assert.deepEqual(decision.alert, { kind: 'power_on', at: restoredAt, fromUptime: true, offSince: T0, offMs: restoredAt - T0 });
  assert.equal(decision.closeCurrentAt, restoredAt);
});

test('first start ever (no last-alive mark) records nothing but still gives a grace timeout', () => {
  const decision = applyServiceStart(place(), null, { watchingSince: T0 + 10 * MIN });
  assert.deepEqual(decision.append, []);
  assert.equal(decision.closeCurrentAt, null);
  assert.equal(decision.deadlineAt, T0 + 11 * MIN);
});

test('service start leaves new and paused places alone', () => {
  const fresh = place({ status: 'unknown', lastHeartbeatAt: null, current: null });
  assert.deepEqual(applyServiceStart(fresh, T0, { watchingSince: T0 + MIN }).append, []);
  assert.equal(applyServiceStart(fresh, T0, { watchingSince: T0 + MIN }).deadlineAt, null);
  const paused = place({ paused: true });
  assert.deepEqual(applyServiceStart(paused, T0, { watchingSince: T0 + MIN }).append, []);
  assert.equal(applyServiceStart(paused, T0, { watchingSince: T0 + MIN }).deadlineAt, null);
});
