import { mainsUrlBlocks, phoneWarnings } from './phone-words.js';
import { pick, type RecipeSpec } from './recipe.js';

/** Android, Tasker: one "Power" state profile, its enter task and exit task each an HTTP Request. */
export const taskerRecipe: RecipeSpec = {
  kind: 'tasker',
  label: { uk: 'Android (Tasker)', en: 'Android (Tasker)' },
  mode: 'event',
  build(input) {
    const { locale } = input;
    return {
      whereToPaste: pick(locale, {
        uk: 'Tasker → «Профілі» (Profiles) → «+»: профіль «Живлення» з двома завданнями, адреси — з блоків нижче.',
        en: 'Tasker → Profiles → “+”: a Power profile with two tasks, with the addresses from the blocks below.',
      }),
      steps: (locale === 'uk'
        ? [
            'Tasker → «Профілі» (Profiles) → «+» → «Стан» (State) → «Живлення» (Power) → «Живлення» (Power), джерело: будь-яке (Any).',
            'Нове завдання (Enter Task) «Світло є» → «+» → «Мережа» (Net) → «HTTP-запит» (HTTP Request): метод GET, URL — адреса 🟢 з блоку нижче.',
            'Довго натисніть на завдання профілю → «Додати завдання виходу» (Add Exit Task) → «Світла немає» → HTTP-запит GET з адресою 🔴.',
            'Вимкніть для Tasker оптимізацію батареї в налаштуваннях Android.',
          ]
        : [
            'Tasker → Profiles → “+” → State → Power → Power, Source: Any.',
            'New Enter Task “Power on” → “+” → Net → HTTP Request: method GET, URL — the 🟢 address from the block below.',
            'Long-press the profile’s task → Add Exit Task → “Power off” → HTTP Request GET with the 🔴 address.',
            'Turn battery optimisation off for Tasker in Android’s settings.',
          ]),
      blocks: mainsUrlBlocks(input),
      warnings: phoneWarnings(input),
    };
  },
};
