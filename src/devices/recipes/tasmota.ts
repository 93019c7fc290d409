import { headerComment, intervalLine, stepDividingMinute, urlWarnings, withQuery } from './common-words.js';
import { quoted } from './quoting.js';
import { pick, type RecipeBlock, type RecipeInput, type RecipeSpec } from './recipe.js';
import { isPlainHttp } from './reachability.js';

/**
 * Tasmota: on ESP32 builds, Berry (`tasmota.add_cron` with seconds + `webclient`, which speaks
 * HTTPS); on ESP8266 builds, which have no Berry, a Rule with `WebQuery`, which speaks plain HTTP
 * only — so it is offered only when the server's URL is http://.
 */
export const tasmotaRecipe: RecipeSpec = {
  kind: 'tasmota',
  label: { uk: 'Tasmota', en: 'Tasmota' },
  mode: 'heartbeat',
  build(input) {
    const { locale } = input;
    const plain = isPlainHttp(input.heartbeatUrl);
    const blocks: RecipeBlock[] = [
      {
        caption: pick(locale, { uk: 'ESP32 з Tasmota: Berry, файл autoexec.be', en: 'ESP32 with Tasmota: Berry, the file autoexec.be' }),
        text: tasmotaBerry(input),
        fileName: 'autoexec.be',
        language: 'berry',
      },
    ];
    if (plain) {
      blocks.push({
        caption: pick(locale, {
          uk: 'ESP8266 з Tasmota (без Berry): Rule + WebQuery — у Console, по рядку',
          en: 'ESP8266 with Tasmota (no Berry): Rule + WebQuery — in the Console, line by line',
        }),
        text: tasmotaRule(input),
        language: 'text',
      });
    }
    const warnings = urlWarnings(input.heartbeatUrl, locale);
    if (!plain) {
      warnings.push(
        pick(locale, {
          uk: '⚠️ Сервер працює через HTTPS, а Rule + WebQuery у Tasmota вміє лише HTTP: на ESP8266 (без Berry) цей рецепт не запрацює — потрібна плата на ESP32.',
          en: '⚠️ The server uses HTTPS, and Tasmota’s Rule + WebQuery speaks plain HTTP only: on an ESP8266 (no Berry) this recipe cannot work — use an ESP32 board.',
        }),
      );
    }
    return {
      whereToPaste: pick(locale, {
        uk: 'ESP32: Tools → Manage File system → створіть autoexec.be, вставте, збережіть і перезапустіть. ESP8266: Tools → Console.',
        en: 'ESP32: Tools → Manage File system → create autoexec.be, paste, save and restart. ESP8266: Tools → Console.',
      }),
      steps: [
        intervalLine(input, stepDividingMinute(input.intervalS)),
        pick(locale, {
          uk: 'Розклад Berry (cron) іде за годинником пристрою: час має синхронізуватися (NTP у Tasmota ввімкнено за замовчуванням).',
          en: 'The Berry schedule (cron) follows the device’s clock: its time must be synced (NTP is on by default in Tasmota).',
        }),
      ],
      blocks,
      warnings,
    };
  },
};

export function tasmotaBerry(input: RecipeInput): string {
  const step = stepDividingMinute(input.intervalS);
  const cron = step === 60 ? '0 * * * * *' : `*/${step} * * * * *`;
  return [
    ...headerComment(input, '#'),
    `var pom_url = ${quoted(input.heartbeatUrl)}`,
    `var pom_key = ${quoted(input.key)}`,
    '',
    'def pom_heartbeat()',
    '  var client = webclient()',
    '  client.begin(pom_url)',
    '  client.add_header("Authorization", "Bearer " + pom_key)',
    '  client.add_header("Content-Type", "application/json")',
    '  var code = client.POST("{}")',
    '  if code != 200',
    '    print("Heartbeat not sent: HTTP " + str(code))',
    '  end',
    '  client.close()',
    'end',
    '',
    'tasmota.remove_cron("pom_heartbeat")',
    `tasmota.add_cron(${quoted(cron)}, pom_heartbeat, "pom_heartbeat")`,
    '',
  ].join('\n');
}

/** Three console commands: the rule (restarting its timer after each call and at boot), enable it, start the timer now. */
export function tasmotaRule(input: RecipeInput): string {
  const every = Math.max(1, Math.round(input.intervalS));
  const url = withQuery(input.heartbeatUrl, { key: input.key });
  return [
    `Rule1 ON System#Boot DO RuleTimer1 ${every} ENDON ON Rules#Timer=1 DO Backlog WebQuery ${url} GET; RuleTimer1 ${every} ENDON`,
    'Rule1 1',
    `RuleTimer1 ${every}`,
  ].join('\n');
}
