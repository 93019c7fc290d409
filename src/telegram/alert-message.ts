import { DateTime } from 'luxon';
import type { Alert } from '../monitor/state-machine.js';
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

/** The channel post for one power change: an emoji and bold headline, the place, time and length. */
export function formatAlert(alert: Alert, context: AlertContext): string {
  const { t } = context;
  const place = escapeHtml(context.placeName);
  const time = (ms: number) => localTime(ms, context);
  switch (alert.kind) {
    case 'power_off':
      if (alert.notBefore !== undefined) {
        return t('alert-power-off-after-restart', { place, from: time(alert.notBefore), to: time(alert.at) });
      }
      return t('alert-power-off', {
        place,
        time: time(alert.at),
        previous: alert.previousMs === null ? 'none' : formatDuration(alert.previousMs, t),
      });
    case 'power_on': {
      const text = t('alert-power-on', { place, time: time(alert.at), duration: formatDuration(alert.offMs, t) });
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

/**
 * Several changes of one place inside the flapping window, as one post that still lists what
 * happened, oldest first, and says where things stand now.
 */
export function formatFlapping(alerts: Alert[], context: AlertContext): string {
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
  return t('alert-flapping', {
    place: escapeHtml(context.placeName),
    changes: changes.join('\n'),
    now: t(nowOff ? 'alert-flapping-now-off' : 'alert-flapping-now-on'),
  });
}

/** "14:05", or "22.11 23:58" when the moment is on another local day than now. */
export function localTime(ms: number, context: Pick<AlertContext, 'timeZone' | 'now'>): string {
  const moment = DateTime.fromMillis(ms, { zone: context.timeZone });
  const today = DateTime.fromMillis(context.now, { zone: context.timeZone });
  return moment.hasSame(today, 'day') ? moment.toFormat('HH:mm') : moment.toFormat('dd.MM HH:mm');
}
