import type { Alert, AlertPlan, QueueInfo } from '../outbox/payload-parts.js';
import { lookupOff, lookupOn } from './lookups.js';
import { offPlanLine, onPlanLines, renderPlanLine, type PlanTextContext } from './plan-text.js';
import { dayStateAt, type QueuePlan } from './queue-plan.js';

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
