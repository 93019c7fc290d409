import type { OutboxRow } from '../outbox/outbox-store.js';

/** How many of a lane's waiting alerts go out now as one message, or until when they are held. */
export type AlertPacing = { send: number; late: boolean } | { holdUntil: number };

export interface AlertPacingRules {
  /** An alert first tried this long after it was due is late: the pile goes out as one message. */
  lateAfterMs: number;
  /** Alerts closer than this to the previous post are held and go out together (0: never held). */
  flapWindowMs: number;
}

/**
 * The pacing shared by channel and private alerts. Late (delivery failed before, or the head has
 * waited past `lateAfterMs`; a held row is not late): everything waiting goes as one message.
 * Otherwise, too soon after the previous post (`lastPostedAt`, read only when it matters): held
 * until the window ends, and whatever happens by then joins it. Otherwise: the head alone when
 * there is no flap window, everything waiting when there is.
 */
export function paceAlerts(
  head: Pick<OutboxRow, 'failing_since' | 'next_attempt_at'>,
  waiting: number,
  now: number,
  rules: AlertPacingRules,
  lastPostedAt: () => number | null | undefined,
): AlertPacing {
  if (head.failing_since !== null || now - head.next_attempt_at >= rules.lateAfterMs) return { send: waiting, late: true };
  if (rules.flapWindowMs <= 0) return { send: 1, late: false };
  const last = lastPostedAt();
  // A previous post "in the future" means the clock was stepped back since: no hold, not one for hours.
  if (last !== null && last !== undefined && last <= now && now < last + rules.flapWindowMs) return { holdUntil: last + rules.flapWindowMs };
  return { send: waiting, late: false };
}
