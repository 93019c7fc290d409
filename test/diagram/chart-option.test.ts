import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CustomSeriesOption } from 'echarts';
import { buildChartOption } from '../../src/diagram/chart-option.js';
import { DIAGRAM_FONT_FAMILY } from '../../src/diagram/fonts.js';
import { diagramLabels } from '../../src/diagram/labels.js';
import { DIAGRAM_GRID } from '../../src/diagram/layout.js';
import { buildWeekTimeline } from '../../src/diagram/timeline.js';
import { createI18n, translatorFor } from '../../src/i18n/translator.js';
import { KYIV, kyiv, sampleWeek } from './sample-week.js';

const i18n = createI18n();
const uk = translatorFor(i18n, 'uk');
const en = translatorFor(i18n, 'en');

function sampleOption() {
  const sample = sampleWeek();
  const week = buildWeekTimeline({ ...sample, timeZone: KYIV });
  return { week, option: buildChartOption(week, diagramLabels(uk, 'Дача', week)) };
}

function single<T>(value: T | T[] | undefined): T {
  const item = Array.isArray(value) ? value[0] : value;
  assert.ok(item);
  return item;
}

describe('buildChartOption', () => {
  it('pins the grid to the layout constants and uses the shipped font', () => {
    const { option } = sampleOption();
    const grid = single(option.grid);
    assert.deepEqual(
      { left: grid.left, right: grid.right, top: grid.top, bottom: grid.bottom, mode: grid.outerBoundsMode },
      { ...DIAGRAM_GRID, mode: 'none' },
    );
    assert.equal(option.textStyle?.fontFamily, DIAGRAM_FONT_FAMILY);
    assert.equal(option.animation, false);
  });

  it('draws an hour axis 00–24 with a tick every 3 hours', () => {
    const { option } = sampleOption();
    const xAxis = single(option.xAxis);
    assert.deepEqual([xAxis.min, xAxis.max, 'interval' in xAxis ? xAxis.interval : undefined], [0, 24, 3]);
    const formatter = xAxis.axisLabel?.formatter;
    assert.equal(typeof formatter, 'function');
    const format = formatter as (hour: number) => string;
    assert.deepEqual([0, 3, 9, 24].map(format), ['00', '03', '09', '24']);
  });

  it('stretches the axis to 25 hours in the week of the autumn DST change', () => {
    const week = buildWeekTimeline({ intervals: [], now: kyiv('2025-10-27T12:00'), placeCreatedAt: 0, timeZone: KYIV });
    const xAxis = single(buildChartOption(week, diagramLabels(en, 'Home', week)).xAxis);
    assert.equal(xAxis.max, 25);
  });

  it('lists the days oldest at the top, today bold, the previous week dimmed', () => {
    const { option } = sampleOption();
    const yAxis = single(option.yAxis);
    assert.equal(yAxis.inverse, true);
    const format = yAxis.axisLabel?.formatter as (value: string, index: number) => string;
    assert.equal(format('0', 0), '{weekdayDim|Чт} {dateDim|13}');
    assert.equal(format('4', 4), '{weekday|Пн} {date|17}');
    assert.equal(format('6', 6), '{weekdayToday|Ср} {dateToday|19}');
    assert.equal(yAxis.axisLabel?.rich?.['weekdayToday']?.fontWeight, 'bold');
  });

  it('has one named custom series per status with a rectangle per segment', () => {
    const { week, option } = sampleOption();
    const series = (option.series as CustomSeriesOption[]).filter((item) => item.name !== undefined);
    assert.deepEqual(series.map((item) => [item.type, item.name]), [
      ['custom', 'Світло є'],
      ['custom', 'Світла немає'],
      ['custom', 'Немає даних'],
      ['custom', 'Ще попереду'],
    ]);
    const pieces = week.days.reduce((total, day) => total + day.segments.length + (day.future ? 1 : 0), 0);
    assert.equal(series.reduce((total, item) => total + ((item.data as unknown[] | undefined)?.length ?? 0), 0), pieces);
  });

  it('draws the future part of today in a series of its own, named in the legend', () => {
    const { week, option } = sampleOption();
    const series = option.series as CustomSeriesOption[];
    const future = series.filter((item) => item.name === 'Ще попереду');
    assert.equal(future.length, 1);
    // Wednesday 19 Nov 15:40: the future is today (row 6) from 15:40 to 24:00.
    const [datum] = future[0]!.data as number[][];
    assert.deepEqual(datum?.slice(0, 3), [6, 15 + 40 / 60, 24]);
    assert.deepEqual(datum?.slice(3, 5), [0, 1], 'the future closes the bar: only its right end is rounded');
    assert.equal(week.days[6]?.future?.startHour, 15 + 40 / 60);
    const legend = single(option.legend);
    assert.deepEqual(legend.data, ['Світло є', 'Світла немає', 'Немає даних', 'Ще попереду']);
  });

  it('lists the future in the legend, in the place’s language', () => {
    const sample = sampleWeek();
    const week = buildWeekTimeline({ ...sample, timeZone: KYIV });
    const option = buildChartOption(week, diagramLabels(en, 'Home', week));
    assert.deepEqual(single(option.legend).data, ['Power on', 'Power off', 'No data', 'Yet to come']);
    const named = (option.series as CustomSeriesOption[]).map((item) => item.name).filter((name) => name !== undefined);
    assert.deepEqual(named, ['Power on', 'Power off', 'No data', 'Yet to come']);
  });
});
