import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GlobalFonts } from '@napi-rs/canvas';
import { PNG } from 'pngjs';
import { DIAGRAM_FONT_FAMILY } from '../../src/diagram/fonts.js';
import { DIAGRAM_HEIGHT, DIAGRAM_PIXEL_RATIO, DIAGRAM_WIDTH, dayCenterY, hourToX } from '../../src/diagram/layout.js';
import { renderWeekDiagram } from '../../src/diagram/render-png.js';
import { createI18n, translatorFor } from '../../src/telegram/translator.js';
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
    assert.equal(family(pixelAt(image, 6, 20)), 'grey', 'Wed 19 after now: the future');
  });

  it('draws the previous week dimmed: paler than the same status this week', () => {
    const thisWeekOn = pixelAt(image, 4, 10); // Mon 17, on 06:30–13:00
    const lastWeekOn = pixelAt(image, 0, 13.5); // Thu 13, on 10:30–17:00 (off the 3-hour marks)
    assert.equal(family(lastWeekOn), 'green');
    assert.notDeepEqual(lastWeekOn, thisWeekOn);
    assert.ok(lastWeekOn[0] > thisWeekOn[0] + 60, `dimmed ${lastWeekOn} should be much lighter than ${thisWeekOn}`);
    const lastWeekUnknown = pixelAt(image, 0, 2); // Thu 13 before the location existed (05:20)
    assert.equal(family(lastWeekUnknown), 'grey');
    assert.ok(lastWeekUnknown[0] > pixelAt(image, 6, 20)[0], 'dimmed unknown is lighter than today’s unknown');
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
        locationCreatedAt: 0,
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
