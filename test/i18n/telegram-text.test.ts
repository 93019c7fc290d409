import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DateTime } from 'luxon';
import type { Alert } from '../../src/outbox/payload-parts.js';
import { summarizeSnooze } from '../../src/people/snooze-summary.js';
import { formatDelayed, formatDigest, formatFlapping } from '../../src/alerts/alert-message.js';
import { CAPTION_LIMIT, fitHtml, fitList, fitPayload, fitPlain, htmlToPlain, MESSAGE_LIMIT, plainFallback, telegramLength } from '../../src/i18n/telegram-text.js';
import { createI18n, translatorFor } from '../../src/i18n/translator.js';
import { htmlParseError } from '../support/fake-bot-api.js';
import { captionRefusal, messageTextRefusal, telegramTextLength } from '../support/telegram-limits.js';

const KYIV = 'Europe/Kyiv';
const i18n = createI18n();
const at = (hhmm: string): number => DateTime.fromISO(`2026-11-20T${hhmm}`, { zone: KYIV }).toMillis();

/** What the fake (as Telegram) would say of `html` as a message: undefined when it is accepted. */
function refusal(html: string, limit = MESSAGE_LIMIT): string | undefined {
  const parse = htmlParseError(html);
  if (parse) return parse;
  return limit === MESSAGE_LIMIT ? messageTextRefusal(html, 'HTML') : captionRefusal(html, 'HTML');
}

describe('measuring and fitting text as Telegram counts it', () => {
  test('tags count nothing, an entity counts one, an emoji two', () => {
    assert.equal(telegramLength('<b>a &lt; b</b>'), 5);
    assert.equal(telegramLength('🔴 x'), 4);
    assert.equal(telegramLength('<b>x</b>', { html: false }), 8);
    assert.equal(telegramLength('a &amp; &#128308; &#x1F7E2;'), 7);
  });

  test('a text that fits is left alone; one that does not is cut at a line end, tags closed, never inside an entity or an emoji', () => {
    assert.equal(fitHtml('<b>short</b>', 100), '<b>short</b>');
    const lines = Array.from({ length: 400 }, (_, i) => `<b>line ${i}</b> &lt;${i}&gt; 🔴`);
    const html = `<i>${lines.join('\n')}</i>`;
    const fitted = fitHtml(html, MESSAGE_LIMIT);
    assert.ok(telegramLength(fitted) <= MESSAGE_LIMIT);
    assert.ok(telegramLength(fitted) > MESSAGE_LIMIT - 40, 'nearly all the room is used');
    assert.equal(refusal(fitted), undefined);
    assert.match(fitted, /🔴\n…<\/i>$|🔴<\/i>\n…$/);
    // One endless line: cut mid-line, still whole entities and emoji.
    for (let shift = 0; shift < 6; shift += 1) {
      const long = `${'x'.repeat(shift)}${'&lt;🔴<b>é</b>'.repeat(3000)}`;
      const cut = fitHtml(long, CAPTION_LIMIT);
      assert.equal(refusal(cut, CAPTION_LIMIT), undefined, `shift ${shift}`);
      assert.ok(!/&[a-z]*$|&[a-z]*…/.test(cut.replace(/&lt;/g, '')), 'no broken entity');
      assert.ok(!/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/.test(cut), 'no half emoji');
    }
  });

  test('plain fallbacks have no markup and fit with room to spare', () => {
    assert.equal(htmlToPlain('<b>Кафе &lt;Світанок&gt;</b> &amp; &#128308;'), 'Кафе <Світанок> & 🔴');
    assert.equal(fitPlain('🔴'.repeat(10), 6), '🔴🔴…');
    const fallback = plainFallback(`<b>${'слово '.repeat(5000)}</b>`);
    assert.ok(fallback.length <= 2000);
    assert.equal(messageTextRefusal(fallback, undefined), undefined);
  });

  test('every bot payload is fitted: texts, captions, media captions; a payload that fits is the same object', () => {
    const long = `<b>${'Дача &amp; '.repeat(1000)}</b>`;
    const sent = fitPayload('sendMessage', { chat_id: 1, text: long, parse_mode: 'HTML' });
    assert.equal(refusal(String(sent.text)), undefined);
    const plain = fitPayload('editMessageText', { chat_id: 1, message_id: 2, text: 'x'.repeat(5000) });
    assert.equal(String(plain.text).length, MESSAGE_LIMIT);
    const photo = fitPayload('sendPhoto', { chat_id: 1, caption: long, parse_mode: 'HTML' });
    assert.equal(refusal(String(photo.caption), CAPTION_LIMIT), undefined);
    const media = fitPayload('editMessageMedia', { media: { type: 'photo', media: 'f', caption: long, parse_mode: 'HTML' } }).media as { caption: string };
    assert.equal(refusal(media.caption, CAPTION_LIMIT), undefined);
    const short = { chat_id: 1, text: '<b>ok</b>', parse_mode: 'HTML' };
    assert.equal(fitPayload('sendMessage', short), short);
    assert.equal(fitPayload('answerCallbackQuery', { text: long }).text, long, 'other methods are left alone');
  });

  test('fitList keeps the newest lines that fit and says how many are folded', () => {
    const lines = Array.from({ length: 1000 }, (_, i) => `line ${i}`);
    const text = fitList(lines, (shown, hidden) => `${hidden} earlier\n${shown.join('\n')}`, 200);
    assert.ok(telegramLength(text) <= 200);
    assert.match(text, /^\d+ earlier\n/);
    assert.match(text, /line 999$/);
    const hidden = Number(/^(\d+)/.exec(text)![1]);
    assert.equal(text.split('\n').length - 1 + hidden, 1000, 'every line is shown or counted');
  });
});

