import type { Context, MiddlewareFn, Transformer } from 'grammy';
import { fitPayload } from '../i18n/telegram-text.js';

/**
 * Every text this service sends is HTML (user-typed names are escaped where they are put in), so
 * HTML is the default parse mode, set here once instead of at each call. A call that names its own
 * parse_mode keeps it. (@grammyjs/parse-mode 2 no longer offers a default; these few lines do.)
 */
const PARSE_MODE = 'HTML';

/** Methods whose `text` or `caption` is parsed, with `parse_mode` beside it in the payload. */
const FORMATTED_METHODS = new Set([
  'sendMessage',
  'editMessageText',
  'sendPhoto',
  'sendDocument',
  'sendVideo',
  'sendAnimation',
  'sendAudio',
  'sendVoice',
  'editMessageCaption',
  'copyMessage',
]);

type Payload = Record<string, unknown>;

/** The payload with parse_mode set where the method formats text and none was given; never mutated. */
export function withDefaultParseMode(method: string, payload: Payload): Payload {
  if (FORMATTED_METHODS.has(method)) return 'parse_mode' in payload ? payload : { ...payload, parse_mode: PARSE_MODE };
  if (method === 'editMessageMedia') {
    const media = payload.media as Payload | undefined;
    return media && 'caption' in media && !('parse_mode' in media) ? { ...payload, media: { ...media, parse_mode: PARSE_MODE } } : payload;
  }
  if (method === 'sendMediaGroup' && Array.isArray(payload.media)) {
    const media = (payload.media as Payload[]).map((item) => ('caption' in item && !('parse_mode' in item) ? { ...item, parse_mode: PARSE_MODE } : item));
    return { ...payload, media };
  }
  return payload;
}

/**
 * The API transformer: install on `bot.api.config` (and, through the plugin below, in conversations).
 * It also fits every text and caption to Telegram's limits (telegram-text.ts), as the parse mode counts them.
 */
export const defaultParseMode: Transformer = (prev, method, payload, signal) =>
  prev(method, fitPayload(method, withDefaultParseMode(method, payload as Payload)) as typeof payload, signal);

/**
 * Conversations build their own Api per context, which transformers on bot.api do not reach
 * (DESIGN §11): this plugin installs the same default there.
 */
export function conversationPlugins<C extends Context>(): MiddlewareFn<C>[] {
  return [
    (ctx, next) => {
      ctx.api.config.use(defaultParseMode);
      return next();
    },
  ];
}
