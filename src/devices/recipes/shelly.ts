import { headerComment, intervalLine, urlWarnings, withQuery } from './common-words.js';
import { quoted } from './quoting.js';
import { pick, type RecipeInput, type RecipeSpec } from './recipe.js';

/**
 * Shelly Gen2+ (Plus, Pro, Gen3, Gen4): a Script in the device's own JavaScript (mJS/Espruino:
 * `let`, `function`, no arrow functions or template strings). `Timer.set` repeats the call;
 * `Shelly.call("HTTP.POST", {url, body, content_type, timeout})` sends it. HTTP.POST takes no
 * headers, so the key rides in the query (the service accepts `?key=` on the heartbeat).
 */
export const shellyRecipe: RecipeSpec = {
  kind: 'shelly',
  label: { uk: 'Shelly (Plus / Pro / Gen3 / Gen4)', en: 'Shelly (Plus / Pro / Gen3 / Gen4)' },
  mode: 'heartbeat',
  build(input) {
    const { locale } = input;
    return {
      whereToPaste: pick(locale, {
        uk: 'Вебсторінка Shelly (http://<IP Shelly>) → Scripts → Create script: вставте, Save, Start і ввімкніть «Run on startup».',
        en: 'The Shelly’s web page (http://<Shelly IP>) → Scripts → Create script: paste, Save, Start, and switch on “Run on startup”.',
      }),
      steps: [
        intervalLine(input),
        pick(locale, {
          uk: 'Shelly живиться від мережі, тож його сигнал зникає разом зі світлом. У консолі скрипта видно, якщо сервер не відповів.',
          en: 'A Shelly runs on the mains, so its heartbeat stops with the power. The script’s console shows it when the server does not answer.',
        }),
      ],
      blocks: [{ caption: pick(locale, { uk: 'Скрипт', en: 'Script' }), text: shellyScript(input), fileName: 'power-monitor-shelly.js', language: 'js' }],
      warnings: urlWarnings(input.heartbeatUrl, locale),
    };
  },
};

export function shellyScript(input: RecipeInput): string {
  // A request may take at most most of an interval, so calls never pile up (a Shelly allows few at once).
  const timeoutS = Math.max(2, Math.min(10, input.intervalS - 1));
  return [
    ...headerComment(input, '//'),
    `let HEARTBEAT_URL = ${quoted(withQuery(input.heartbeatUrl, { key: input.key }))};`,
    `let INTERVAL_MS = ${input.intervalS * 1000};`,
    '',
    'function sendHeartbeat() {',
    '  Shelly.call(',
    '    "HTTP.POST",',
    `    { url: HEARTBEAT_URL, body: "{}", content_type: "application/json", timeout: ${timeoutS} },`,
    '    function (result, error_code, error_message) {',
    '      if (error_code !== 0) {',
    '        print("Heartbeat not sent: " + error_message);',
    '      } else if (result.code !== 200) {',
    '        print("Heartbeat refused: HTTP " + result.code);',
    '      }',
    '    }',
    '  );',
    '}',
    '',
    'Timer.set(INTERVAL_MS, true, sendHeartbeat);',
    'sendHeartbeat();',
    '',
  ].join('\n');
}
