/**
 * Telegram's limits on what a message may say, and the one way to keep a text inside them.
 *
 * Telegram counts a text after entity parsing: HTML tags are gone, an entity such as `&lt;` is
 * one character, and the count is in UTF-16 code units (an emoji outside the BMP is two). A
 * message holds 4096 of them, a photo's or document's caption 1024. Every text the service
 * builds from parts of unbounded size (piles of alerts, lists of places, user-typed names) is
 * measured and fitted here, so Telegram never has a reason to refuse it for its length.
 */

export const MESSAGE_LIMIT = 4096;
export const CAPTION_LIMIT = 1024;

/** The mark left where a text was cut. */
const CUT_MARK = '…';

const ENTITY = /^&(#\d+|#x[0-9a-f]+|[a-z]+);/i;

/** One piece of an HTML text: a tag (no length), or what a reader sees (its length in code units). */
interface Token {
  html: string;
  length: number;
  /** For a tag: its name, and whether it opens or closes. */
  tag?: { name: string; closing: boolean };
  newline?: boolean;
}

function tokenize(html: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < html.length) {
    const char = html.charAt(i);
    if (char === '<') {
      const end = html.indexOf('>', i);
      if (end !== -1) {
        const inner = html.slice(i + 1, end);
        const name = /^\/?([A-Za-z][A-Za-z0-9-]*)/.exec(inner)?.[1]?.toLowerCase() ?? '';
        tokens.push({ html: html.slice(i, end + 1), length: 0, tag: { name, closing: inner.startsWith('/') } });
        i = end + 1;
        continue;
      }
    }
    if (char === '&') {
      const entity = ENTITY.exec(html.slice(i, i + 12));
      if (entity) {
        tokens.push({ html: entity[0], length: 1 });
        i += entity[0].length;
        continue;
      }
    }
    const code = html.charCodeAt(i);
    // A surrogate pair stays whole: a cut never splits an emoji.
    const width = code >= 0xd800 && code <= 0xdbff && i + 1 < html.length ? 2 : 1;
    tokens.push({ html: html.slice(i, i + width), length: width, ...(char === '\n' ? { newline: true } : {}) });
    i += width;
  }
  return tokens;
}

