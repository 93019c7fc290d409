/**
 * What Telegram refuses in a message's keyboard, for the fake Bot API (fake-bot-api.ts asks this
 * for every call that carries `reply_markup`). The limits, and where they come from:
 * - callback_data is 1–64 bytes (Bot API docs, InlineKeyboardButton); outside that Telegram
 *   answers 400 "BUTTON_DATA_INVALID";
 * - at most 100 buttons in an inline keyboard, and the markup's JSON at most 10 KB: past either,
 *   400 "reply markup is too long" (not in the Bot API docs; observed and collected in
 *   tginfo/Telegram-Limits: "Keyboard buttons number: up to 100", "Message markup data: up to
 *   10 KB", and in client libraries' issue trackers);
 * - at most 8 buttons in a row of an inline keyboard, 12 in a row and 300 in all of a reply
 *   keyboard (observed limits client libraries keep to); the wording of Telegram's refusal for a
 *   row is not documented, so the fake answers as for a keyboard that is too big;
 * - a button's text may not be empty (MTProto's BUTTON_TEXT_INVALID), and an inline button needs
 *   an action ("Text buttons are unallowed in the inline keyboard").
 */

export const KEYBOARD_LIMITS = {
  inlineButtons: 100,
  inlineButtonsPerRow: 8,
  replyButtons: 300,
  replyButtonsPerRow: 12,
  callbackDataBytes: 64,
  markupBytes: 10 * 1024,
} as const;

const TOO_LONG = 'reply markup is too long';

/** Fields that make an inline button do something; one of them is required. */
const INLINE_ACTIONS = [
  'callback_data',
  'url',
  'web_app',
  'login_url',
  'switch_inline_query',
  'switch_inline_query_current_chat',
  'switch_inline_query_chosen_chat',
  'copy_text',
  'callback_game',
  'pay',
] as const;

/**
 * Why Telegram would refuse this `reply_markup` (its description after "Bad Request: "), or
 * undefined when it would take it. `markup` is the parameter as sent: a JSON string or an object.
 */
export function keyboardRefusal(markup: unknown): string | undefined {
  if (markup === undefined || markup === null) return undefined;
  const json = typeof markup === 'string' ? markup : JSON.stringify(markup);
  let parsed: unknown;
  try {
    parsed = typeof markup === 'string' ? JSON.parse(markup) : markup;
  } catch {
    return "can't parse reply keyboard markup JSON object";
  }
  if (!isRecord(parsed)) return "can't parse reply keyboard markup JSON object";
  if (Buffer.byteLength(json) > KEYBOARD_LIMITS.markupBytes) return TOO_LONG;
  if (Array.isArray(parsed.inline_keyboard)) return inlineRefusal(parsed.inline_keyboard);
  if (Array.isArray(parsed.keyboard)) return replyRefusal(parsed.keyboard);
  return undefined;
}

function inlineRefusal(rows: unknown[]): string | undefined {
  let total = 0;
  for (const row of rows) {
    if (!Array.isArray(row)) return "can't parse inline keyboard button: field \"inline_keyboard\" must be an Array of Arrays";
    if (row.length > KEYBOARD_LIMITS.inlineButtonsPerRow) return TOO_LONG;
    total += row.length;
    for (const button of row) {
      if (!isRecord(button) || typeof button.text !== 'string') return "can't parse inline keyboard button: Field \"text\" must be of type String";
      if (button.text.trim() === '') return 'BUTTON_TEXT_INVALID';
      if (!INLINE_ACTIONS.some((field) => button[field] !== undefined)) {
        return "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard";
      }
      const data = button.callback_data;
      if (data !== undefined && (typeof data !== 'string' || data.length === 0 || Buffer.byteLength(data) > KEYBOARD_LIMITS.callbackDataBytes)) {
        return 'BUTTON_DATA_INVALID';
      }
    }
  }
  return total > KEYBOARD_LIMITS.inlineButtons ? TOO_LONG : undefined;
}

function replyRefusal(rows: unknown[]): string | undefined {
  let total = 0;
  for (const row of rows) {
    if (!Array.isArray(row)) return "can't parse keyboard button: field \"keyboard\" must be an Array of Arrays";
    if (row.length > KEYBOARD_LIMITS.replyButtonsPerRow) return TOO_LONG;
    total += row.length;
    for (const button of row) {
      const text = typeof button === 'string' ? button : isRecord(button) ? button.text : undefined;
      if (typeof text !== 'string') return "can't parse keyboard button: Field \"text\" must be of type String";
      if (text.trim() === '') return 'BUTTON_TEXT_INVALID';
    }
  }
  return total > KEYBOARD_LIMITS.replyButtons ? TOO_LONG : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
