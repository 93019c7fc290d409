import type { InviteStore } from './invite-store.js';
import type { PersonProfile, SubscriberStore } from './subscriber-store.js';

/**
 * Someone opened an invite link: `/start <token>` in a private chat.
 *
 * Integration: the bot's /start handler, for a payload that `isInviteTokenShape` accepts (before
 * the admin check, like the setup-code claim), calls `joinByInvite` and answers with the Fluent
 * text of the outcome: people-join-subscribed / -already / -renewed / -expired / -unknown, each
 * with { $place } where there is one (escape it for HTML); -subscribed also takes { $quiet }, the
 * person's quiet hours in words (`describeQuietHours(subscribers.person(id).quiet, t)`).
 * Works for admins too: an admin may also want a place's alerts in their private chat.
 */

export type JoinOutcome =
  | { outcome: 'subscribed' | 'already'; placeId: number; placeName: string }
  | { outcome: 'renewed' | 'expired'; placeName: string }
  | { outcome: 'unknown' };

export function joinByInvite(
  stores: { invites: Pick<InviteStore, 'check'>; subscribers: Pick<SubscriberStore, 'subscribe'> },
  token: string,
  person: PersonProfile,
  now: number,
): JoinOutcome {
  const invite = stores.invites.check(token, now);
  switch (invite.status) {
    case 'unknown':
      return { outcome: 'unknown' };
    case 'renewed':
    case 'expired':
      return { outcome: invite.status, placeName: invite.placeName };
    case 'valid': {
      // Synchronous from the check to the insert: nothing can renew the link in between.
      const result = stores.subscribers.subscribe(invite.placeId, person, now);
      if (result === 'place_missing') return { outcome: 'unknown' };
      return { outcome: result, placeId: invite.placeId, placeName: invite.placeName };
    }
  }
}
