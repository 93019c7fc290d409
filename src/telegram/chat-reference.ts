/**
 * How Telegram names a chat a bot may post to: its numeric id (channels and groups are negative,
 * -1001234567890) or a public @username (a letter, then letters, digits and underscores: 4 to 32 in
 * all). Checked where a chat is typed in: the environment (DEFAULT_CHANNEL_ID) and a place's
 * channel.
 */
export function isChatReference(value: string): boolean {
  return /^-?\d{1,20}$/.test(value) || /^@[A-Za-z][A-Za-z0-9_]{3,31}$/.test(value);
}
