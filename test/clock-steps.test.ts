import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ClockSteps, StepDetector, STEP_THRESHOLD_MS, type ClockStep } from '../src/clock-steps.js';
import { systemClock } from '../src/clock.js';
import { capturedLogger, LEVEL } from './support/captured-logger.js';
import { ManualClock } from './support/clock.js';

const HOUR = 3_600_000;

test('the detector: time passing is not a step, a jump of the wall clock alone is, either way', () => {
  const detector = new StepDetector(2_000);
  assert.equal(detector.observe(1_000_000, 50), null, 'the first reading only anchors');
  assert.equal(detector.observe(1_060_000, 60_050), null, 'a minute on both clocks');
  assert.deepEqual(detector.observe(1_061_000 + 2 * HOUR, 61_050), { deltaMs: 2 * HOUR, at: 1_061_000 + 2 * HOUR });
  assert.equal(detector.observe(1_062_000 + 2 * HOUR, 62_050), null, 'after the step it follows the new offset');
  assert.deepEqual(detector.observe(1_063_000, 63_050), { deltaMs: -2 * HOUR, at: 1_063_000 });
});

test('the detector: a change of wall - monotonic up to the threshold is drift, past it a step', () => {
  const detector = new StepDetector(2_000);
  // Readings as [monotonic, wall - monotonic].
  const read = (mono: number, offset: number) => detector.observe(mono + offset, mono);
  read(0, 0);
  assert.equal(read(1_000, 2_000), null, 'forward by exactly the threshold');
  assert.deepEqual(read(2_000, 4_001), { deltaMs: 2_001, at: 6_001 }, 'just past it');
  assert.equal(read(3_000, 2_001), null, 'back by exactly the threshold');
  assert.deepEqual(read(4_000, -1), { deltaMs: -2_002, at: 3_999 }, 'back past it');
});

test('the detector: slow drift (NTP slewing, 0.5 ms a second) never adds up to a step', () => {
  const detector = new StepDetector(STEP_THRESHOLD_MS);
  let wall = 1_000_000;
  for (let second = 0; second <= 7 * 24 * 3600; second += 1) {
    assert.equal(detector.observe(wall, second * 1_000), null);
    wall += 1_000.5;
  }
});

test('the watch: a step is logged once with its size and handed to every listener; a clock without monotonic time never steps', () => {
  const clock = new ManualClock();
  const { logger, lines } = capturedLogger('info');
  const watch = new ClockSteps(clock, logger);
  const seen: ClockStep[] = [];
  watch.onStep((step) => seen.push(step));
  watch.onStep(() => {
    throw new Error('a listener that fails');
  });
  watch.onStep((step) => seen.push(step));
  clock.advance(10 * 60_000);
  assert.equal(watch.check(), null);
  clock.step(-90 * 60_000);
  const step = watch.check();
  assert.deepEqual(step, { deltaMs: -90 * 60_000, at: clock.now() });
  assert.equal(watch.check(), null, 'seen once');
  assert.deepEqual(seen, [step, step], 'every listener had it, past one that failed');
  const warnings = lines.filter((line) => line.level === LEVEL.warn);
  assert.equal(warnings.length, 1);
  assert.equal(warnings[0]!.stepS, -5400);
  assert.equal(warnings[0]!.to, new Date(clock.now()).toISOString());
  assert.equal(lines.filter((line) => line.level === LEVEL.error).length, 1, 'the failing listener is logged');
  assert.equal(watch.count, 1);

  const wallOnly = { current: 0, now() { return this.current; } };
  const blind = new ClockSteps(wallOnly, logger);
  wallOnly.current += 5 * HOUR;
  assert.equal(blind.check(), null);
});

test('the production clock exposes monotonic time that runs with the wall clock', async () => {
  const watch = new ClockSteps(systemClock, capturedLogger().logger);
  const wall = systemClock.now();
  const mono = systemClock.monotonic!();
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.ok(systemClock.monotonic!() - mono >= 45);
  assert.ok(Math.abs(systemClock.now() - wall - (systemClock.monotonic!() - mono)) < 50);
  assert.equal(watch.check(), null);
});