describe('the builders stay inside the limits at any size', () => {
  const t = translatorFor(i18n, 'uk');
  const longName = `${'Дуже довга назва & <місця> 🏠 '.repeat(3)}`.slice(0, 64);
  const context = { placeName: longName, timeZone: KYIV, now: at('15:00'), t };
  const flicker = (count: number): Alert[] => {
    const alerts: Alert[] = [];
    for (let i = 0; i < count; i += 1) {
      const off = at('12:00') + i * 40_000;
      alerts.push({ kind: 'power_off', at: off, previousMs: 20_000 } as Alert, { kind: 'power_on', at: off + 20_000, fromUptime: false, offSince: off, offMs: 20_000 } as Alert);
    }
    return alerts;
  };

  test('a delayed pile of thousands of changes is a summary line and the last five', () => {
    for (const count of [1, 6, 13, 250, 5000]) {
      const text = formatDelayed(flicker(count), context);
      assert.equal(refusal(text), undefined, `${count} outages`);
      if (count > 12) {
        assert.match(text, new RegExp(`⚡ ${(count - 5).toLocaleString('uk')} відключен\\S+ з 12:00 до [\\d. :]+, разом \\d`));
        assert.equal(text.split('\n').filter((line) => line.startsWith('🔴')).length, 5);
      }
    }
  });

  test('flapping, digests, snooze summaries and admin-sized piles fit', () => {
    assert.equal(refusal(formatFlapping(flicker(3000), context)), undefined);
    assert.match(formatFlapping(flicker(3000), context), /⚡ 2\s998 відключень з 12:00 до 21\.11 21:18/);
    const entries = Array.from({ length: 500 }, (_, i) => ({ placeName: `${longName}${i}`, alerts: flicker(3), delayed: true }));
    const digest = formatDigest(entries, { timeZone: KYIV, now: at('15:00'), t, total: 500, off: 0 });
    assert.equal(refusal(digest), undefined);
    assert.match(digest, /…і ще \d+/);
    const snooze = summarizeSnooze(flicker(3000), context)!;
    assert.equal(refusal(snooze.text), undefined);
  });

  test('the fake refuses what Telegram refuses, in its words', () => {
    assert.equal(messageTextRefusal('x'.repeat(4096), undefined), undefined);
    assert.equal(messageTextRefusal('x'.repeat(4097), undefined), 'message is too long');
    assert.equal(messageTextRefusal(`<b>${'&lt;'.repeat(4096)}</b>`, 'HTML'), undefined);
    assert.equal(messageTextRefusal('<b> </b>', 'HTML'), 'message text is empty');
    assert.equal(captionRefusal('🔴'.repeat(513), 'HTML'), 'message caption is too long');
    assert.equal(telegramTextLength('  a  ', undefined), 1);
  });
});
