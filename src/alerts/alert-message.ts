import { DateTime } from 'luxon';
import type { Alert, AlertPlan } from '../outbox/payload-parts.js';
import { alertPlanLines } from '../schedules/alert-plan.js';
import { formatDuration } from '../i18n/duration.js';
import { escapeHtml } from '../i18n/escape-html.js';
import { fitHtml, fitList, fits, MESSAGE_LIMIT } from '../i18n/telegram-text.js';
import { localTime } from '../i18n/time-text.js';
import type { Translate } from '../i18n/translator.js';

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
  return fitHtml(withPlan(formatChange(alert, context), plan, context), MESSAGE_LIMIT);
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
        return shortLine(alert.from, alert.to, context);
    }
  });
  const last = alerts[alerts.length - 1];
  const nowOff = last?.kind === 'power_off';
  return foldedPile(changes, (hidden) => alerts.slice(0, hidden), context, (lines) =>
    withPlan(
      t('alert-flapping', {
        place: escapeHtml(context.placeName),
        changes: lines,
        now: t(nowOff ? 'alert-flapping-now-off' : 'alert-flapping-now-on'),
      }),
      plan,
      context,
    ),
  );
}

/** A pile longer than this many lines shows only its last PILE_TAIL_LINES, the rest summed up in one line. */
export const PILE_MAX_LINES = 12;
export const PILE_TAIL_LINES = 5;

/**
 * A pile's lines inside `render`, kept inside one Telegram message: past PILE_MAX_LINES (or
 * whatever fits, when less) the oldest lines are folded into one summary line — "⚡ 160 коротких
 * відключень з 14:02 до 14:20, разом 9 хв без світла" — and the last ones shown as they are.
 * `alertsOf(hidden)` gives the alerts the first `hidden` lines stand for.
 */
function foldedPile(lines: string[], alertsOf: (hidden: number) => Alert[], context: AlertContext, render: (lines: string) => string): string {
  const base = lines.length > PILE_MAX_LINES ? lines.length - PILE_TAIL_LINES : 0;
  return fitList(
    lines.slice(base),
    (shown, hidden) => {
      const folded = base + hidden;
      const summary = folded > 0 ? [pileSummary(alertsOf(folded), context)] : [];
      return render([...summary, ...shown].join('\n'));
    },
    MESSAGE_LIMIT,
  );
}

/** The summary line of the folded part of a pile: how many outages, from when to when, how long without power. */
function pileSummary(alerts: Alert[], context: AlertContext): string {
  const { t } = context;
  const spans = pileSpans(alerts);
  const first = spans[0];
  const last = spans[spans.length - 1];
  if (!first || !last) return '';
  const offMs = spans.reduce((sum, span) => sum + span.offMs, 0);
  const allShort = spans.every((span) => span.short);
  return t(allShort ? 'alert-pile-earlier-short' : 'alert-pile-earlier', {
    count: spans.length,
    from: localTime(first.from, context),
    to: localTime(last.to, context),
    duration: formatDuration(offMs, context.t),
  });
}

/** One outage of a pile: gone and back paired up, as the pile's lines show them. */
interface PileSpan {
  kind: 'off-on' | 'off' | 'on' | 'short';
  from: number;
  to: number;
  offMs: number;
  short: boolean;
  /** How many alerts it stands for. */
  alerts: number;
}

function pileSpans(alerts: readonly Alert[]): PileSpan[] {
  const spans: PileSpan[] = [];
  let pairedWithPrevious = false;
  for (const [i, alert] of alerts.entries()) {
    if (pairedWithPrevious) {
      pairedWithPrevious = false;
      continue;
    }
    const next = alerts[i + 1];
    if (alert.kind === 'power_off' && next?.kind === 'power_on') {
      spans.push({ kind: 'off-on', from: alert.at, to: next.at, offMs: next.at - alert.at, short: false, alerts: 2 });
      pairedWithPrevious = true;
    } else if (alert.kind === 'power_off') {
      spans.push({ kind: 'off', from: alert.at, to: alert.at, offMs: 0, short: false, alerts: 1 });
    } else if (alert.kind === 'power_on') {
      spans.push({ kind: 'on', from: alert.at - alert.offMs, to: alert.at, offMs: alert.offMs, short: false, alerts: 1 });
    } else {
      spans.push({ kind: 'short', from: alert.from, to: alert.to, offMs: alert.to - alert.from, short: true, alerts: 1 });
    }
  }
  return spans;
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
  const [alert] = alerts;
  if (alert && alerts.length === 1) {
    const text = formatAlert(alert, context, plan);
    const late = context.now - alertTime(alert);
    return late < DELAY_WORTH_SAYING_MS ? text : fitHtml(`${text}\n${t('alert-delayed-note', { delay: formatDuration(late, t) })}`, MESSAGE_LIMIT);
  }
  const last = alerts[alerts.length - 1];
  const spans = pileSpans(alerts);
  const lines = changeLines(spans, context);
  const alertsOf = (hidden: number) => alerts.slice(0, spans.slice(0, hidden).reduce((sum, span) => sum + span.alerts, 0));
  return foldedPile(lines, alertsOf, context, (changes) =>
    withPlan(
      t('alert-delayed', {
        place: escapeHtml(context.placeName),
        changes,
        now: t(last?.kind === 'power_off' ? 'alert-flapping-now-off' : 'alert-flapping-now-on'),
      }),
      plan,
      context,
    ),
  );
}

