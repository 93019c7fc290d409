import { headerComment, intervalLine, stepDividingMinute, upsWarning, urlWarnings } from './common-words.js';
import { quoted } from './quoting.js';
import { pick, type RecipeInput, type RecipeSpec } from './recipe.js';

/**
 * Home Assistant: a `rest_command` that posts the heartbeat and an automation that runs it on a
 * `time_pattern`. The automation sits under its own labelled key (`automation power_monitor:`)
 * so it lives beside the usual `automation: !include automations.yaml`.
 */
export const homeAssistantRecipe: RecipeSpec = {
  kind: 'home-assistant',
  label: { uk: 'Home Assistant', en: 'Home Assistant' },
  mode: 'heartbeat',
  build(input) {
    const { locale } = input;
    const stepS = stepDividingMinute(input.intervalS);
    return {
      whereToPaste: pick(locale, {
        uk: 'У кінець configuration.yaml (File editor або Studio Code Server); якщо rest_command: уже є — перенесіть запис у нього. Далі: Інструменти розробника → YAML → перевірити й перезапустити.',
        en: 'At the end of configuration.yaml (File editor or Studio Code Server); if rest_command: is already there, move the entry into it. Then Developer tools → YAML → check and restart.',
      }),
      steps: [intervalLine(input, stepS)],
      blocks: [{ caption: 'configuration.yaml', text: homeAssistantYaml(input), language: 'yaml' }],
      warnings: [...urlWarnings(input.heartbeatUrl, locale), upsWarning(locale, { uk: 'сервер Home Assistant (або роутер)', en: 'the Home Assistant box (or the router)' })],
    };
  },
};

export function homeAssistantYaml(input: RecipeInput): string {
  const stepS = stepDividingMinute(input.intervalS);
  const timeoutS = Math.max(2, Math.min(10, input.intervalS - 1));
  return [
    ...headerComment(input, '#'),
    'rest_command:',
    '  power_monitor_heartbeat:',
    `    url: ${quoted(input.heartbeatUrl)}`,
    '    method: post',
    '    headers:',
    `      Authorization: ${quoted(`Bearer ${input.key}`)}`,
    '    content_type: "application/json"',
    '    payload: "{}"',
    `    timeout: ${timeoutS}`,
    '',
    'automation power_monitor:',
    '  - id: power_monitor_heartbeat',
    '    alias: "Power monitor heartbeat"',
    '    mode: single',
    '    triggers:',
    '      - trigger: time_pattern',
    `        seconds: ${stepS >= 60 ? '0' : quoted(`/${stepS}`)}`,
    '    actions:',
    '      - action: rest_command.power_monitor_heartbeat',
    '',
  ].join('\n');
}
