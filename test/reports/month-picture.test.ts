import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PNG } from 'pngjs';
import type { PowerInterval } from '../../src/diagram/timeline.js';
import { FUTURE_STYLE, STATUS_COLORS, THEME } from '../../src/diagram/theme.js';
import {
  PICTURE_PIXEL_RATIO,
  PICTURE_ROW_HEIGHT,
  PICTURE_WIDTH,
  buildPictureOption,
  pictureAxisMax,
  pictureHeight,
  pictureHourX,
  pictureRowCenterY,
  renderPicturePng,
} from '../../src/reports/month-picture.js';
import { monthPeriod, statsPeriod, type Period } from '../../src/reports/periods.js';
import { pictureLabels } from '../../src/reports/picture-labels.js';
import { summarizeDays, type DaysSummary } from '../../src/reports/summary.js';
import { createI18n, translatorFor } from '../../src/i18n/translator.js';
import { KYIV, kyiv, sampleMonth } from './sample-month.js';

const t = translatorFor(createI18n(), 'uk');

function summary(intervals: PowerInterval[], period: Period, now: string, createdAt = '2025-01-01T00:00'): DaysSummary {
  return summarizeDays({ intervals, now: kyiv(now), placeCreatedAt: kyiv(createdAt), timeZone: KYIV }, period);
}

function draw(days: DaysSummary, now: string): PNG {
  const labels = pictureLabels({ placeName: 'Дача', periodTitle: 'Листопад 2025', totals: days.totals, days: days.days, t });
  return PNG.sync.read(renderPicturePng({ days: days.days, now: kyiv(now), timeZone: KYIV }, labels));
}

function hex(image: PNG, cssX: number, cssY: number): string {
  const x = Math.round(cssX * PICTURE_PIXEL_RATIO);
  const y = Math.round(cssY * PICTURE_PIXEL_RATIO);
  const offset = (y * image.width + x) * 4;
  return `#${[0, 1, 2].map((channel) => image.data[offset + channel]!.toString(16).padStart(2, '0')).join('')}`;
}

/** Colour in the middle of a day's row at an hour. */
function at(image: PNG, rowIndex: number, hour: number, axisMax = 24): string {
  return hex(image, pictureHourX(hour, axisMax), pictureRowCenterY(rowIndex));
}

/** How many times the row from one hour to another goes from pale into a (blue-grey) stripe. */
function stripes(image: PNG, rowIndex: number, fromHour: number, toHour: number): number {
  const y = Math.round(pictureRowCenterY(rowIndex) * PICTURE_PIXEL_RATIO);
  let crossings = 0;
  let previousStripe = false;
  for (let x = Math.round(pictureHourX(fromHour, 24) * PICTURE_PIXEL_RATIO); x < Math.round(pictureHourX(toHour, 24) * PICTURE_PIXEL_RATIO); x++) {
    const offset = (y * image.width + x) * 4;
    const [r, b] = [image.data[offset]!, image.data[offset + 2]!];
    const stripe = r > 150 && r < 225 && b > r + 5;
    if (stripe && !previousStripe) crossings++;
    previousStripe = stripe;
  }
  return crossings;
}

const state = (status: PowerInterval['status'], start: string, end: string | null): PowerInterval => ({
  status,
  startedAt: kyiv(start),
  endedAt: end === null ? null : kyiv(end),
});

