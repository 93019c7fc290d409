import { intervalLine, upsWarning, urlWarnings } from './common-words.js';
import { routerOsString } from './quoting.js';
import { pick, type RecipeInput, type RecipeSpec } from './recipe.js';

export const MIKROTIK_SCHEDULER_NAME = 'power-monitor';

/**
 * MikroTik RouterOS (6.45+ and 7): a `/system scheduler` entry that runs `/tool fetch` every
 * interval and at startup. The key goes in a header: a `?` in a pasted line opens the terminal's
 * help, so the URL carries no query.
 */
export const mikrotikRecipe: RecipeSpec = {
  kind: 'mikrotik',
  label: { uk: 'Роутер MikroTik', en: 'MikroTik router' },
  mode: 'heartbeat',
  build(input) {
    const { locale } = input;
    return {
      whereToPaste: pick(locale, {
        uk: 'Winbox → New Terminal (або SSH на роутер): вставте обидва рядки.',
        en: 'Winbox → New Terminal (or SSH to the router): paste both lines.',
      }),
      steps: [intervalLine(input)],
      blocks: [{ caption: pick(locale, { uk: 'У терміналі RouterOS', en: 'In the RouterOS terminal' }), text: mikrotikCommands(input), language: 'routeros' }],
      warnings: [...urlWarnings(input.heartbeatUrl, locale), upsWarning(locale, { uk: 'роутер', en: 'the router' })],
    };
  },
};

export function mikrotikFetch(input: RecipeInput): string {
  return `/tool fetch url=${routerOsString(input.heartbeatUrl)} http-header-field=${routerOsString(`Authorization: Bearer ${input.key}`)} output=none`;
}

export function mikrotikCommands(input: RecipeInput): string {
  const name = routerOsString(MIKROTIK_SCHEDULER_NAME);
  return [
    `/system scheduler remove [find name=${name}]`,
    `/system scheduler add name=${name} interval=${input.intervalS}s start-time=startup on-event=${routerOsString(mikrotikFetch(input))}`,
    '',
  ].join('\n');
}
