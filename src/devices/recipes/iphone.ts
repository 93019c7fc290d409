import { mainsUrlBlocks, phoneWarnings } from './phone-words.js';
import { pick, type RecipeSpec } from './recipe.js';

/** iPhone: two personal automations in Shortcuts, "Charger connected / disconnected → Get Contents of URL". */
export const iphoneRecipe: RecipeSpec = {
  kind: 'iphone',
  label: { uk: 'iPhone (Команди)', en: 'iPhone (Shortcuts)' },
  mode: 'event',
  build(input) {
    const { locale } = input;
    return {
      whereToPaste: pick(locale, {
        uk: 'Застосунок «Команди» (Shortcuts) → «Автоматизація»: дві автоматизації, адреси — з блоків нижче.',
        en: 'The Shortcuts app → Automation: two automations, with the addresses from the blocks below.',
      }),
      steps: (locale === 'uk'
        ? [
            'Відкрийте «Команди» → вкладка «Автоматизація» → «+» (Нова автоматизація).',
            'Оберіть «Зарядний пристрій» (Charger) → позначте «Під’єднано» (Is Connected) → «Запускати одразу» (Run Immediately) → «Далі».',
            '«Нова порожня автоматизація» → «Додати дію» → знайдіть «Отримати вміст URL» (Get Contents of URL).',
            'Замість «URL» вставте адресу 🟢 з блоку нижче → «Готово».',
            'Повторіть кроки 1–4 для «Від’єднано» (Is Disconnected) з адресою 🔴.',
            'Перевірка: від’єднайте й під’єднайте зарядку — місце стане 🔴, а тоді 🟢.',
          ]
        : [
            'Open Shortcuts → the Automation tab → “+” (New Automation).',
            'Choose Charger → tick “Is Connected” → “Run Immediately” → Next.',
            '“New Blank Automation” → “Add Action” → find “Get Contents of URL”.',
            'Put the 🟢 address from the block below in place of “URL” → Done.',
            'Repeat steps 1–4 for “Is Disconnected” with the 🔴 address.',
            'Check: unplug and plug the charger back — the place turns 🔴, then 🟢.',
          ]),
      blocks: mainsUrlBlocks(input),
      warnings: phoneWarnings(input),
    };
  },
};
