import { DateTime } from 'luxon';
import type { Alert } from '../monitor/state-machine.js';
import { alertPlanLines, type AlertPlan } from '../schedules/alert-plan.js';
import { formatDuration } from './duration.js';
import { escapeHtml } from './escape-html.js';
import type { Translate } from './translator.js';

export interface AlertContext {
  placeName: string;
  timeZone: string;
  /** When the message is written: times on another local day also show the date. */
  now: number;
  t: Translate;
}

/**
 * The channel post for one power change: an emoji and bold headline, the place, time and length,
 * then what the outage schedule said, when it was known (see schedules/alert-plan.ts).
 */
export function formatAlert(alert: Alert, context: AlertContext, plan?: AlertPlan): string {
  return withPlan(formatChange(alert, context), plan, context);
}

function formatChange(alert: Alert, context: AlertContext): string {
  const { t } = context;
  const place = escapeHtml(context.placeName);
  const time = (ms: number) => localTime(ms, context);
  switch (alert.kind) {
    case 'power_off':
      if (alert.notBefore !== undefined) {
        return t('alert-power-off-after-restart', { place, from: time(alert.notBefore), to: time(alert.at) });
      }
      return withSource(
        t('alert-power-off', {
          place,
          time: time(alert.at),
          previous: alert.previousMs === null ? 'none' : formatDuration(alert.previousMs, t),
        }),
        alert.confirmed ? t('alert-confirmed-off') : null,
      );
    case 'power_on': {
      const text = t('alert-power-on', { place, time: time(alert.at), duration: formatDuration(alert.offMs, t) });
      if (alert.confirmed) return withSource(text, t('alert-confirmed-on'));
      return alert.fromUptime ? `${text}\n${t('alert-power-on-uptime-note')}` : text;
    }
    case 'short_outage':
      return t('alert-short-outage', {
        place,
        from: time(alert.from),
        to: time(alert.to),
        duration: formatDuration(alert.to - alert.from, t),
      });
  }
}

/** How the change is known, under the headline lines: a device saw it (absent: inferred from silence). */
function withSource(text: string, source: string | null): string {
  return source === null ? text : `${text}\n${source}`;
}

/** The plan lines under a post, in the post's language; nothing when the plan was not known. */
function withPlan(text: string, plan: AlertPlan | undefined, context: AlertContext): string {
  if (!plan) return text;
  const lines = alertPlanLines(plan, { zone: context.timeZone, t: context.t });
  return lines.length === 0 ? text : `${text}\n${lines.join('\n')}`;
}

/**
 * Several changes of one place inside the flapping window, as one post that still lists what
 * happened, oldest first, and says where things stand now — with the plan context of the latest
 * change (`plan`), which is what "now" is measured against.
 */
export function formatFlapping(alerts: Alert[], context: AlertContext, plan?: AlertPlan): string {
  const { t } = context;
  const time = (ms: number) => localTime(ms, context);
  const changes = alerts.map((alert) => {
    switch (alert.kind) {
      case 'power_off':
        return t('alert-change-off', { time: time(alert.at) });
      case 'power_on':
        return t('alert-change-on', { time: time(alert.at) });
      case 'short_outage':
        return t('alert-change-short', { from: time(alert.from), to: time(alert.to) });
    }
  });
  const last = alerts[alerts.length - 1];
  const nowOff = last?.kind === 'power_off';
  const text = t('alert-flapping', {
    place: escapeHtml(context.placeName),
    changes: changes.join('\n'),
    now: t(nowOff ? 'alert-flapping-now-off' : 'alert-flapping-now-on'),
  });
  return withPlan(text, plan, context);
}

/** "14:05", or "22.11 23:58" when the moment is on another local day than now. */
export function localTime(ms: number, context: Pick<AlertContext, 'timeZone' | 'now'>): string {
  const moment = DateTime.fromMillis(ms, { zone: context.timeZone });
  const today = DateTime.fromMillis(context.now, { zone: context.timeZone });
  return moment.hasSame(today, 'day') ? moment.toFormat('HH:mm') : moment.toFormat('dd.MM HH:mm');
}

/** When an alert's change happened (its end, for a short outage). */
export function alertTime(alert: Alert): number {
  return alert.kind === 'short_outage' ? alert.to : alert.at;
}

