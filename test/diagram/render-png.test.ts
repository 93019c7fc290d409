import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GlobalFonts } from '@napi-rs/canvas';
import { PNG } from 'pngjs';
import { DIAGRAM_FONT_FAMILY } from '../../src/diagram/fonts.js';
import { DIAGRAM_HEIGHT, DIAGRAM_PIXEL_RATIO, DIAGRAM_WIDTH, dayCenterY, hourToX } from '../../src/diagram/layout.js';
import { renderWeekDiagram } from '../../src/diagram/render-png.js';
import { FUTURE_STYLE, STATUS_COLORS } from '../../src/diagram/theme.js';
import { createI18n, translatorFor } from '../../src/i18n/translator.js';
import { KYIV, kyiv, sampleWeek } from './sample-week.js';

type Rgb = [number, number, number];

const i18n = createI18n();

function render(): PNG {
  const png = renderWeekDiagram({ ...sampleWeek(), timeZone: KYIV, t: translatorFor(i18n, 'uk'), placeName: 'Дача під Києвом' });
  return PNG.sync.read(png);
}

/** Colour at the middle of a day's bar at an hour (24-hour axis; avoid multiples of 3, where hour marks cross the bars). */
function pixelAt(image: PNG, dayIndex: number, hour: number, axisMax = 24): Rgb {
  const x = Math.round(hourToX(hour, axisMax) * DIAGRAM_PIXEL_RATIO);
  const y = Math.round(dayCenterY(dayIndex) * DIAGRAM_PIXEL_RATIO);
  const offset = (y * image.width + x) * 4;
  return [image.data[offset]!, image.data[offset + 1]!, image.data[offset + 2]!];
}

/** The pixels along the middle of a day's bar from one hour to another, left to right. */
function rowPixels(image: PNG, dayIndex: number, fromHour: number, toHour: number, axisMax = 24): Rgb[] {
  const y = Math.round(dayCenterY(dayIndex) * DIAGRAM_PIXEL_RATIO);
  const from = Math.round(hourToX(fromHour, axisMax) * DIAGRAM_PIXEL_RATIO);
  const to = Math.round(hourToX(toHour, axisMax) * DIAGRAM_PIXEL_RATIO);
  const pixels: Rgb[] = [];
  for (let x = from; x < to; x++) {
    const offset = (y * image.width + x) * 4;
    pixels.push([image.data[offset]!, image.data[offset + 1]!, image.data[offset + 2]!]);
  }
  return pixels;
}

function hex([r, g, b]: Rgb): string {
  return `#${[r, g, b].map((value) => value.toString(16).padStart(2, '0')).join('')}`;
}

/** Pale fill crossed by stripes: how many times the row goes from the fill into a stripe. */
function stripesCrossed(pixels: Rgb[]): number {
  const isStripe = (pixel: Rgb): boolean => pixel[0] < 225;
  let crossings = 0;
  for (let index = 1; index < pixels.length; index++) {
    if (isStripe(pixels[index]!) && !isStripe(pixels[index - 1]!)) crossings++;
  }
  return crossings;
}

function family([r, g, b]: Rgb): 'green' | 'red' | 'grey' | 'other' {
  if (g > r + 25 && g > b + 20) return 'green';
  if (r > g + 80 && r > b + 80) return 'red';
  if (Math.abs(r - g) < 12 && Math.abs(g - b) < 12 && r > 120 && r < 235) return 'grey';
  return 'other';
}

