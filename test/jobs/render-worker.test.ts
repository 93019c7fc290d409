import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { performance } from 'node:perf_hooks';
import { DateTime } from 'luxon';
import { PNG } from 'pngjs';
import type { Store } from '../../src/db/connection.js';
import type { DatabaseTarget } from '../../src/db/read-only.js';
import { prepareQuery } from '../../src/db/statement-plan.js';
import { queryBuilder } from '../../src/db/sync-query.js';
import { insertPlaceRow, openTestStore, testDatabaseTarget } from '../support/test-store.js';
import { dayCenterY, hourToX, DIAGRAM_PIXEL_RATIO } from '../../src/diagram/layout.js';
import { FUTURE_STYLE, STATUS_COLORS } from '../../src/diagram/theme.js';
import { DiagramRenderer } from '../../src/jobs/diagram-renderer.js';
import { createLogger } from '../../src/logger.js';
import { PICTURE_PIXEL_RATIO, PICTURE_WIDTH, pictureHeight, pictureHourX, pictureRowCenterY } from '../../src/reports/month-picture.js';
import { tempDir } from '../support/temp-dir.js';

const KYIV = 'Europe/Kyiv';
const kyiv = (iso: string): number => DateTime.fromISO(iso, { zone: KYIV }).toMillis();
const NOW = kyiv('2026-11-20T18:00');

function rgbAt(png: PNG, cssX: number, cssY: number): string {
  const x = Math.round(cssX * DIAGRAM_PIXEL_RATIO);
  const y = Math.round(cssY * DIAGRAM_PIXEL_RATIO);
  const index = (png.width * y + x) * 4;
  const hex = (value: number | undefined) => (value ?? 0).toString(16).padStart(2, '0');
  return `#${hex(png.data[index])}${hex(png.data[index + 1])}${hex(png.data[index + 2])}`;
}