/** A post that goes out this much later than its change says it was delayed. */
export const DELAY_WORTH_SAYING_MS = 2 * 60_000;

/**
 * Alerts of one place that piled up while delivery was down (Telegram or the network failing),
 * as one post: what happened meanwhile, an outage and its return on one line ("🔴 14:02–🟢 16:40,
 * не було 2 год 38 хв"), and how things stand now. A single late alert is the usual post with a
 * note that it is late. `plan` is the plan context of the latest change, as in formatFlapping.
 */
export function formatDelayed(alerts: Alert[], context: AlertContext, plan?: AlertPlan): string {
  const { t } = context;
  if (alerts.length === 1) {
    const alert = alerts[0]!;
    const text = formatAlert(alert, context, plan);
    const late = context.now - alertTime(alert);
    return late < DELAY_WORTH_SAYING_MS ? text : `${text}\n${t('alert-delayed-note', { delay: formatDuration(late, t) })}`;
  }
  const last = alerts[alerts.length - 1];
  const text = t('alert-delayed', {
    place: escapeHtml(context.placeName),
    changes: changeLines(alerts, context).join('\n'),
    now: t(last?.kind === 'power_off' ? 'alert-flapping-now-off' : 'alert-flapping-now-on'),
  });
  return withPlan(text, plan, context);
}

/** One line per outage: gone and back on one line when both are known, oldest first. */
function changeLines(alerts: Alert[], context: AlertContext): string[] {
  const { t } = context;
  const time = (ms: number) => localTime(ms, context);
  const lines: string[] = [];
  for (let i = 0; i < alerts.length; i += 1) {
    const alert = alerts[i]!;
    const next = alerts[i + 1];
    if (alert.kind === 'power_off' && next?.kind === 'power_on') {
      lines.push(t('alert-span-off-on', { from: time(alert.at), to: time(next.at), duration: formatDuration(next.at - alert.at, t) }));
      i += 1;
    } else if (alert.kind === 'power_off') {
      lines.push(t('alert-change-off', { time: time(alert.at) }));
    } else if (alert.kind === 'power_on') {
      lines.push(t('alert-change-on-after', { time: time(alert.at), duration: formatDuration(alert.offMs, t) }));
    } else {
      lines.push(t('alert-change-short', { from: time(alert.from), to: time(alert.to) }));
    }
  }
  return lines;
}

/** One place's changes in a digest. */
export interface DigestEntry {
  placeName: string;
  alerts: Alert[];
  /** The changes reach the chat late (delivery was down). */
  delayed: boolean;
}

export interface DigestContext {
  timeZone: string;
  now: number;
  t: Translate;
  /** Watched places posting to the chat, and how many of them are off now. */
  total: number;
  off: number;
}

/** A digest lists at most this many places (a Telegram message holds 4096 characters). */
export const DIGEST_MAX_LINES = 30;

/**
 * Many places of one chat changing at once (a building's entrances in one channel), as one post:
 * "⚡ 14:02 — 12 з 40 місць без світла", then a line per place with its latest change.
 */
export function formatDigest(entries: DigestEntry[], context: DigestContext): string {
  const { t } = context;
  const time = (ms: number) => localTime(ms, context);
  const latest = Math.max(...entries.map((entry) => alertTime(entry.alerts[entry.alerts.length - 1]!)));
  const lines = entries.slice(0, DIGEST_MAX_LINES).map((entry) => {
    const alert = entry.alerts[entry.alerts.length - 1]!;
    const place = escapeHtml(entry.placeName);
    const line =
      alert.kind === 'power_off'
        ? t('alert-digest-off', { place, time: time(alert.at) })
        : alert.kind === 'power_on'
          ? t('alert-digest-on', { place, time: time(alert.at), duration: formatDuration(alert.offMs, t) })
          : t('alert-digest-short', { place, from: time(alert.from), to: time(alert.to) });
    return entry.alerts.length > 1 ? `${line} ${t('alert-digest-changes', { count: entry.alerts.length })}` : line;
  });
  if (entries.length > DIGEST_MAX_LINES) lines.push(t('alert-digest-more', { count: entries.length - DIGEST_MAX_LINES }));
  if (entries.some((entry) => entry.delayed)) lines.push(t('alert-digest-delayed'));
  return t('alert-digest', { time: time(latest), off: context.off, total: context.total, lines: lines.join('\n') });
}
