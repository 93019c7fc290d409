import { formatDuration } from '../i18n/duration.js';
import { escapeHtml } from '../i18n/escape-html.js';
import type { Translate } from '../i18n/translator.js';
import { clockTime } from './local-time.js';
import type { OffLookup, OnLookup } from './lookups.js';
import type { PlannedOutage, PlanInterval, QueueInfo } from '../outbox/payload-parts.js';
import type { PlanDiff } from './plan-diff.js';
import { dayStateAt, type QueuePlan, type UnknownReason } from './queue-plan.js';

/**
 * The schedule's words in posts: each function returns a Fluent key (all start with `plan-`, in
 * locales/*.ftl) and its variables, ready for `t(line.key, line.vars)`. `t` is needed for the few
 * variables that are words themselves (the queue, a duration). Times are local "HH:mm"; an
 * interval ending at midnight ends at "24:00", as published schedules write it.
 */
export interface PlanLine {
  key: string;
  vars: Record<string, string | number>;
}

export interface PlanTextContext {
  zone: string;
  t: Translate;
}

export function renderPlanLine(line: PlanLine, t: Translate): string {
  return t(line.key, line.vars);
}

/** "черга 3.1" / "queue 3.1" for the usual queues; the source's own name (escaped) for others ("ЦЕК 1.1"). */
export function queueName(queue: QueueInfo, t: Translate): string {
  const plain = /^(?:GPV)?(\d{1,2}\.\d{1,2})$/i.exec(queue.id)?.[1];
  if (plain !== undefined) return t('plan-queue', { queue: plain });
  return escapeHtml(queue.label ?? queue.id);
}

/** "18:00–21:30"; an end the plan cannot see reads "…". */
export function intervalText(interval: PlanInterval, zone: string, openEnd = false): string {
  return `${clockTime(interval.start, zone)}–${openEnd ? '…' : clockTime(interval.end, zone, { end: true })}`;
}

/** The line under an OFF alert; null when the plan is unknown (the line is dropped, never guessed). */
export function offPlanLine(lookup: OffLookup, queue: QueueInfo, ctx: PlanTextContext): PlanLine | null {
  const q = queueName(queue, ctx.t);
  switch (lookup.kind) {
    case 'unknown':
      return null;
    case 'unplanned':
      return { key: 'plan-off-unplanned', vars: { queue: q } };
    case 'planned':
    case 'possible': {
      const key = `plan-off-${lookup.kind}`;
      if (lookup.openEnd) return { key: `${key}-open`, vars: { queue: q } };
      return { key, vars: { queue: q, until: clockTime(lookup.interval.end, ctx.zone, { end: true }) } };
    }
  }
}

/** The lines under an ON alert: how the return compares with the plan, and what comes next. */
export function onPlanLines(lookup: OnLookup, ctx: PlanTextContext): PlanLine[] {
  if (lookup.kind === 'unknown') return [];
  const lines: PlanLine[] = [];
  const { comparison, next } = lookup;
  if (comparison) {
    const until = clockTime(comparison.interval.end, ctx.zone, { end: true });
    const kind = comparison.interval.kind;
    if (comparison.verdict === 'on-time') lines.push({ key: 'plan-on-on-time', vars: { until, kind } });
    else lines.push({ key: `plan-on-${comparison.verdict}`, vars: { until, kind, delta: formatDuration(Math.abs(comparison.deltaMs), ctx.t) } });
  }
  switch (next.kind) {
    case 'next':
      lines.push({
        key: next.tomorrow ? 'plan-on-next-tomorrow' : 'plan-on-next',
        vars: { interval: intervalText(next.interval, ctx.zone, next.openEnd), kind: next.interval.kind },
      });
      break;
    case 'none-today':
      lines.push({ key: 'plan-on-none-today', vars: {} });
      break;
    case 'none':
      lines.push({ key: 'plan-on-none', vars: {} });
      break;
  }
  return lines;
}