/** How long Telegram says `text` is: for HTML (the default) after its tags and entities are parsed. */
export function telegramLength(text: string, options: { html?: boolean } = {}): number {
  if (options.html === false) return text.length;
  return text.replace(/<[^>]*>/g, '').replace(/&(#\d+|#x[0-9a-f]+|[a-z]+);/gi, '_').length;
}

export function fits(text: string, limit: number, options: { html?: boolean } = {}): boolean {
  return telegramLength(text, options) <= limit;
}

/**
 * `html` as it is when it fits in `limit`; otherwise cut to fit, at the end of a line when one
 * ends in the second half of what fits (else mid-line, never inside a tag, an entity or an
 * emoji), the tags open there closed, and "…" where the rest was.
 */
export function fitHtml(html: string, limit: number): string {
  if (fits(html, limit)) return html;
  const tokens = tokenize(html);
  const budget = Math.max(0, limit - CUT_MARK.length - 1);
  let used = 0;
  let end = 0; // tokens[0..end) are kept
  let lastNewline = -1;
  for (const token of tokens) {
    if (used + token.length > budget) break;
    if (token.newline) lastNewline = end;
    used += token.length;
    end += 1;
  }
  const atLine = lastNewline >= 0 && visibleUpTo(tokens, lastNewline) >= budget / 2;
  const kept = tokens.slice(0, atLine ? lastNewline : end);
  return `${closeOpenTags(kept)}${atLine ? '\n' : ''}${CUT_MARK}`;
}

function visibleUpTo(tokens: Token[], end: number): number {
  return tokens.slice(0, end).reduce((length, token) => length + token.length, 0);
}

/** The kept tokens as HTML, with every tag still open at the cut closed (innermost first). */
function closeOpenTags(tokens: Token[]): string {
  const open: string[] = [];
  for (const token of tokens) {
    if (!token.tag) continue;
    if (token.tag.closing) {
      const at = open.lastIndexOf(token.tag.name);
      if (at !== -1) open.splice(at, 1);
    } else {
      open.push(token.tag.name);
    }
  }
  return tokens.map((token) => token.html).join('') + open.reverse().map((name) => `</${name}>`).join('');
}

/** Plain `text` (no parse mode) cut to `limit`, never inside an emoji. */
export function fitPlain(text: string, limit: number): string {
  if (text.length <= limit) return text;
  let end = Math.max(0, limit - CUT_MARK.length);
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}${CUT_MARK}`;
}

const NAMED_ENTITIES = new Map([['lt', '<'], ['gt', '>'], ['amp', '&'], ['quot', '"'], ['apos', "'"], ['nbsp', '\u00a0']]);

/** What a reader sees of an HTML text, as plain text: tags dropped, entities decoded. */
export function htmlToPlain(html: string): string {
  return html.replace(/<[^>]*>/g, '').replace(/&(#\d+|#x[0-9a-f]+|[a-z]+);/gi, (whole, body: string) => {
    if (body.startsWith('#x') || body.startsWith('#X')) return safeCodePoint(parseInt(body.slice(2), 16), whole);
    if (body.startsWith('#')) return safeCodePoint(parseInt(body.slice(1), 10), whole);
    return NAMED_ENTITIES.get(body.toLowerCase()) ?? whole;
  });
}

function safeCodePoint(code: number, fallback: string): string {
  return Number.isInteger(code) && code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : fallback;
}

/**
 * The longest list that fits: `render(shown, hidden)` with the last lines of `lines` shown and
 * the `hidden` oldest ones folded into whatever `render` says of them, dropping the oldest one by
 * one until the text fits in `limit` (fitted with fitHtml when even one line is too much).
 */
export function fitList(lines: readonly string[], render: (shown: readonly string[], hidden: number) => string, limit: number): string {
  // Binary search on how many lines to hide: more hidden is never longer than fewer, for the
  // renderers here (a count replaces the lines it stands for).
  let low = 0;
  let high = lines.length;
  if (fits(render(lines, 0), limit)) return render(lines, 0);
  while (low < high) {
    const middle = Math.floor((low + high) / 2);
    if (fits(render(lines.slice(middle), middle), limit)) high = middle;
    else low = middle + 1;
  }
  return fitHtml(render(lines.slice(low), low), limit);
}

/** A plain post is cut to this: far inside the limit however Telegram counts it. */
const FALLBACK_LIMIT = 2000;

/**
 * What goes out instead of a post Telegram refused for its content (too long, HTML it could not
 * parse): its plain text, without markup, cut well inside the limit. Sent without a parse mode,
 * it cannot be refused for either reason again.
 */
export function plainFallback(html: string): string {
  const text = fitPlain(htmlToPlain(html).trim(), FALLBACK_LIMIT);
  return text === '' ? '…' : text;
}

type Payload = Record<string, unknown>;

const TEXT_METHODS = new Set(['sendMessage', 'editMessageText']);
const CAPTION_METHODS = new Set(['sendPhoto', 'sendDocument', 'sendVideo', 'sendAnimation', 'sendAudio', 'sendVoice', 'editMessageCaption', 'copyMessage']);

/**
 * An outgoing Bot API payload with its text (4096) or caption (1024) fitted to Telegram's limits
 * as its parse mode counts them: the safety net under every screen the bot builds, so a long
 * list or name costs the end of a message, never the whole message. Never mutated.
 */
export function fitPayload(method: string, payload: Payload): Payload {
  if (TEXT_METHODS.has(method)) return fitField(payload, 'text', MESSAGE_LIMIT);
  if (CAPTION_METHODS.has(method)) return fitField(payload, 'caption', CAPTION_LIMIT);
  if (method === 'editMessageMedia' && typeof payload.media === 'object' && payload.media !== null) {
    const media = payload.media as Payload;
    const fitted = fitField(media, 'caption', CAPTION_LIMIT);
    return fitted === media ? payload : { ...payload, media: fitted };
  }
  if (method === 'sendMediaGroup' && Array.isArray(payload.media)) {
    const items = payload.media as Payload[];
    const fitted = items.map((item) => fitField(item, 'caption', CAPTION_LIMIT));
    return fitted.every((item, i) => item === items[i]) ? payload : { ...payload, media: fitted };
  }
  return payload;
}

function fitField(payload: Payload, field: 'text' | 'caption', limit: number): Payload {
  const value = payload[field];
  if (typeof value !== 'string') return payload;
  const html = typeof payload.parse_mode === 'string' && payload.parse_mode.toLowerCase() === 'html';
  if (fits(value, limit, { html })) return payload;
  return { ...payload, [field]: html ? fitHtml(value, limit) : fitPlain(value, limit) };
}
