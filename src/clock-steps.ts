import type { Clock } from './clock.js';
import type { Logger } from './logger.js';

/**
 * Steps of the wall clock: a home server without a real-time clock starts with a wrong time and
 * steps it when NTP answers (+2 h after its own power cut), an admin sets the date, a VM resumes.
 * The wall clock (`Clock.now`) is what is stored and shown; the monotonic clock (`Clock.monotonic`)
 * is what really passed. Their difference only drifts (NTP slews the wall clock by at most half a
 * millisecond a second); a change of it beyond STEP_THRESHOLD_MS between two readings is a step.
 * Whoever decides by elapsed time (the monitor's deadlines, the daily jobs' timers) is told, so a
 * step is never read as two hours of silence, nor as time running backwards.
 */

/** A change of wall − monotonic beyond this between two readings is a step, not drift. */
export const STEP_THRESHOLD_MS = 2_000;
/** How often the clocks are compared when nothing else reads them. */
export const WATCH_EVERY_MS = 1_000;

export interface ClockStep {
  /** How far the wall clock jumped: positive forward, negative back. */
  deltaMs: number;
  /** The wall time just after the step (the new clock's reading). */
  at: number;
}

/**
 * Pure: follows wall − monotonic from reading to reading. Each reading re-anchors it, so a slow
 * drift (NTP slewing) is followed without ever adding up to a step.
 */
export class StepDetector {
  private offset: number | null = null;

  constructor(private readonly thresholdMs = STEP_THRESHOLD_MS) {}

  /** The step between the previous reading and this one, if the wall clock made one. */
  observe(wall: number, monotonic: number): ClockStep | null {
    const offset = wall - monotonic;
    const previous = this.offset;
    this.offset = offset;
    if (previous === null) return null;
    const deltaMs = offset - previous;
    return Math.abs(deltaMs) > this.thresholdMs ? { deltaMs, at: wall } : null;
  }
}

export type ClockStepListener = (step: ClockStep) => void;

/**
 * Compares the clock's wall and monotonic readings every second, and whenever `check()` is called
 * (the monitor calls it before it reads the time for a decision, so a heartbeat is never stamped in
 * a base the stored times are not in). A step is logged once, with its size, and handed to the
 * listeners synchronously: they must only adjust memory and arm timers, never wait.
 */
export class ClockSteps {
  private readonly detector: StepDetector;
  private readonly listeners: ClockStepListener[] = [];
  private timer: NodeJS.Timeout | null = null;
  /** Steps seen since start. */
  count = 0;

  constructor(
    private readonly clock: Clock,
    private readonly logger: Logger,
    thresholdMs = STEP_THRESHOLD_MS,
  ) {
    this.detector = new StepDetector(thresholdMs);
    this.check();
  }

  onStep(listener: ClockStepListener): void {
    this.listeners.push(listener);
  }

  /** Compares the clocks now; returns the step found, if any (after the listeners had it). */
  check(): ClockStep | null {
    if (!this.clock.monotonic) return null;
    const step = this.detector.observe(this.clock.now(), this.clock.monotonic());
    if (!step) return null;
    this.count += 1;
    this.logger.warn(
      { stepS: Math.round(step.deltaMs / 1000), from: new Date(step.at - step.deltaMs).toISOString(), to: new Date(step.at).toISOString() },
      'the system clock stepped; no place is declared off or back on for it: deadlines and durations follow the time that really passed, and the times stored since this run started move with the clock (keep NTP running so the clock is right before the service starts)',
    );
    for (const listener of this.listeners) {
      try {
        listener(step);
      } catch (error) {
        this.logger.error({ err: error }, 'adjusting to a clock step failed');
      }
    }
    return step;
  }

  start(): void {
    if (this.timer) return;
    this.check();
    this.timer = setInterval(() => this.check(), WATCH_EVERY_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
