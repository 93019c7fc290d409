import { headerComment, intervalLine, urlWarnings } from './common-words.js';
import { quoted } from './quoting.js';
import { pick, type RecipeInput, type RecipeSpec } from './recipe.js';

export const ESPHOME_PACKAGE_FILE = 'power-monitor.yaml';

/**
 * ESPHome: a package (a YAML file the device's own YAML includes) with `http_request` and an
 * `interval` that posts the heartbeat, the key in `request_headers`.
 */
export const esphomeRecipe: RecipeSpec = {
  kind: 'esphome',
  label: { uk: 'ESPHome', en: 'ESPHome' },
  mode: 'heartbeat',
  build(input) {
    const { locale } = input;
    const warnings = urlWarnings(input.heartbeatUrl, locale);
    if (/^https:/i.test(input.heartbeatUrl)) {
      warnings.push(
        pick(locale, {
          uk: 'ℹ️ verify_ssl: false — бо ESPHome на ESP8266 не перевіряє сертифікатів і без цього не збере прошивку. На ESP32 можна поставити true: тоді сертифікат сервера перевірятиметься.',
          en: 'ℹ️ verify_ssl: false — ESPHome on an ESP8266 cannot check certificates and refuses to build otherwise. On an ESP32 you may set it to true, and the server’s certificate gets checked.',
        }),
      );
    }
    return {
      whereToPaste: pick(locale, {
        uk: `Збережіть як ${ESPHOME_PACKAGE_FILE} поруч із YAML пристрою в ESPHome, додайте до нього рядки packages (другий блок) і натисніть Install.`,
        en: `Save it as ${ESPHOME_PACKAGE_FILE} next to the device’s YAML in ESPHome, add the packages lines (the second block) to it and press Install.`,
      }),
      steps: [intervalLine(input)],
      blocks: [
        { caption: ESPHOME_PACKAGE_FILE, text: esphomePackage(input), fileName: ESPHOME_PACKAGE_FILE, language: 'yaml' },
        {
          caption: pick(locale, { uk: 'У YAML пристрою', en: 'In the device’s YAML' }),
          text: `packages:\n  power_monitor: !include ${ESPHOME_PACKAGE_FILE}\n`,
          language: 'yaml',
        },
      ],
      warnings,
    };
  },
};

export function esphomePackage(input: RecipeInput): string {
  const timeoutS = Math.max(2, Math.min(10, input.intervalS - 1));
  return [
    ...headerComment(input, '#'),
    'http_request:',
    `  timeout: ${timeoutS}s`,
    '  verify_ssl: false',
    '',
    'interval:',
    `  - interval: ${input.intervalS}s`,
    '    then:',
    '      - http_request.post:',
    `          url: ${quoted(input.heartbeatUrl)}`,
    '          request_headers:',
    `            Authorization: ${quoted(`Bearer ${input.key}`)}`,
    '            Content-Type: "application/json"',
    '          body: "{}"',
    '',
  ].join('\n');
}