describe('month picture', () => {
  // November 2025: the place added on Monday 3rd 12:00; outages on the 5th; the service down on the 12th.
  const november = monthPeriod({ year: 2025, month: 11 }, KYIV);
  const known = summary(
    [
      state('on', '2025-11-03T12:00', '2025-11-05T08:00'),
      state('off', '2025-11-05T08:00', '2025-11-05T12:30'),
      state('on', '2025-11-05T12:30', '2025-11-05T18:00'),
      state('off', '2025-11-05T18:00', '2025-11-05T19:00'),
      state('on', '2025-11-05T19:00', '2025-11-12T03:00'),
      state('unknown', '2025-11-12T03:00', '2025-11-12T09:30'),
      state('on', '2025-11-12T09:30', '2025-11-30T22:00'),
      state('off', '2025-11-30T22:00', null),
    ],
    november,
    '2025-12-01T09:00',
    '2025-11-03T12:00',
  );
  const image = draw(known, '2025-12-01T09:00');

  it('is one row per day, as tall as the rows need, at twice the layout size', () => {
    assert.equal(image.width, PICTURE_WIDTH * PICTURE_PIXEL_RATIO);
    assert.equal(image.height, pictureHeight(30) * PICTURE_PIXEL_RATIO);
    assert.equal(pictureHeight(31) - pictureHeight(30), PICTURE_ROW_HEIGHT);
  });

  it('draws on, off and unknown time in the weekly diagram’s colours where the layout says', () => {
    assert.equal(at(image, 0, 10.5), STATUS_COLORS.unknown, '1 Nov: before the place existed');
    assert.equal(at(image, 2, 10), STATUS_COLORS.unknown, '3 Nov before 12:00');
    assert.equal(at(image, 2, 14), STATUS_COLORS.on, '3 Nov after 12:00');
    assert.equal(at(image, 4, 10.5), STATUS_COLORS.off, '5 Nov 08:00–12:30');
    assert.equal(at(image, 4, 13.5), STATUS_COLORS.on);
    assert.equal(at(image, 4, 18.5), STATUS_COLORS.off, '5 Nov 18:00–19:00');
    assert.equal(at(image, 11, 5), STATUS_COLORS.unknown, '12 Nov: the service down 03:00–09:30');
    assert.equal(at(image, 11, 10), STATUS_COLORS.on);
    assert.equal(at(image, 29, 22.5), STATUS_COLORS.off, '30 Nov from 22:00, still off at midnight');
    assert.equal(at(image, 29, 10), STATUS_COLORS.on);
  });

  it('leaves white gaps between rows and a faint line above each Monday', () => {
    const gapBetween = (upper: number): number => pictureRowCenterY(upper) + PICTURE_ROW_HEIGHT / 2;
    // Sunday 9 (row 8) → Monday 10 (row 9): the week line. Tuesday 4 → Wednesday 5: white.
    assert.notEqual(hex(image, pictureHourX(10.5, 24), gapBetween(8)), THEME.background);
    assert.equal(hex(image, pictureHourX(10.5, 24), gapBetween(3)), THEME.background);
  });

  it('draws every segment of a 31-day month of mixed outages in its colour', () => {
    const october = monthPeriod({ year: 2025, month: 10 }, KYIV);
    const mixed = summary(sampleMonth('2025-09-01T00:00', '2025-11-01T09:00', [['2025-10-08T13:00', '2025-10-09T02:30']]), october, '2025-11-01T09:00');
    const picture = draw(mixed, '2025-11-01T09:00');
    const axisMax = pictureAxisMax(mixed.days);
    assert.equal(axisMax, 25, 'October 2025 has the 25-hour 26th');
    let sampled = 0;
    mixed.days.forEach((day, row) => {
      for (const segment of day.segments) {
        const middle = (segment.startHour + segment.endHour) / 2;
        // Long enough to sample, and away from the faint marks every 3 hours.
        if (segment.endHour - segment.startHour < 0.5 || Math.abs(middle / 3 - Math.round(middle / 3)) < 0.05) continue;
        assert.equal(at(picture, row, middle, axisMax), STATUS_COLORS[segment.status], `${day.date} ${segment.status} at ${middle.toFixed(2)} h`);
        sampled++;
      }
    });
    assert.ok(sampled > 120, `sampled ${sampled} segments`);
    // The 25-hour day runs past the 24 mark; the next one stops there.
    assert.notEqual(at(picture, 25, 24.5, 25), THEME.background);
    assert.equal(at(picture, 26, 24.5, 25), THEME.background);
  });

  it('draws the rest of today and the days ahead pale and striped, not grey', () => {
    const running = summary(sampleMonth('2025-10-01T00:00', '2025-11-19T15:40'), november, '2025-11-19T15:40');
    const picture = draw(running, '2025-11-19T15:40');
    assert.ok(stripes(picture, 18, 16, 23.5) >= 20, 'the rest of today (19 Nov after 15:40) is striped');
    assert.ok(stripes(picture, 25, 0.5, 23.5) >= 60, 'a day ahead is striped all through');
    // Along a row ahead: only the pale fill, the stripe and their blend, never the unknown grey.
    const y = Math.round(pictureRowCenterY(25) * PICTURE_PIXEL_RATIO);
    const colours = new Set<string>();
    for (let x = Math.round(pictureHourX(0.5, 24) * PICTURE_PIXEL_RATIO); x < Math.round(pictureHourX(2.5, 24) * PICTURE_PIXEL_RATIO); x++) {
      colours.add(hex(picture, x / PICTURE_PIXEL_RATIO, y / PICTURE_PIXEL_RATIO));
    }
    assert.ok(colours.has(FUTURE_STYLE.fill) && colours.has(FUTURE_STYLE.stripe), [...colours].join(' '));
    assert.ok(!colours.has(STATUS_COLORS.unknown));
    assert.equal(stripes(picture, 17, 0.5, 23.5), 0, 'a day lived is not');
  });

  it('shows the /stats picture of this month up to today only', () => {
    const period = statsPeriod('this-month', kyiv('2025-11-19T15:40'), KYIV);
    const days = summary(sampleMonth('2025-10-01T00:00', '2025-11-19T15:40'), period, '2025-11-19T15:40');
    assert.equal(days.days.length, 19);
    assert.equal(draw(days, '2025-11-19T15:40').height, pictureHeight(19) * PICTURE_PIXEL_RATIO);
  });
});

