import type { User } from 'grammy/types';
import type { SubscriberStore } from '../../../people/subscriber-store.js';
import { asLocale, type Locale } from '../../../i18n/translator.js';

/** The language of a subscriber's chat: as they chose it (it is their alerts' too), else their Telegram client's. */
export function subscriberLocale(subscribers: Pick<SubscriberStore, 'person'>, user: Pick<User, 'id' | 'language_code'> | undefined): Locale {
  const chosen = user ? subscribers.person(user.id)?.language : undefined;
  return chosen ?? asLocale(user?.language_code);
}
