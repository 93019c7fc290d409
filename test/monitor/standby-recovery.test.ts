import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createLogger } from '../../src/logger.js';
import { createMetrics } from '../../src/metrics.js';
import { Monitor } from '../../src/monitor/monitor.js';
import { PowerStore } from '../../src/monitor/power-store.js';
import { standaloneOwners } from '../../src/monitor/standalone-owners.js';
import { ManualClock } from '../support/clock.js';
import { openTestStore } from '../support/test-store.js';
import { tempDir } from '../support/temp-dir.js';

const diskFull = () => Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });

/**
 * On PostgreSQL a standby applies heartbeats but does not watch (the leader does): when its
 * storage recovers, the failed span is the leader's to record. The leader's own recovery makes it
 * unknown and restarts every deadline from the recovery, as after a restart.
 */
test('a storage recovery restarts the watch only on a monitor that watches (the leader), not on a standby', async () => {
  const dir = tempDir();
  const store = await openTestStore(dir.file('monitor.db'));
  const clock = new ManualClock();
  const monitorOn = () => {
    const owners = standaloneOwners(store.connection);
    return new Monitor({ store: new PowerStore(store.connection, owners), owners, clock, logger: createLogger({ level: 'silent', pretty: false }), metrics: createMetrics(() => ({})) });
  };
  const standby = monitorOn();
  const leader = monitorOn();
  try {
    leader.start();
    const standbySince = standby.service.watchingSince;
    clock.advance(60_000);
    for (const monitor of [standby, leader]) monitor.storageFailedAtStart(diskFull());
    clock.advance(30_000);
    assert.equal(standby.tryRecoverStorage(), true);
    assert.equal(standby.storage.failing, false, 'the standby takes heartbeats again');
    assert.equal(standby.service.watchingSince, standbySince, 'the standby did not restart a watch it never held');
    assert.equal(leader.tryRecoverStorage(), true);
    assert.equal(leader.service.watchingSince, clock.now(), 'the leader watches from its recovery on');
  } finally {
    leader.stop();
    await store.close();
    dir.cleanup();
  }
});