/** One line per outage (as pileSpans pairs them): gone and back on one line when both are known, oldest first. */
function changeLines(spans: readonly PileSpan[], context: AlertContext): string[] {
  const { t } = context;
  const time = (ms: number) => localTime(ms, context);
  return spans.map((span) => {
    switch (span.kind) {
      case 'off-on':
        return t('alert-span-off-on', { from: time(span.from), to: time(span.to), duration: formatDuration(span.offMs, t) });
      case 'off':
        return t('alert-change-off', { time: time(span.from) });
      case 'on':
        return t('alert-change-on-after', { time: time(span.to), duration: formatDuration(span.offMs, t) });
      case 'short':
        return shortLine(span.from, span.to, context);
    }
  });
}

/**
 * A pile's line for a short outage. Its ends fall in one minute more often than not (a board
 * rebooting every second or two): then to the second ("14:08:21–14:08:23"), or one moment when
 * even the seconds agree ("🟡 14:08:21 коротке відключення"), never "14:08–14:08".
 */
function shortLine(from: number, to: number, context: AlertContext): string {
  const { t } = context;
  const start = localTime(from, context);
  const end = localTime(to, context);
  if (start !== end) return t('alert-change-short', { from: start, to: end });
  const withSeconds = (ms: number, time: string) => `${time}:${DateTime.fromMillis(ms, { zone: context.timeZone }).toFormat('ss')}`;
  const [first, last] = [withSeconds(from, start), withSeconds(to, end)];
  return first === last ? t('alert-change-short-at', { time: first }) : t('alert-change-short', { from: first, to: last });
}

/** The entry's latest change: an entry is made of a place's due alerts, so it has one. */
function latestAlert(entry: DigestEntry): Alert {
  const alert = entry.alerts.at(-1);
  if (!alert) throw new Error(`the digest entry of ${entry.placeName} has no alert`);
  return alert;
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
  const latest = Math.max(...entries.map((entry) => alertTime(latestAlert(entry))));
  const lines = entries.map((entry) => {
    const alert = latestAlert(entry);
    const place = escapeHtml(entry.placeName);
    const line =
      alert.kind === 'power_off'
        ? t('alert-digest-off', { place, time: time(alert.at) })
        : alert.kind === 'power_on'
          ? t('alert-digest-on', { place, time: time(alert.at), duration: formatDuration(alert.offMs, t) })
          : t('alert-digest-short', { place, from: time(alert.from), to: time(alert.to) });
    return entry.alerts.length > 1 ? `${line} ${t('alert-digest-changes', { count: entry.alerts.length })}` : line;
  });
  const delayed = entries.some((entry) => entry.delayed) ? [t('alert-digest-delayed')] : [];
  // The first places are listed (up to DIGEST_MAX_LINES, fewer when long names would not fit), the rest counted.
  const render = (listed: number) => {
    const more = entries.length > listed ? [t('alert-digest-more', { count: entries.length - listed })] : [];
    return t('alert-digest', { time: time(latest), off: context.off, total: context.total, lines: [...lines.slice(0, listed), ...more, ...delayed].join('\n') });
  };
  let listed = Math.min(entries.length, DIGEST_MAX_LINES);
  while (listed > 0 && !fits(render(listed), MESSAGE_LIMIT)) listed -= 1;
  return fitHtml(render(listed), MESSAGE_LIMIT);
}
