import { urlWarnings, withQuery } from './common-words.js';
import { pick, type RecipeBlock, type RecipeInput } from './recipe.js';

/** The two one-shot URLs a phone opens: the mains came back, the mains went. */
export function mainsUrls(input: RecipeInput): { on: string; off: string } {
  return {
    on: withQuery(input.eventUrl, { key: input.key, mains: 'on' }),
    off: withQuery(input.eventUrl, { key: input.key, mains: 'off' }),
  };
}

export function mainsUrlBlocks(input: RecipeInput): RecipeBlock[] {
  const urls = mainsUrls(input);
  return [
    { caption: pick(input.locale, { uk: '🟢 Зарядку під’єднано — світло є', en: '🟢 Charger connected — power is on' }), text: urls.on, language: 'text' },
    { caption: pick(input.locale, { uk: '🔴 Зарядку від’єднано — світла немає', en: '🔴 Charger disconnected — power is off' }), text: urls.off, language: 'text' },
  ];
}

/** A phone tells about the mains through its charger: true only while it stays on that charger at the place. */
export function phoneWarnings(input: RecipeInput): string[] {
  return [
    ...urlWarnings(input.eventUrl, input.locale),
    pick(input.locale, {
      uk: '⚠️ Кожне від’єднання зарядки бот сприйме як відключення світла: потрібен телефон, що постійно лежить удома на зарядці (старий телефон — саме те), з мобільним інтернетом, бо Wi-Fi роутер без світла теж вимкнеться.',
      en: '⚠️ Every time the charger is unplugged the bot takes it as a power cut: use a phone that stays on its charger at the place (an old phone is ideal), with mobile data, since the Wi-Fi router goes off with the power too.',
    }),
  ];
}
