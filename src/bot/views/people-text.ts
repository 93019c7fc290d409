import type { DestinationSettings } from '../../people/destination-store.js';
import { formatQuietWindow } from '../../people/quiet-hours.js';
import { escapeHtml } from '../../i18n/escape-html.js';
import type { Translate } from '../../i18n/translator.js';

/**
 * How a place's posts reach its chat beyond the chat's name (HTML): into a group, or a topic of
 * it, and silently inside the chat's quiet hours. Nothing for a plain channel without them.
 */
export function destinationLines(settings: Pick<DestinationSettings, 'chatType' | 'threadId' | 'topicName' | 'quiet'>, title: string, t: Translate): string[] {
  const lines: string[] = [];
  const name = escapeHtml(title);
  if (settings.threadId !== null) {
    lines.push(t('people-destination-topic', { topic: escapeHtml(settings.topicName ?? `#${settings.threadId}`), title: name }));
  } else if (settings.chatType === 'group' || settings.chatType === 'supergroup') {
    lines.push(t('people-destination-group', { title: name }));
  }
  if (settings.quiet) lines.push(t('people-destination-quiet', { window: formatQuietWindow(settings.quiet) }));
  return lines;
}
