import { urlWarnings } from './common-words.js';
import { commentText, shellWord } from './quoting.js';
import { pick, type RecipeInput, type RecipeSpec } from './recipe.js';

export const NUT_SCRIPT_PATH = '/etc/nut/power-monitor-notify.sh';

/**
 * A UPS watched by NUT: upsmon runs NOTIFYCMD with NOTIFYTYPE=ONBATT when the UPS loses the mains
 * and ONLINE when it is back; the script turns that into a one-shot event (mains off / on). It is
 * dated by `ms_ago` (how long before this attempt upsmon called), not by the machine's clock, so a
 * clock that is off does not misdate it; retried a few times under one `id`, so a retry whose first
 * attempt did arrive is a no-op on the server.
 */
export const nutRecipe: RecipeSpec = {
  kind: 'nut',
  label: { uk: 'ДБЖ через NUT (upsmon)', en: 'UPS through NUT (upsmon)' },
  mode: 'event',
  build(input) {
    const { locale } = input;
    return {
      whereToPaste: pick(locale, {
        uk: `На машині з upsmon: перший блок — у терміналі (запише ${NUT_SCRIPT_PATH}), другий — в upsmon.conf (/etc/nut/ або /etc/ups/), далі: sudo upsmon -c reload.`,
        en: `On the machine running upsmon: the first block in a terminal (it writes ${NUT_SCRIPT_PATH}), the second into upsmon.conf (/etc/nut/ or /etc/ups/), then: sudo upsmon -c reload.`,
      }),
      steps: [
        pick(locale, {
          uk: 'ДБЖ бачить мережу: щойно він перейде на батарею, бот дізнається про відключення за секунди, а коли мережа повернеться — про світло.',
          en: 'The UPS sees the mains: as soon as it goes on battery, the bot learns of the cut within seconds, and of the power when the mains returns.',
        }),
        pick(locale, {
          uk: 'NOTIFYCMD в upsmon.conf може бути лише один: якщо він уже є, викличте цей скрипт і зі свого.',
          en: 'upsmon.conf takes one NOTIFYCMD: if there is one already, call this script from yours as well.',
        }),
        pick(locale, {
          uk: 'Перевірка: sudo NOTIFYTYPE=ONBATT sh /etc/nut/power-monitor-notify.sh, потім NOTIFYTYPE=ONLINE.',
          en: 'Check: sudo NOTIFYTYPE=ONBATT sh /etc/nut/power-monitor-notify.sh, then NOTIFYTYPE=ONLINE.',
        }),
      ],
      blocks: [
        { caption: pick(locale, { uk: 'У терміналі', en: 'In the terminal' }), text: nutInstall(input), language: 'sh' },
        { caption: 'upsmon.conf', text: nutUpsmonLines(), language: 'text' },
        { caption: 'power-monitor-notify.sh', text: nutScript(input), fileName: 'power-monitor-notify.sh', language: 'sh' },
      ],
      warnings: [
        ...urlWarnings(input.eventUrl, locale),
        pick(locale, {
          uk: '⚠️ Щоб повідомити про відключення, машина з NUT і роутер мають працювати від ДБЖ, і потрібен curl.',
          en: '⚠️ To report a cut, the NUT machine and the router must run on the UPS, and curl must be installed.',
        }),
      ],
    };
  },
};

export function nutUpsmonLines(): string {
  return [`NOTIFYCMD ${NUT_SCRIPT_PATH}`, 'NOTIFYFLAG ONBATT SYSLOG+EXEC', 'NOTIFYFLAG ONLINE SYSLOG+EXEC', ''].join('\n');
}

export function nutScript(input: RecipeInput): string {
  return [
    '#!/bin/sh',
    `# Power Outage Monitor: ${commentText(input.deviceName)}`,
    '# upsmon runs this with NOTIFYTYPE: ONBATT (the mains went) or ONLINE (it is back).',
    `URL=${shellWord(input.eventUrl)}`,
    `KEY=${shellWord(input.key)}`,
    'case "$NOTIFYTYPE" in',
    '  ONBATT) MAINS=false ;;',
    '  ONLINE) MAINS=true ;;',
    '  *) exit 0 ;;',
    'esac',
    'START=$(date +%s)',
    'ID="nut-$START-$NOTIFYTYPE"',
    'MS_AGO=0',
    'for attempt in 1 2 3 4 5; do',
    '  if curl -fsS -m 10 -o /dev/null -X POST -H "Authorization: Bearer $KEY" -H "Content-Type: application/json" \\',
    '    -d "{\\"mains\\":$MAINS,\\"ms_ago\\":$MS_AGO,\\"id\\":\\"$ID\\"}" "$URL"; then',
    '    exit 0',
    '  fi',
    '  sleep 10',
    '  MS_AGO=$(( ($(date +%s) - START) * 1000 ))',
    'done',
    'exit 1',
    '',
  ].join('\n');
}

export function nutInstall(input: RecipeInput): string {
  return [`sudo tee ${NUT_SCRIPT_PATH} >/dev/null <<'EOF'`, nutScript(input).trimEnd(), 'EOF', `sudo chmod 755 ${NUT_SCRIPT_PATH}`, ''].join('\n');
}
