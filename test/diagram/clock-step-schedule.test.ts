import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DateTime } from 'luxon';
import type { Place } from '../../src/places/place-service.js';
import { ManualClock } from '../support/clock.js';
import { startFakeBotApi, type FakeBotApi } from '../support/fake-bot-api.js';
import { CHANNEL_ID, startTelegramTestApp, type TelegramTestApp } from '../support/telegram-app.js';
import { tempDir } from '../support/temp-dir.js';

/**
 * The daily jobs after a step of the wall clock, through the real service: the diagram schedule
 * and the reports work their next fire time out again from the new time, so the 00:00 diagram
 * and the Monday 09:00 report go out at those times on the corrected clock.
 */

const KYIV = 'Europe/Kyiv';
const kyiv = (iso: string): number => DateTime.fromISO(iso, { zone: KYIV }).toMillis();

function days(t: TelegramTestApp, place: Place): string[] {
  return t.rows((db) => db.selectFrom('diagram_messages').select('day').where('location_id', '=', place.id).orderBy('day')).map((row) => row.day);
}

async function settle(t: TelegramTestApp): Promise<void> {
  await t.drain();
}

async function beat(t: TelegramTestApp, place: Place): Promise<void> {
  const response = await fetch(t.url('/api/heartbeat'), { method: 'POST', headers: { authorization: `Bearer ${place.api_key}` } });
  assert.equal(response.status, 200);
}

/** What the channel was told about the power (alerts), as texts. */
function alertTexts(fake: FakeBotApi): string[] {
  return fake.callsOf('sendMessage').filter((call) => Number(call.params.chat_id) === CHANNEL_ID).map((call) => String(call.params.text));
}

describe('daily jobs after a clock step', () => {
  let fake: FakeBotApi;
  before(async () => {
    fake = await startFakeBotApi({ bot: { id: 999, first_name: 'Monitor', username: 'power_monitor_bot' } });
  });
  after(async () => {
    await fake.close();
  });

  test('+2 h over midnight: the new day is posted at once, no alert, and the hour marks go on from the new time', async () => {
    const dir = tempDir();
    const t = await startTelegramTestApp(dir.file('monitor.db'), { clock: new ManualClock(kyiv('2026-11-20T22:30')), fake });
    try {
      const home = await t.createPlace({ name: 'Дім', channelId: String(CHANNEL_ID), language: 'uk' });
      await beat(t, home);
      t.system.diagrams!.runDue();
      await settle(t);
      assert.deepEqual(days(t, home), ['2026-11-20']);
      assert.equal(t.system.diagrams!.nextFireAt, kyiv('2026-11-20T23:00'));

      t.clock.step(2 * 3_600_000); // 00:30 on the 21st
      assert.ok(t.system.clockSteps.check(), 'the step is seen');
      await new Promise((resolve) => setTimeout(resolve, 100)); // the re-armed timer fires at once
      await settle(t);
      assert.deepEqual(days(t, home), ['2026-11-20', '2026-11-21'], "the 21st's diagram is posted right after the step");
      assert.equal(t.system.diagrams!.nextFireAt, kyiv('2026-11-21T01:00'));
      await beat(t, home);
      t.sweep();
      await settle(t);
      assert.deepEqual(alertTexts(fake), [], 'no alert for the step');
    } finally {
      await t.stop();
      fake.reset();
      dir.cleanup();
    }
  });

  test('-2 h before midnight: the next hour mark is worked out again, and the new day is posted at 00:00 on the corrected clock', async () => {
    const dir = tempDir();
    const t = await startTelegramTestApp(dir.file('monitor.db'), { clock: new ManualClock(kyiv('2026-11-20T23:30')), fake });
    try {
      const home = await t.createPlace({ name: 'Дім', channelId: String(CHANNEL_ID), language: 'uk' });
      await beat(t, home);
      t.system.diagrams!.runDue();
      await settle(t);
      assert.equal(t.system.diagrams!.nextFireAt, kyiv('2026-11-21T00:00'));

      t.clock.step(-2 * 3_600_000); // 21:30 on the 20th
      assert.ok(t.system.clockSteps.check());
      assert.equal(t.system.diagrams!.nextFireAt, kyiv('2026-11-20T22:00'), 'the next hour mark of the corrected clock, not 00:00 two hours late');
      for (const at of ['2026-11-20T22:00', '2026-11-20T23:00', '2026-11-20T23:59']) {
        t.clock.set(kyiv(at));
        await beat(t, home);
        t.system.diagrams!.tick();
        await settle(t);
        assert.deepEqual(days(t, home), ['2026-11-20'], `no new day's post at ${at}`);
      }
      t.clock.set(kyiv('2026-11-21T00:00'));
      t.system.diagrams!.tick();
      await settle(t);
      assert.deepEqual(days(t, home), ['2026-11-20', '2026-11-21'], 'posted at 00:00 local');
    } finally {
      await t.stop();
      dir.cleanup();
    }
  });

  test('reports: a step back before Monday 09:00 brings the due time back to 09:00 on the corrected clock', async () => {
    const dir = tempDir();
    const t = await startTelegramTestApp(dir.file('monitor.db'), { clock: new ManualClock(kyiv('2026-11-23T10:00')), fake });
    try {
      assert.equal(t.system.reports!.nextFireAt, kyiv('2026-11-30T09:00'), 'Monday 10:00: the next is a week on');
      t.clock.step(-2 * 3_600_000);
      assert.ok(t.system.clockSteps.check());
      assert.equal(t.system.reports!.nextFireAt, kyiv('2026-11-23T09:00'));
      t.clock.step(3 * 24 * 3_600_000);
      assert.ok(t.system.clockSteps.check());
      assert.equal(t.system.reports!.nextFireAt, kyiv('2026-11-23T09:00'), 'a step forward keeps a due time it passed, so it fires now');
    } finally {
      await t.stop();
      dir.cleanup();
    }
  });
});
