import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { test } from 'node:test';
import { PNG } from 'pngjs';
import { buildChartOption } from '../../src/diagram/chart-option.js';
import { diagramLabels } from '../../src/diagram/labels.js';
import { renderDiagramPng } from '../../src/diagram/render-png.js';
import { buildWeekTimeline, type PowerInterval } from '../../src/diagram/timeline.js';
import { createI18n, translatorFor } from '../../src/i18n/translator.js';

const ZONE = 'Europe/Kyiv';
const at = (iso: string) => Date.parse(iso);

test('a change a device confirmed gets a small mark on its bar and a legend entry; inferred ones do not', () => {
  const now = at('2026-11-20T18:00:00+02:00');
  const intervals: PowerInterval[] = [
    { status: 'on', startedAt: at('2026-11-10T00:00:00+02:00'), endedAt: at('2026-11-19T08:00:00+02:00') },
    { status: 'off', startedAt: at('2026-11-19T08:00:00+02:00'), endedAt: at('2026-11-19T12:00:00+02:00'), confirmed: true },
    { status: 'on', startedAt: at('2026-11-19T12:00:00+02:00'), endedAt: at('2026-11-20T14:00:00+02:00'), confirmed: true },
    { status: 'off', startedAt: at('2026-11-20T14:00:00+02:00'), endedAt: null },
  ];
  const week = buildWeekTimeline({ intervals, placeCreatedAt: at('2026-11-01T00:00:00+02:00'), now, timeZone: ZONE });
  assert.deepEqual(week.confirmedEdges, [
    { dayIndex: 5, hour: 8, status: 'off' },
    { dayIndex: 5, hour: 12, status: 'on' },
  ]);
  const t = translatorFor(createI18n(), 'uk');
  const labels = diagramLabels(t, 'Дім', week);
  assert.equal(labels.confirmed, 'підтверджено пристроєм');
  const option = buildChartOption(week, labels) as { series: Array<{ type?: string; name?: string; data?: unknown[] }>; legend: Array<{ data: unknown[] }> };
  const marks = option.series.find((series) => series.type === 'scatter');
  assert.deepEqual(marks?.data, [[8, '5'], [12, '5']]);
  assert.ok(option.legend.some((legend) => legend.data.some((entry) => typeof entry === 'object' && (entry as { name: string }).name === 'підтверджено пристроєм')));
  const png = PNG.sync.read(renderDiagramPng(buildChartOption(week, labels)));
  assert.ok(png.width > 0);
  if (process.env.DIAGRAM_OUT) writeFileSync(process.env.DIAGRAM_OUT, PNG.sync.write(png));

  const inferred = buildWeekTimeline({ intervals: intervals.map(({ confirmed: _, ...rest }) => rest), placeCreatedAt: 0, now, timeZone: ZONE });
  assert.deepEqual(inferred.confirmedEdges, []);
  assert.equal(diagramLabels(t, 'Дім', inferred).confirmed, undefined, 'no legend entry for a week without any');
  assert.ok(!(buildChartOption(inferred, diagramLabels(t, 'Дім', inferred)) as { series: Array<{ type?: string }> }).series.some((series) => series.type === 'scatter'));
});
