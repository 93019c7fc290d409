import type { Alert } from '../monitor/state-machine.js';
import { lookupOff, lookupOn, type OffLookup, type OnLookup } from './lookups.js';
import { offPlanLine, onPlanLines, renderPlanLine, type PlanTextContext } from './plan-text.js';
import { dayStateAt, type QueuePlan } from './queue-plan.js';
import type { QueueInfo } from './snapshot.js';

/**
 * What the plan said about a power change at the moment it was decided, carried in the alert's
 * outbox row and rendered in the place's language when the post goes out. Taken at decision
 * time on purpose: a source that changes (or goes stale) before the post is sent must not
 * rewrite what the plan was when the power went. Only a known plan is carried: a stale, failed or
 * waiting plan gives no AlertPlan at all, so the post has no plan line (never "no outages"); a
 * day under emergency cuts gives `emergency`, and the post says "екстрені відключення" instead.
 */
export type AlertPlan = { queue: QueueInfo; off: KnownOffLookup } | { queue: QueueInfo; on: KnownOnLookup } | { queue: QueueInfo; emergency: true };

export type KnownOffLookup = Exclude<OffLookup, { kind: 'unknown' }>;
export type KnownOnLookup = Extract<OnLookup, { kind: 'known' }>;

/** The plan context of an alert, or null when there is none to give (unknown plan, a short outage). */
export function alertPlan(plan: QueuePlan, queue: QueueInfo, alert: Alert): AlertPlan | null {
  // Emergency cuts replace the schedule: the alert says so instead of a plan line (never a plan).
  if (alert.kind !== 'short_outage' && isEmergencyAt(plan, alert.at)) return { queue, emergency: true };
  switch (alert.kind) {
    case 'power_off': {
      const off = lookupOff(plan, alert.at);
      return off.kind === 'unknown' ? null : { queue, off };
    }
    case 'power_on': {
      const on = lookupOn(plan, alert.offSince, alert.at);
      return on.kind === 'unknown' ? null : { queue, on };
    }
    case 'short_outage':
      // A reboot inside the timeout: a blip, not an outage to set against the plan.
      return null;
  }
}

/** The source is fresh and says the day of `at` is under emergency cuts for this queue. */
export function isEmergencyAt(plan: QueuePlan, at: number): boolean {
  const state = dayStateAt(plan, at);
  return !state.known && state.reason === 'emergency';
}

/** The lines an alert post adds for its plan context, in the context's language. */
export function alertPlanLines(plan: AlertPlan, ctx: PlanTextContext): string[] {
  if ('emergency' in plan) return [ctx.t('plan-emergency-line')];
  if ('off' in plan) {
    const line = offPlanLine(plan.off, plan.queue, ctx);
    return line ? [renderPlanLine(line, ctx.t)] : [];
  }
  return onPlanLines(plan.on, ctx).map((line) => renderPlanLine(line, ctx.t));
}

/**
 * Whether a stored value is an AlertPlan this code can render. A row written by another version
 * (or damaged) loses its plan line, never its alert: see messages.ts.
 */
export function isAlertPlan(value: unknown): value is AlertPlan {
  if (!isRecord(value) || !isQueue(value.queue)) return false;
  if ('emergency' in value) return value.emergency === true;
  if ('off' in value) return isOffLookup(value.off);
  if ('on' in value) return isOnLookup(value.on);
  return false;
}

function isOffLookup(value: unknown): boolean {
  if (!isRecord(value)) return false;
  if (value.kind === 'unplanned') return true;
  return (value.kind === 'planned' || value.kind === 'possible') && isOutage(value);
}

function isOnLookup(value: unknown): boolean {
  if (!isRecord(value) || value.kind !== 'known') return false;
  const { comparison, next } = value;
  if (comparison !== null) {
    if (!isRecord(comparison) || !isOutage(comparison) || typeof comparison.deltaMs !== 'number') return false;
    if (!['later', 'earlier', 'on-time'].includes(String(comparison.verdict))) return false;
  }
  if (!isRecord(next)) return false;
  if (next.kind === 'none' || next.kind === 'none-today') return true;
  return next.kind === 'next' && typeof next.tomorrow === 'boolean' && isOutage(next);
}

function isOutage(value: Record<string, unknown>): boolean {
  const interval = value.interval;
  return (
    isRecord(interval) &&
    Number.isFinite(interval.start) &&
    Number.isFinite(interval.end) &&
    (interval.kind === 'planned' || interval.kind === 'possible') &&
    typeof value.openEnd === 'boolean' &&
    typeof value.openStart === 'boolean'
  );
}

function isQueue(value: unknown): boolean {
  return isRecord(value) && typeof value.id === 'string' && (value.label === null || typeof value.label === 'string');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
