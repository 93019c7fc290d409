import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PNG } from 'pngjs';
import { buildChartOption } from '../../src/diagram/chart-option.js';
import { diagramLabels } from '../../src/diagram/labels.js';
import { DIAGRAM_PIXEL_RATIO, dayCenterY, hourToX } from '../../src/diagram/layout.js';
import { weekPlan } from '../../src/diagram/plan-strip.js';
import type { DiagramPlan } from '../../src/schedules/plan.js';
import { planStripCenterY } from '../../src/diagram/plan-strip-series.js';
import { renderWeekDiagram } from '../../src/diagram/render-png.js';
import { PLAN_STYLE, STATUS_COLORS, dimmedColor } from '../../src/diagram/theme.js';
import { buildWeekTimeline } from '../../src/diagram/timeline.js';
import type { PlanInterval, PlanKind } from '../../src/outbox/payload-parts.js';
import { createI18n, translatorFor } from '../../src/i18n/translator.js';
import { KYIV, kyiv, sampleWeek } from './sample-week.js';

type Rgb = [number, number, number];

// The sample week (Thu 13 … Wed 19 Nov 2025, now 15:40 on the 19th); the plan is known for the
// 13th, 14th, 17th, 18th and 19th, not for the 15th and 16th.
const PLANNED: [string, string, PlanKind][] = [
  ['2025-11-13T06:00', '2025-11-13T10:00', 'planned'],
  ['2025-11-13T16:00', '2025-11-13T20:00', 'planned'],
  ['2025-11-14T00:00', '2025-11-14T04:00', 'planned'],
  ['2025-11-14T11:00', '2025-11-14T14:00', 'planned'],
  ['2025-11-14T20:00', '2025-11-15T00:00', 'possible'],
  ['2025-11-17T03:00', '2025-11-17T06:30', 'planned'],
  ['2025-11-17T13:00', '2025-11-17T17:00', 'planned'],
  ['2025-11-17T20:00', '2025-11-17T22:00', 'possible'],
  ['2025-11-18T08:00', '2025-11-18T12:00', 'planned'],
  ['2025-11-18T18:00', '2025-11-18T22:00', 'planned'],
  ['2025-11-19T06:00', '2025-11-19T09:30', 'planned'],
  ['2025-11-19T13:30', '2025-11-19T17:00', 'planned'],
  ['2025-11-19T20:30', '2025-11-20T00:00', 'possible'],
];
const PLAN: DiagramPlan = {
  knownDays: ['2025-11-13', '2025-11-14', '2025-11-17', '2025-11-18', '2025-11-19'],
  intervals: PLANNED.map(([start, end, kind]): PlanInterval => ({ start: kyiv(start), end: kyiv(end), kind })),
};
const i18n = createI18n();
const week = buildWeekTimeline({ ...sampleWeek(), timeZone: KYIV });

describe('the plan over the week', () => {
  const plan = weekPlan(week, PLAN, KYIV)!;

  it('cuts the intervals into the known days, in hours from local midnight', () => {
    assert.deepEqual(plan.days.map((day) => day.known), [true, true, false, false, true, true, true]);
    assert.deepEqual(plan.days[4]!.pieces, [
      { kind: 'planned', startHour: 3, endHour: 6.5 },
      { kind: 'planned', startHour: 13, endHour: 17 },
      { kind: 'possible', startHour: 20, endHour: 22 },
    ]);
    assert.deepEqual(plan.days[2], { known: false, pieces: [] }, 'a day not known gets no strip, not an empty one');
  });

  it('counts the planned (not possible) hours up to now: 36 h 10 min', () => {
    // 8 + 7 + 7.5 + 8 + (3.5 + 13:30…15:40) hours.
    assert.equal(plan.plannedMs, (36 * 60 + 10) * 60_000);
    assert.equal(plan.hasPossible, true);
    const labels = diagramLabels(translatorFor(i18n, 'uk'), 'Дім', week, plan);
    assert.deepEqual(labels.plan, { planned: 'За графіком: 36 год 10 хв', possible: 'можливе' });
    assert.equal(diagramLabels(translatorFor(i18n, 'en'), 'Home', week, plan).plan?.planned, 'Scheduled: 36 h 10 min');
  });

  it('is no plan at all when no day of the week is known (or the place follows none)', () => {
    assert.equal(weekPlan(week, undefined, KYIV), null);
    assert.equal(weekPlan(week, { knownDays: ['2025-11-01'], intervals: [] }, KYIV), null);
    const nothingPlanned = weekPlan(week, { knownDays: ['2025-11-19'], intervals: [] }, KYIV)!;
    assert.equal(diagramLabels(translatorFor(i18n, 'uk'), 'Дім', week, nothingPlanned).plan?.planned, 'За графіком: 0 год', 'known, nothing planned');
    const option = buildChartOption(week, diagramLabels(translatorFor(i18n, 'uk'), 'Дім', week));
    assert.equal((option.title as unknown[]).length, 2, 'no plan line without a plan');
  });
});

