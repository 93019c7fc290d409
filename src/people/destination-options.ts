import type { DestinationSettings } from './destination-store.js';
import { isQuietAt } from './quiet-hours.js';

/** What a post to a place's chat carries besides its content. */
export interface PostOptions {
  /** The forum topic of a supergroup, when the place posts into one. */
  message_thread_id?: number;
  /** Inside the chat's quiet hours: delivered at once, just without a sound. */
  disable_notification?: boolean;
}

/**
 * The options of a post to a place's chat at `at` (the moment it is handed to Telegram): its
 * topic, and silence inside the chat's quiet hours. Every post kind to the chat uses it, so a
 * topic gets alerts and diagrams alike.
 */
export function postOptions(settings: Pick<DestinationSettings, 'threadId' | 'quiet'>, at: number, timeZone: string): PostOptions {
  return {
    ...(settings.threadId === null ? {} : { message_thread_id: settings.threadId }),
    ...(isQuietAt(settings.quiet, at, timeZone) ? { disable_notification: true } : {}),
  };
}