describe('render worker', () => {
  const dir = tempDir();
  let store: Store;
  let renderer: DiagramRenderer;
  let placeId: number;
  /** Where the worker reads from: the file, or its PostgreSQL database. */
  let target: DatabaseTarget;
  const rendered: number[] = [];

  before(async () => {
    store = await openTestStore(dir.file('monitor.db'));
    target = await testDatabaseTarget(dir.file('monitor.db'));
    placeId = insertPlaceRow(store.connection, { name: 'Dacha', api_key: 'key-1', timeout_s: 60, language: 'en', status: 'on', created_at: kyiv('2026-11-01T00:00'), paused: 0, alerting_failed: 0 });
    const insertEvent = (status: 'on' | 'off', started_at: number, ended_at: number | null) =>
      prepareQuery(store.connection, queryBuilder.insertInto('power_events').values({ location_id: placeId, status, started_at, ended_at, start_edge: 'heartbeat' })).run();
    // Today: on until 08:00, off 08:00–12:00, on since (to 18:00 now; the rest of today is the future).
    insertEvent('on', kyiv('2026-11-10T00:00'), kyiv('2026-11-20T08:00'));
    insertEvent('off', kyiv('2026-11-20T08:00'), kyiv('2026-11-20T12:00'));
    insertEvent('on', kyiv('2026-11-20T12:00'), null);
    renderer = new DiagramRenderer({
      database: target,
      logger: createLogger({ level: 'silent', pretty: false }),
      onRendered: (seconds) => rendered.push(seconds),
    });
  });
  after(async () => {
    await renderer.stop();
    await store.close();
    dir.cleanup();
  });

  test("draws the place's week from the database and sends the PNG back with a caption", async () => {
    const diagram = await renderer.render({ placeId: placeId, now: NOW, timeZone: KYIV });
    assert.equal(diagram.caption, 'Dacha · 14–20 Nov\nOff: 4 h · outages: 1 · longest: 4 h');
    const png = PNG.sync.read(diagram.png);
    assert.deepEqual([png.width, png.height], [1600, 1120]);
    // Sampled off the 3-hour marks drawn across the bars.
    const today = dayCenterY(6);
    assert.equal(rgbAt(png, hourToX(4.5, 24), today), STATUS_COLORS.on);
    assert.equal(rgbAt(png, hourToX(10.5, 24), today), STATUS_COLORS.off);
    assert.equal(rgbAt(png, hourToX(14.5, 24), today), STATUS_COLORS.on);
    // The future part of today: the pale fill or a stripe across it, never unknown grey.
    const futureColours: string[] = [FUTURE_STYLE.fill, FUTURE_STYLE.stripe];
    assert.ok(futureColours.includes(rgbAt(png, hourToX(20.5, 24), today)), 'the future part of today');
    assert.ok(diagram.renderMs > 0);
    assert.equal(rendered.length, 1, 'the render time is reported (for the metrics)');
  });

  test('a batch renders off the main thread: the event loop stays idle meanwhile', async () => {
    const before = performance.eventLoopUtilization();
    const started = performance.now();
    const diagrams = await Promise.all(
      Array.from({ length: 12 }, (_, index) => renderer.render({ placeId: placeId, now: NOW + index * 60_000, timeZone: KYIV })),
    );
    const elapsed = performance.now() - started;
    const busy = performance.eventLoopUtilization(before);
    assert.equal(diagrams.length, 12);
    assert.ok(diagrams.every((diagram) => diagram.png.subarray(1, 4).toString() === 'PNG'));
    assert.ok(busy.utilization < 0.5, `main thread busy ${(busy.utilization * 100).toFixed(0)}% of ${elapsed.toFixed(0)} ms`);
  });

  test('the caption is HTML: a place name with markup in it is escaped', async () => {
    const id = insertPlaceRow(store.connection, { name: '<b>Shop & Co', api_key: 'key-2', timeout_s: 60, language: 'en', status: 'on', created_at: kyiv('2026-11-01T00:00'), paused: 0, alerting_failed: 0 });
    const diagram = await renderer.render({ placeId: id, now: NOW, timeZone: KYIV });
    assert.equal(diagram.caption, '&lt;b&gt;Shop &amp; Co · 14–20 Nov\nNo data yet');
  });

  test('an unknown place is a clear error; the worker keeps serving', async () => {
    await assert.rejects(renderer.render({ placeId: 4040, now: NOW, timeZone: KYIV }), /there is no place with id 4040/);
    const diagram = await renderer.render({ placeId: placeId, now: NOW, timeZone: KYIV });
    assert.ok(diagram.png.length > 1000);
  });

  test('an aborted request rejects at once', async () => {
    const controller = new AbortController();
    const pending = renderer.render({ placeId: placeId, now: NOW, timeZone: KYIV }, controller.signal);
    controller.abort(new Error('the service is stopping'));
    await assert.rejects(pending, /the service is stopping/);
  });

  test('renders a report in the language asked for, beside a diagram asked in the same turn', async () => {
    const [report, diagram] = await Promise.all([
      renderer.renderReport({ placeId: placeId, period: { kind: '7-days' }, now: NOW, timeZone: KYIV, language: 'uk' }),
      renderer.render({ placeId: placeId, now: NOW, timeZone: KYIV }),
    ]);
    assert.match(report.caption, /^📊 <b>14–20 листопада<\/b> · Dacha\n🔴 Без світла: 4 год · 1 відключення\n/, 'Ukrainian, though the place posts in English');
    assert.equal(report.hasData, true);
    assert.match(diagram.caption, /^Dacha · 14–20 Nov/, 'the diagram stays in the place language');
    const png = PNG.sync.read(report.png);
    assert.deepEqual([png.width, png.height], [PICTURE_WIDTH * PICTURE_PIXEL_RATIO, pictureHeight(7) * PICTURE_PIXEL_RATIO]);
    const today = 6;
    const sample = (hour: number) => {
      const x = Math.round(pictureHourX(hour, 24) * PICTURE_PIXEL_RATIO);
      const y = Math.round(pictureRowCenterY(today) * PICTURE_PIXEL_RATIO);
      const index = (png.width * y + x) * 4;
      return `#${[0, 1, 2].map((channel) => png.data[index + channel]!.toString(16).padStart(2, '0')).join('')}`;
    };
    assert.equal(sample(10.5), STATUS_COLORS.off);
    assert.equal(sample(14.5), STATUS_COLORS.on);
  });

  test('a report of a period with nothing known says so', async () => {
    const report = await renderer.renderReport({ placeId: placeId, period: { kind: 'last-month' }, now: NOW, timeZone: KYIV, language: 'en' });
    assert.equal(report.hasData, false);
    assert.match(report.caption, /^📊 <b>October 2026<\/b> · Dacha\nNo data for this time/);
    await assert.rejects(renderer.renderReport({ placeId: 4040, period: { kind: '7-days' }, now: NOW, timeZone: KYIV }), /there is no place with id 4040/);
  });

  test('the worker stops when idle and starts again with the next request', async () => {
    const idle = new DiagramRenderer({ database: target, logger: createLogger({ level: 'silent', pretty: false }), idleStopMs: 100 });
    try {
      assert.ok((await idle.render({ placeId: placeId, now: NOW, timeZone: KYIV })).png.length > 1000);
      assert.equal(idle.running, true);
      for (let i = 0; i < 100 && idle.running; i += 1) await new Promise((resolve) => setTimeout(resolve, 50));
      assert.equal(idle.running, false, 'stopped after 100 ms without a request');
      const again = await idle.render({ placeId: placeId, now: NOW, timeZone: KYIV });
      assert.equal(again.caption, 'Dacha · 14–20 Nov\nOff: 4 h · outages: 1 · longest: 4 h');
    } finally {
      await idle.stop();
    }
  });

  test('after stop() nothing more is rendered', async () => {
    const inFlight = assert.rejects(renderer.render({ placeId: placeId, now: NOW, timeZone: KYIV }));
    await renderer.stop();
    await inFlight;
    await assert.rejects(renderer.render({ placeId: placeId, now: NOW, timeZone: KYIV }), /stopped/);
  });
});
