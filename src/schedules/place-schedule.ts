import type { ScheduleSnapshot } from './snapshot.js';
import type { QueueInfo } from '../outbox/payload-parts.js';
import { findQueue } from './snapshot.js';
import type { ScheduleSource } from './sources.js';

export const WARN_MINUTES = [0, 15, 30, 60] as const;
export type WarnMinutes = (typeof WARN_MINUTES)[number];

/**
 * A person chose a schedule the rules refuse. `message` (English) is for the CLI and logs;
 * `code` and `params` let the bot say the same in the admin's language (key `plan-error-<code>`).
 */
export class ScheduleInputError extends Error {
  constructor(
    message: string,
    readonly code: 'unknown-source' | 'unknown-queue' | 'no-copy' | 'warn-minutes',
    readonly params: Record<string, string | number> = {},
  ) {
    super(message);
    this.name = 'ScheduleInputError';
  }
}

/**
 * The source and queue a place may follow: the source must be configured, and the queue must be
 * one the source publishes (checked against its latest copy, so a typo cannot attach a place to
 * a queue that never gets a plan). Returns the source's own queue id ("3.1" → "GPV3.1").
 */
export function checkPlaceSchedule(
  sources: readonly ScheduleSource[],
  sourceId: string,
  queueInput: string,
  snapshot: Pick<ScheduleSnapshot, 'queues'> | undefined,
): { source: ScheduleSource; queue: QueueInfo } {
  const source = sources.find((s) => s.id === sourceId.trim());
  if (!source) {
    const known = sources.map((s) => s.id).join(', ');
    throw new ScheduleInputError(`There is no schedule source "${sourceId}". Known sources: ${known}.`, 'unknown-source', { source: sourceId, known });
  }
  if (!snapshot) {
    throw new ScheduleInputError(`The source "${source.id}" has not been read yet, so its queues are not known. Try again in a minute.`, 'no-copy', {
      source: source.id,
    });
  }
  const queue = findQueue(snapshot, queueInput);
  if (!queue) {
    const known = snapshot.queues.map((q) => q.id).join(', ');
    throw new ScheduleInputError(`The source "${source.id}" has no queue "${queueInput}". Its queues: ${known}.`, 'unknown-queue', {
      source: source.id,
      queue: queueInput,
      known,
    });
  }
  return { source, queue };
}

export function checkWarnMinutes(input: number | string): WarnMinutes {
  const minutes = Number(String(input).trim());
  if (!(WARN_MINUTES as readonly number[]).includes(minutes)) {
    throw new ScheduleInputError(`Warnings can come ${WARN_MINUTES.join(', ')} minutes ahead (0 turns them off).`, 'warn-minutes', {
      choices: WARN_MINUTES.join(', '),
    });
  }
  return minutes as WarnMinutes;
}
