import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PNG } from 'pngjs';
import type { PowerInterval } from '../../src/diagram/timeline.js';
import { PICTURE_PIXEL_RATIO, pictureHeight } from '../../src/reports/month-picture.js';
import { monthPeriod } from '../../src/reports/periods.js';
import type { PlannedInterval } from '../../src/reports/plan.js';
import { answerReportRequest, renderReport, type ReportPlace, type ReportRenderRequest, type ReportSource } from '../../src/reports/report-render.js';
import { summarizeMonth } from '../../src/reports/summary.js';
import { formatMonthlyCaption } from '../../src/reports/texts.js';
import { createI18n, translatorFor } from '../../src/i18n/translator.js';
import { KYIV, kyiv, sampleMonth } from './sample-month.js';

const i18n = createI18n();
const intervals = sampleMonth('2025-09-01T00:00', '2025-12-01T09:00', [['2025-11-12T03:00', '2025-11-12T09:30']]);
const PLACE: ReportPlace = { name: 'Дача <Ліс>', language: 'uk', createdAt: kyiv('2025-09-01T00:00') };

/** A source over the sample months that records what was read. */
function source(options: { place?: ReportPlace; plan?: PlannedInterval[] } = {}): ReportSource & { reads: [number, number, number][] } {
  const reads: [number, number, number][] = [];
  return {
    reads,
    place: (id) => (id === 1 ? (options.place ?? PLACE) : undefined),
    intervals: (id, from, to) => {
      reads.push([id, from, to]);
      return intervals.filter((entry: PowerInterval) => entry.startedAt < to && (entry.endedAt === null || entry.endedAt > from));
    },
    ...(options.plan ? { plan: () => options.plan } : {}),
    translator: (locale) => translatorFor(i18n, locale),
  };
}

const monthly: ReportRenderRequest = { id: 7, placeId: 1, period: { kind: 'month', year: 2025, month: 11 }, now: kyiv('2025-12-01T09:00'), timeZone: KYIV };

describe('report render request', () => {
  it('renders the monthly report: the month and the one before read, the picture and its caption', () => {
    const from = source();
    const report = renderReport(monthly, from);
    assert.deepEqual(from.reads, [[1, kyiv('2025-10-01T00:00'), kyiv('2025-12-01T00:00')]]);
    const expected = summarizeMonth(
      { intervals, now: monthly.now, placeCreatedAt: PLACE.createdAt, timeZone: KYIV },
      monthPeriod({ year: 2025, month: 11 }, KYIV),
    );
    assert.equal(report.caption, formatMonthlyCaption(expected, { placeName: PLACE.name, timeZone: KYIV, t: translatorFor(i18n, 'uk') }));
    assert.match(report.caption, /^📅 <b>Листопад 2025<\/b> · Дача &lt;Ліс&gt;\n🔴 Без світла: /);
    assert.match(report.caption, /\n📉|\n📈|\n↔️/, 'compared with October');
    const png = PNG.sync.read(report.png);
    assert.deepEqual([png.width, png.height], [1600, pictureHeight(30) * PICTURE_PIXEL_RATIO]);
    assert.equal(report.summary.days.length, 30);
  });

  it('writes in the place’s language', () => {
    const report = renderReport(monthly, source({ place: { ...PLACE, name: 'Dacha', language: 'en' } }));
    assert.match(report.caption, /^📅 <b>November 2025<\/b> · Dacha\n🔴 Without power: /);
  });

  it('passes the plan through to the caption', () => {
    const plan: PlannedInterval[] = [{ kind: 'planned', from: kyiv('2025-11-10T08:00'), to: kyiv('2025-11-10T12:00') }];
    const report = renderReport(monthly, source({ plan }));
    assert.match(report.caption, /\n🗓 За графіком: 4 год · насправді: /);
  });

  it('renders a /stats period ending today', () => {
    const from = source();
    const report = renderReport({ ...monthly, period: { kind: '7-days' }, now: kyiv('2025-11-19T15:40') }, from);
    assert.deepEqual(from.reads, [[1, kyiv('2025-11-13T00:00'), kyiv('2025-11-20T00:00')]]);
    assert.match(report.caption, /^📊 <b>13–19 листопада<\/b> · Дача &lt;Ліс&gt;\n/);
    assert.equal(PNG.sync.read(report.png).height, pictureHeight(7) * PICTURE_PIXEL_RATIO);
  });

  it('answers the worker with the PNG to transfer', () => {
    const [answer, transfer] = answerReportRequest(monthly, source());
    assert.equal(answer.type, 'report-rendered');
    if (answer.type !== 'report-rendered') return;
    assert.equal(answer.id, 7);
    assert.deepEqual(transfer, [answer.png]);
    assert.equal(Buffer.from(answer.png).subarray(1, 4).toString(), 'PNG');
    assert.ok(answer.renderMs > 0);
  });

  it('answers with a clear failure for a place that is gone, or a bad month', () => {
    assert.deepEqual(answerReportRequest({ ...monthly, placeId: 404 }, source()), [{ type: 'report-failed', id: 7, error: 'there is no place with id 404' }, []]);
    const [bad] = answerReportRequest({ ...monthly, period: { kind: 'month', year: 2025, month: 0 } }, source());
    assert.equal(bad.type, 'report-failed');
    assert.match(bad.type === 'report-failed' ? bad.error : '', /month must be a whole number 1–12/);
  });
});
