import { randomBytes } from 'node:crypto';

/**
 * Invite tokens and the links that carry them. A token is the payload of a Telegram deep link
 * (`https://t.me/<bot>?start=<token>`), which allows up to 64 characters of [A-Za-z0-9_-].
 * 24 random bytes give 192 bits, 32 base64url characters: unguessable, and never the shape of the
 * 16-character setup code that claims the bot (src/admins/setup-code.ts).
 *
 * Integration: the bot's `/start <payload>` asks `isInviteTokenShape(payload)` before looking the
 * token up (InviteStore.check does too); the admin's invite view shows `inviteLink(bot, token)`
 * with a button to `shareLink(link, text)`.
 */

const TOKEN_BYTES = 24;
export const INVITE_TOKEN_LENGTH = 32;
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{32}$/;

export function newInviteToken(): string {
  return randomBytes(TOKEN_BYTES).toString('base64url');
}

/** Whether a /start payload could be an invite token at all (a cheap check before any lookup). */
export function isInviteTokenShape(payload: string): boolean {
  return TOKEN_SHAPE.test(payload);
}

/** The deep link that opens the bot with the token. */
export function inviteLink(botUsername: string, token: string): string {
  const username = botUsername.replace(/^@/, '');
  if (!/^[A-Za-z0-9_]{5,32}$/.test(username)) throw new Error(`"${botUsername}" is not a Telegram bot username.`);
  if (!isInviteTokenShape(token)) throw new Error('An invite token is 32 characters of A–Z, a–z, 0–9, "_" and "-".');
  return `https://t.me/${username}?start=${token}`;
}

/** Telegram's share dialog for the link: the person picks a chat, the text goes with it. */
export function shareLink(link: string, text: string): string {
  return `https://t.me/share/url?url=${encodeURIComponent(link)}&text=${encodeURIComponent(text)}`;
}
