import { mainsUrlBlocks, phoneWarnings } from './phone-words.js';
import { pick, type RecipeSpec } from './recipe.js';

/** Android, MacroDroid: two macros, "Power Connected / Disconnected → HTTP Request". */
export const macrodroidRecipe: RecipeSpec = {
  kind: 'macrodroid',
  label: { uk: 'Android (MacroDroid)', en: 'Android (MacroDroid)' },
  mode: 'event',
  build(input) {
    const { locale } = input;
    return {
      whereToPaste: pick(locale, {
        uk: 'MacroDroid → «Додати макрос»: два макроси, адреси — з блоків нижче.',
        en: 'MacroDroid → Add Macro: two macros, with the addresses from the blocks below.',
      }),
      steps: (locale === 'uk'
        ? [
            'MacroDroid → «Додати макрос» (Add Macro).',
            'Тригер: «Батарея/Живлення» (Battery/Power) → «Живлення під’єднано/від’єднано» (Power Connected/Disconnected) → «Під’єднано», будь-яке джерело (Any).',
            'Дія: «З’єднання» (Connectivity) → «HTTP-запит» (HTTP Request): метод GET, URL — адреса 🟢 з блоку нижче. Збережіть макрос.',
            'Другий макрос так само: «Від’єднано» (Disconnected) і адреса 🔴.',
            'У налаштуваннях Android вимкніть для MacroDroid оптимізацію батареї, щоб система не приспала його.',
          ]
        : [
            'MacroDroid → Add Macro.',
            'Trigger: Battery/Power → Power Connected/Disconnected → Connected, Any source.',
            'Action: Connectivity → HTTP Request: method GET, URL — the 🟢 address from the block below. Save the macro.',
            'A second macro the same way: Disconnected and the 🔴 address.',
            'In Android’s settings turn battery optimisation off for MacroDroid, so the system does not put it to sleep.',
          ]),
      blocks: mainsUrlBlocks(input),
      warnings: phoneWarnings(input),
    };
  },
};
