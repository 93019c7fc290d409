/**
 * Telegram's limits on the text of a message, as the fake Bot API enforces them: a message's
 * text holds 4096 characters and a caption 1024, counted after entity parsing (HTML tags gone, an
 * entity such as `&lt;` one character, leading and trailing white space trimmed) in UTF-16 code
 * units. Past them Telegram answers 400 with these very words.
 */

export const MESSAGE_TEXT_LIMIT = 4096;
export const CAPTION_LIMIT = 1024;

export const MESSAGE_TOO_LONG = 'message is too long';
export const CAPTION_TOO_LONG = 'message caption is too long';
export const MESSAGE_TEXT_EMPTY = 'message text is empty';

/** Length as Telegram counts it: for HTML after its tags and entities are parsed. */
export function telegramTextLength(text: string, parseMode: string | undefined): number {
  const visible = parseMode?.toLowerCase() === 'html' ? text.replace(/<[^>]*>/g, '').replace(/&(#\d+|#x[0-9a-f]+|[a-z]+);/gi, '_') : text;
  return visible.trim().length;
}

/** Why Telegram refuses a message's text for its length (the description after "Bad Request: "), or undefined. */
export function messageTextRefusal(text: string, parseMode: string | undefined): string | undefined {
  const length = telegramTextLength(text, parseMode);
  if (length === 0) return MESSAGE_TEXT_EMPTY;
  return length > MESSAGE_TEXT_LIMIT ? MESSAGE_TOO_LONG : undefined;
}

/** Why Telegram refuses a caption for its length, or undefined (an empty caption is no caption). */
export function captionRefusal(caption: string, parseMode: string | undefined): string | undefined {
  return telegramTextLength(caption, parseMode) > CAPTION_LIMIT ? CAPTION_TOO_LONG : undefined;
}
