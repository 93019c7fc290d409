import type { Device } from '../../devices/device-store.js';
import { localTime } from '../../i18n/time-text.js';
import { formatDuration } from '../../i18n/duration.js';
import { escapeHtml } from '../../i18n/escape-html.js';
import type { ViewContext } from './place-text.js';

/**
 * One device of a place as its card shows it (HTML): when it was last heard and whether it is
 * silent now, how it reaches the internet, whether it sees the mains or runs on its battery, its
 * firmware and signal.
 */
export function deviceLine(device: Device, timeoutMs: number, view: ViewContext): string {
  const { t, now } = view;
  const time = (ms: number) => localTime(ms, view);
  const facts: string[] = [];
  if (device.last_seen_at === null) facts.push(t('device-never'));
  else if (device.last_heartbeat_at !== null && now - device.last_heartbeat_at >= timeoutMs) {
    facts.push(t('device-silent', { time: time(device.last_heartbeat_at), ago: formatDuration(now - device.last_heartbeat_at, t) }));
  } else facts.push(t('device-seen', { time: time(device.last_seen_at), ago: formatDuration(now - device.last_seen_at, t) }));
  if (device.awaiting_key_since !== null) facts.push(t('device-awaiting-key', { since: time(device.awaiting_key_since) }));
  if (device.link) facts.push(t(`device-link-${device.link}`));
  if (device.mains === 1) facts.push(t('device-mains-on', { since: time(device.mains_since ?? device.last_seen_at ?? now) }));
  else if (device.mains === 0) facts.push(t('device-mains-off', { since: time(device.mains_since ?? device.last_seen_at ?? now) }));
  if (device.fw) facts.push(t('place-device-fw', { fw: escapeHtml(device.fw) }));
  if (device.rssi !== null) facts.push(t('device-rssi', { rssi: device.rssi }));
  return t('device-line', { name: escapeHtml(device.name), facts: facts.join(' · ') });
}

/** The key and the two addresses of a device, to paste into what calls (HTML). */
export function deviceKeyText(device: Device, placeName: string, heartbeatUrl: string, eventUrl: string, t: ViewContext['t']): string {
  return t('device-key', {
    name: escapeHtml(device.name),
    place: escapeHtml(placeName),
    key: escapeHtml(device.api_key),
    heartbeat: escapeHtml(heartbeatUrl),
    event: escapeHtml(eventUrl),
    example: escapeHtml(`${eventUrl}?key=${device.api_key}&mains=off`),
  });
}