/** "⏰ О 18:00 за графіком вимкнуть світло (черга 3.1), до ~21:30" for a place's channel. */
export function warningMessage(outage: PlannedOutage, placeName: string, queue: QueueInfo, ctx: PlanTextContext): PlanLine {
  const vars = { place: escapeHtml(placeName), queue: queueName(queue, ctx.t), start: clockTime(outage.interval.start, ctx.zone) };
  if (outage.openEnd) return { key: 'plan-warning-open', vars };
  return { key: 'plan-warning', vars: { ...vars, end: clockTime(outage.interval.end, ctx.zone, { end: true }) } };
}

/** "📅 Графік на завтра змінився: +18:00–21:00, −09:00–12:00". */
export function changeMessage(role: 'today' | 'tomorrow', diff: PlanDiff, placeName: string, queue: QueueInfo, ctx: PlanTextContext): PlanLine {
  const mark = (sign: string) => (i: PlanInterval) => `${sign}${intervalText(i, ctx.zone)}${i.kind === 'possible' ? ` ${ctx.t('plan-possible-mark')}` : ''}`;
  const changes = [...diff.added.map(mark('+')), ...diff.removed.map(mark('−'))];
  return { key: 'plan-changed', vars: { day: role, changes: changes.join(', '), place: escapeHtml(placeName), queue: queueName(queue, ctx.t) } };
}

/** Tomorrow's plan when it first appears (for places that asked for it). */
export function tomorrowMessage(intervals: readonly PlanInterval[], placeName: string, queue: QueueInfo, ctx: PlanTextContext): PlanLine {
  const vars = { place: escapeHtml(placeName), queue: queueName(queue, ctx.t) };
  if (intervals.length === 0) return { key: 'plan-tomorrow-none', vars };
  return { key: 'plan-tomorrow', vars: { ...vars, intervals: dayLines(intervals, ctx.zone, ctx.t('plan-possible-mark')).join(', ') } };
}

/** A history line for a planned outage that did not happen. */
export function skippedLine(interval: Pick<PlanInterval, 'start' | 'end'>, zone: string): PlanLine {
  return { key: 'plan-skipped', vars: { interval: intervalText({ ...interval, kind: 'planned' }, zone) } };
}

/** "18:00–21:30" per interval, possible ones marked: the CLI's lines and the list in posts. */
export function dayLines(intervals: readonly PlanInterval[], zone: string, possibleMark: string): string[] {
  return intervals.map((i) => `${intervalText(i, zone)}${i.kind === 'possible' ? ` ${possibleMark}` : ''}`);
}

/**
 * The admin card's schedule line: the source and queue, and either the data's "as of" time or
 * why posts show no plan line now (with the data's age when there is data).
 */
export function healthLines(plan: QueuePlan, sourceId: string, queue: QueueInfo, now: number, ctx: PlanTextContext): PlanLine[] {
  const base = { source: escapeHtml(sourceId), queue: queueName(queue, ctx.t) };
  const status = plan.source;
  const today = dayStateAt(plan, now);
  const reason: UnknownReason | null = plan.blocked ?? (today.known ? null : today.reason);
  const lines: PlanLine[] = [];
  if (reason === null) {
    lines.push({ key: 'plan-health-ok', vars: { ...base, age: formatDuration(status.dataAgeMs ?? 0, ctx.t) } });
  } else {
    lines.push({ key: 'plan-health-unknown', vars: { ...base, reason: ctx.t(`plan-reason-${reason}`, { queue: escapeHtml(queue.id.replace(/^GPV/i, '')) }) } });
    if (status.dataAgeMs !== null) lines.push({ key: 'plan-health-age', vars: { age: formatDuration(status.dataAgeMs, ctx.t) } });
  }
  if (status.failures > 0 && status.lastError) lines.push({ key: 'plan-health-error', vars: { failures: status.failures, error: escapeHtml(status.lastError) } });
  return lines;
}
