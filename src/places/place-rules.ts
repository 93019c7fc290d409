import { randomBytes } from 'node:crypto';
import { isChatReference } from '../telegram/chat-reference.js';
import { isLocale, LOCALES, type Locale } from '../i18n/translator.js';

/**
 * A person typed something the location rules refuse. `message` (English) says what to type
 * instead, for the CLI and logs; `code` and `params` let the bot say the same in the admin's
 * language (locale key `location-error-<code>`).
 */
export class PlaceInputError extends Error {
  constructor(
    message: string,
    readonly code: PlaceErrorCode,
    readonly params: Record<string, string | number> = {},
  ) {
    super(message);
    this.name = 'PlaceInputError';
  }
}

export type PlaceErrorCode =
  | 'name-empty'
  | 'name-too-long'
  | 'name-control'
  | 'timeout-unreadable'
  | 'timeout-range'
  | 'channel-invalid'
  | 'language-invalid'
  | 'place-missing'
  | 'no-channel'
  | 'device-missing'
  | 'device-name-taken'
  | 'device-last';

export const NAME_MAX_LENGTH = 64;
export const TIMEOUT_MIN_S = 20;
export const TIMEOUT_MAX_S = 24 * 60 * 60;
export const DEFAULT_TIMEOUT_S = 60;

/** 24 random bytes: 192 bits, 32 URL-safe characters. */
export function newDeviceKey(): string {
  return randomBytes(24).toString('base64url');
}

/** The shape every device key has; anything else cannot match and is refused early. */
export const DEVICE_KEY_SHAPE = /^[A-Za-z0-9_-]{16,128}$/;

export function validateName(input: string): string {
  const name = input.replace(/\s+/g, ' ').trim();
  if (name.length === 0) throw new PlaceInputError('The name is empty. Type a short name such as "Home" or "Dacha".', 'name-empty');
  const length = [...name].length;
  if (length > NAME_MAX_LENGTH) {
    throw new PlaceInputError(`The name is too long (${length} characters); keep it to ${NAME_MAX_LENGTH}.`, 'name-too-long', { length, max: NAME_MAX_LENGTH });
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) throw new PlaceInputError('The name contains control characters; use plain text.', 'name-control');
  return name;
}

export function validateTimeout(input: number | string): number {
  const text = String(input).trim().toLowerCase();
  const shown = String(input).trim().slice(0, 20);
  // Any number of digits: "99999999" is a timeout out of range, like "0", not an unreadable one.
  const match = /^(\d+)\s*(s|sec|с|m|min|хв|h|год)?$/.exec(text);
  if (!match) {
    throw new PlaceInputError(
      `"${shown}" is not a timeout. Send seconds (e.g. 90) or minutes with "m" (e.g. 5m), from ${TIMEOUT_MIN_S} s to 24 h.`,
      'timeout-unreadable',
      { input: shown, min: TIMEOUT_MIN_S },
    );
  }
  const amount = Number(match[1]);
  const unit = match[2] ?? 's';
  const seconds = unit.startsWith('m') || unit === 'хв' ? amount * 60 : unit.startsWith('h') || unit === 'год' ? amount * 3600 : amount;
  if (!(seconds >= TIMEOUT_MIN_S && seconds <= TIMEOUT_MAX_S)) {
    throw new PlaceInputError(
      `A timeout of "${shown}" is out of range: use ${TIMEOUT_MIN_S} s to 24 h. Shorter gives false alerts on a slow Wi-Fi; longer reports outages late.`,
      'timeout-range',
      { input: shown, min: TIMEOUT_MIN_S },
    );
  }
  return seconds;
}

export function validateChannel(input: string): string {
  const channel = input.trim();
  if (!isChatReference(channel)) {
    throw new PlaceInputError('That is not a channel. Send its @username (e.g. @home_power) or its numeric id (e.g. -1001234567890).', 'channel-invalid');
  }
  return channel;
}

export function validateLanguage(input: string): Locale {
  const language = input.trim().toLowerCase();
  if (!isLocale(language)) {
    throw new PlaceInputError(`Language must be one of: ${LOCALES.join(', ')}.`, 'language-invalid', { choices: LOCALES.join(', ') });
  }
  return language;
}