describe('renderWeekDiagram', () => {
  // Sample week: days 0–3 (13–16 Nov) are the previous ISO week, 4–6 (17–19 Nov) this week,
  // now is Wednesday 19 Nov 15:40.
  const image = render();

  it('renders a PNG at twice the layout size', () => {
    assert.equal(image.width, DIAGRAM_WIDTH * DIAGRAM_PIXEL_RATIO);
    assert.equal(image.height, DIAGRAM_HEIGHT * DIAGRAM_PIXEL_RATIO);
  });

  it('draws on time green, off time red and unknown time grey where the layout says', () => {
    assert.equal(family(pixelAt(image, 4, 1.5)), 'green', 'Mon 17 00:00–03:00 on');
    assert.equal(family(pixelAt(image, 4, 4.75)), 'red', 'Mon 17 03:00–06:30 off');
    assert.equal(family(pixelAt(image, 5, 10)), 'red', 'Tue 18 08:00–12:00 off');
  });

  it('draws the rest of today pale and striped, unlike the solid grey of unknown time', () => {
    // Wednesday 19 Nov: on until 10:00, the service down 10:00–12:30, on again, now 15:40.
    const sample = sampleWeek();
    const today = PNG.sync.read(
      renderWeekDiagram({
        ...sample,
        intervals: [...sample.intervals, { status: 'unknown', startedAt: kyiv('2025-11-19T10:00'), endedAt: kyiv('2025-11-19T12:30') }],
        timeZone: KYIV,
        t: translatorFor(createI18n(), 'en'),
        placeName: 'Home',
      }),
    );
    const unknown = rowPixels(today, 6, 10.2, 11.8);
    assert.ok(unknown.every((pixel) => hex(pixel) === STATUS_COLORS.unknown), 'the service-down span is solid unknown grey');
    const future = rowPixels(today, 6, 16, 23.5);
    assert.ok(stripesCrossed(future) >= 20, `the future is striped, crossed ${stripesCrossed(future)} stripes`);
    assert.ok(future.every(([r, g, b]) => b >= r && r >= 190), 'every future pixel is the pale fill or its blue-grey stripe');
    assert.ok(future.some((pixel) => hex(pixel) === FUTURE_STYLE.fill), 'the pale fill shows between the stripes');
    assert.ok(future.filter((pixel) => pixel[0] >= 235).length > future.length / 2, 'mostly pale: lighter than unknown at a glance');
    assert.equal(stripesCrossed(unknown), 0);
  });

  it('draws the previous week dimmed: paler than the same status this week', () => {
    const thisWeekOn = pixelAt(image, 4, 10); // Mon 17, on 06:30–13:00
    const lastWeekOn = pixelAt(image, 0, 13.5); // Thu 13, on 10:30–17:00 (off the 3-hour marks)
    assert.equal(family(lastWeekOn), 'green');
    assert.notDeepEqual(lastWeekOn, thisWeekOn);
    assert.ok(lastWeekOn[0] > thisWeekOn[0] + 60, `dimmed ${lastWeekOn} should be much lighter than ${thisWeekOn}`);
    const lastWeekUnknown = pixelAt(image, 0, 2); // Thu 13 before the location existed (05:20)
    assert.equal(family(lastWeekUnknown), 'grey');
    assert.ok(lastWeekUnknown[0] > Number.parseInt(STATUS_COLORS.unknown.slice(1, 3), 16), 'dimmed unknown is lighter than unknown this week');
  });

  it('leaves the background white between the bars', () => {
    const x = Math.round(hourToX(10, 24) * DIAGRAM_PIXEL_RATIO);
    const y = Math.round(((dayCenterY(4) + dayCenterY(5)) / 2) * DIAGRAM_PIXEL_RATIO);
    const offset = (y * image.width + x) * 4;
    assert.deepEqual([...image.data.subarray(offset, offset + 3)], [255, 255, 255]);
  });

  it('registers the shipped Noto Sans under the family the chart asks for', () => {
    assert.ok(GlobalFonts.has(DIAGRAM_FONT_FAMILY));
  });

  it('runs the 25-hour autumn DST day one hour past the 24 mark', () => {
    // Tue 21 … Mon 27 Oct 2025; Sunday 26 (index 5) has 25 hours and ends with an outage.
    const autumn = PNG.sync.read(
      renderWeekDiagram({
        intervals: [
          { status: 'on', startedAt: kyiv('2025-10-15T00:00'), endedAt: kyiv('2025-10-26T23:30') },
          { status: 'off', startedAt: kyiv('2025-10-26T23:30'), endedAt: kyiv('2025-10-27T01:00') },
          { status: 'on', startedAt: kyiv('2025-10-27T01:00'), endedAt: null },
        ],
        placeCreatedAt: 0,
        now: kyiv('2025-10-27T12:00'),
        timeZone: KYIV,
        t: translatorFor(i18n, 'en'),
        placeName: 'Home',
      }),
    );
    const [r, g, b] = pixelAt(autumn, 5, 24.75, 25);
    assert.ok(r > g + 40 && r > b + 40, `the 25th hour of 26 Oct should be (dimmed) red, got ${[r, g, b]}`);
    assert.deepEqual(pixelAt(autumn, 4, 24.75, 25), [255, 255, 255], 'a 24-hour day ends at the 24 mark');
    assert.equal(family(pixelAt(autumn, 6, 0.5, 25)), 'red', 'today 00:00–01:00 off');
  });
});