describe('the plan strip in the PNG', () => {
  const image = PNG.sync.read(renderWeekDiagram({ ...sampleWeek(), timeZone: KYIV, t: translatorFor(i18n, 'uk'), placeName: 'Дача під Києвом', plan: PLAN }));
  const plain = PNG.sync.read(renderWeekDiagram({ ...sampleWeek(), timeZone: KYIV, t: translatorFor(i18n, 'uk'), placeName: 'Дача під Києвом' }));

  function pixel(png: PNG, cssX: number, cssY: number): string {
    const x = Math.round(cssX * DIAGRAM_PIXEL_RATIO);
    const y = Math.round(cssY * DIAGRAM_PIXEL_RATIO);
    const offset = (y * png.width + x) * 4;
    const rgb: Rgb = [png.data[offset]!, png.data[offset + 1]!, png.data[offset + 2]!];
    return `#${rgb.map((value) => value.toString(16).padStart(2, '0')).join('')}`;
  }
  const strip = (png: PNG, dayIndex: number, hour: number) => pixel(png, hourToX(hour, 24), planStripCenterY(dayIndex));
  const bar = (png: PNG, dayIndex: number, hour: number) => pixel(png, hourToX(hour, 24), dayCenterY(dayIndex));
  const rgb = (color: string) => `#${color.match(/\d+/g)!.map((v) => Number(v).toString(16).padStart(2, '0')).join('')}`;

  it('draws planned outages dark, possible ones amber, on a light track where the plan is known', () => {
    assert.equal(strip(image, 5, 10), PLAN_STYLE.planned, 'Tue 18, planned 08:00–12:00');
    assert.equal(strip(image, 4, 21), PLAN_STYLE.possible, 'Mon 17, possible 20:00–22:00');
    assert.equal(strip(image, 5, 14), PLAN_STYLE.track, 'Tue 18 14:00: nothing planned');
    assert.equal(strip(image, 6, 22), PLAN_STYLE.possible, 'today, ahead of now');
    assert.equal(strip(image, 0, 8), rgb(dimmedColor(PLAN_STYLE.planned)), 'the previous week dimmed, like its bars');
  });

  it('leaves a day whose plan is not known without a strip (not an empty track)', () => {
    assert.equal(strip(image, 2, 10), '#ffffff', 'Sat 15');
    assert.equal(strip(image, 3, 19), '#ffffff', 'Sun 16');
  });

  it('keeps the bars as they were, and nothing under them without a plan', () => {
    for (const [day, hour] of [[5, 10], [4, 21], [6, 14.5], [2, 10]] as const) assert.equal(bar(image, day, hour), bar(plain, day, hour));
    assert.equal(bar(image, 5, 10), STATUS_COLORS.off);
    assert.equal(strip(plain, 5, 10), '#ffffff');
    // The strip sits in the gap between two bars, closer to its own.
    const gapBelow = dayCenterY(6) - planStripCenterY(5);
    assert.ok(gapBelow > 15, `the next bar is ${gapBelow} px away`);
  });

  it('adds the plan line under the totals, with the strip colours as its legend', () => {
    // The line's marks: a dark one at its start, and the amber one further along the line.
    const y = 96 + 10;
    const row: string[] = [];
    for (let x = 24; x < 700; x += 1) row.push(pixel(image, x, y));
    assert.ok(row.slice(0, 24).includes(PLAN_STYLE.planned), 'the dark mark first');
    assert.ok(row.includes(PLAN_STYLE.possible), 'then the amber one');
    assert.ok(!Array.from({ length: 676 }, (_, i) => pixel(plain, 24 + i, y)).includes(PLAN_STYLE.planned), 'no such line without a plan');
  });
});