describe('month picture option', () => {
  const november = monthPeriod({ year: 2025, month: 11 }, KYIV);
  const labelsFor = (days: DaysSummary) => pictureLabels({ placeName: 'Дача', periodTitle: 'Листопад 2025', totals: days.totals, days: days.days, t });

  it('lists in the legend only the kinds it draws, beyond on and off', () => {
    const over = summary([state('on', '2025-10-01T00:00', null)], november, '2025-12-01T09:00');
    const option = buildPictureOption({ days: over.days, now: kyiv('2025-12-01T09:00'), timeZone: KYIV }, labelsFor(over));
    assert.deepEqual((option.legend as { data: string[] }).data, ['Світло є', 'Світла немає']);
    const running = summary([state('on', '2025-11-10T00:00', null)], november, '2025-11-19T15:40');
    const optionRunning = buildPictureOption({ days: running.days, now: kyiv('2025-11-19T15:40'), timeZone: KYIV }, labelsFor(running));
    assert.deepEqual((optionRunning.legend as { data: string[] }).data, ['Світло є', 'Світла немає', 'Немає даних', 'Ще попереду']);
  });

  it('draws today’s label bold and weekends muted', () => {
    const running = summary([state('on', '2025-11-10T00:00', null)], november, '2025-11-19T15:40');
    const option = buildPictureOption({ days: running.days, now: kyiv('2025-11-19T15:40'), timeZone: KYIV }, labelsFor(running));
    const yAxis = option.yAxis as { axisLabel: { formatter: (value: string, index: number) => string } };
    assert.equal(yAxis.axisLabel.formatter('18', 18), '{weekdayToday|Ср} {dateToday|19}');
    assert.equal(yAxis.axisLabel.formatter('0', 0), '{weekdayWeekend|Сб} {dateWeekend|1}');
    assert.equal(yAxis.axisLabel.formatter('2', 2), '{weekday|Пн} {date|3}');
  });

  it('refuses labels that do not match the days, and an empty picture', () => {
    const over = summary([], november, '2025-12-01T09:00');
    const labels = labelsFor(over);
    assert.throws(() => buildPictureOption({ days: over.days.slice(1), now: 0, timeZone: KYIV }, labels), /29 days but 30 day labels/);
    assert.throws(() => buildPictureOption({ days: [], now: 0, timeZone: KYIV }, { ...labels, days: [] }), /no days/);
  });
});
