import { heartbeatIntervalFor, renderEsp32ConfigHeader } from '../../devices/esp32-config.js';
import type { Place } from '../../places/place-service.js';
import { escapeHtml } from '../../i18n/escape-html.js';
import type { Translate } from '../../i18n/translator.js';
import { timeoutText } from './place-text.js';

/** Placeholder host when PUBLIC_URL is not set: the admin knows where the server runs, we do not. */
export const UNKNOWN_HOST = '<this-server>';

/** The URL a device posts heartbeats to. */
export function heartbeatUrl(publicUrl: string | undefined, port: number): string {
  return `${publicUrl ?? `http://${UNKNOWN_HOST}:${port}`}/api/heartbeat`;
}

export interface Esp32ConfigView {
  /** HTML message: URL, key, interval and timeout, and what to do with the file. */
  text: string;
  /** The `config.h` to put next to the sketch. */
  header: string;
}

export function esp32ConfigView(place: Pick<Place, 'name' | 'api_key' | 'timeout_s'>, serverUrl: string, t: Translate): Esp32ConfigView {
  const interval = heartbeatIntervalFor(place.timeout_s);
  const lines = [
    t('config-title', { name: escapeHtml(place.name) }),
    t('config-body', { url: escapeHtml(serverUrl), key: escapeHtml(place.api_key), interval, timeout: timeoutText(place.timeout_s, t) }),
  ];
  if (serverUrl.includes(UNKNOWN_HOST)) lines.push(t('config-no-public-url', { host: escapeHtml(UNKNOWN_HOST) }));
  return {
    text: lines.join('\n'),
    header: renderEsp32ConfigHeader({
      placeName: place.name,
      serverUrl,
      deviceKey: place.api_key,
      heartbeatIntervalS: interval,
      timeoutS: place.timeout_s,
    }),
  };
}
