import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyDeadline, applyServiceStart, type TrackedPlace } from '../../src/monitor/state-machine.js';

/**
 * A start on a clock behind the previous run's (a board without a real-time clock boots on an old
 * time): the previous run's last heartbeat lies "after" the start. The pure rules still give the
 * place a full timeout from the start, and then declare it off from that heartbeat.
 */

const MIN = 60_000;
const START = Date.UTC(2026, 10, 20, 8, 15, 0);
const PREVIOUS_HEARTBEAT = START + 110 * MIN; // the previous run's clock was right: 10:05

function place(overrides: Partial<TrackedPlace> = {}): TrackedPlace {
  return {
    status: 'on',
    statusSince: PREVIOUS_HEARTBEAT - 60 * MIN,
    lastHeartbeatAt: PREVIOUS_HEARTBEAT,
    timeoutMs: MIN,
    paused: false,
    deviceBootId: null,
    current: { status: 'on', startedAt: PREVIOUS_HEARTBEAT - 60 * MIN, startEdge: 'first_heartbeat' },
    ...overrides,
  };
}

test('a start on a clock behind the last heartbeat: a full timeout from the start, not from that heartbeat', () => {
  const service = { watchingSince: START };
  const decision = applyServiceStart(place(), PREVIOUS_HEARTBEAT + 5_000, service);
  assert.equal(decision.deadlineAt, START + MIN);
  assert.equal(decision.alert, null);
  assert.deepEqual(decision.append, [], 'no unknown span can be placed: the clock says the restart came before the stop');
});

test('its deadline: silent a full timeout after the start, the place is off from the heartbeat it last sent', () => {
  const service = { watchingSince: START };
  assert.equal(applyDeadline(place(), START + MIN - 1, service), null, 'not before a full timeout from the start');
  const decision = applyDeadline(place(), START + MIN, service);
  assert.equal(decision?.status, 'off');
  assert.deepEqual(decision?.alert, { kind: 'power_off', at: PREVIOUS_HEARTBEAT, previousMs: 60 * MIN });
});

test('a heartbeat of this run is still the later one', () => {
  const service = { watchingSince: START };
  const heardAt = START + 5 * MIN;
  assert.equal(applyDeadline(place({ lastHeartbeatAt: heardAt }), heardAt + MIN - 1, service), null);
  assert.equal(applyDeadline(place({ lastHeartbeatAt: heardAt }), heardAt + MIN, service)?.status, 'off');
});
