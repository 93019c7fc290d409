import { intervalLine, upsWarning, urlWarnings } from './common-words.js';
import { systemdArg, systemdText } from './quoting.js';
import { pick, type RecipeInput, type RecipeSpec } from './recipe.js';

export const LINUX_UNIT = 'power-monitor-heartbeat';

/** Any Linux box with systemd: a oneshot service that runs curl, and a timer that starts it every interval. */
export const linuxRecipe: RecipeSpec = {
  kind: 'linux',
  label: { uk: 'Linux (systemd + curl)', en: 'Linux (systemd + curl)' },
  mode: 'heartbeat',
  build(input) {
    const { locale } = input;
    return {
      whereToPaste: pick(locale, {
        uk: 'У терміналі комп’ютера (потрібні sudo і curl): вставте блок цілком — він запише обидва файли в /etc/systemd/system і ввімкне таймер.',
        en: 'In the computer’s terminal (sudo and curl needed): paste the whole block — it writes both files to /etc/systemd/system and starts the timer.',
      }),
      steps: [
        intervalLine(input),
        pick(locale, {
          uk: `Перевірка: systemctl list-timers ${LINUX_UNIT}.timer; помилки: journalctl -u ${LINUX_UNIT}.service.`,
          en: `Check: systemctl list-timers ${LINUX_UNIT}.timer; errors: journalctl -u ${LINUX_UNIT}.service.`,
        }),
      ],
      blocks: [
        { caption: pick(locale, { uk: 'У терміналі', en: 'In the terminal' }), text: linuxInstall(input), language: 'sh' },
        { caption: `${LINUX_UNIT}.service`, text: linuxService(input), fileName: `${LINUX_UNIT}.service`, language: 'ini' },
        { caption: `${LINUX_UNIT}.timer`, text: linuxTimer(input), fileName: `${LINUX_UNIT}.timer`, language: 'ini' },
      ],
      warnings: [
        ...urlWarnings(input.heartbeatUrl, locale),
        upsWarning(locale, { uk: 'комп’ютер (ноутбук, міні-ПК) або роутер', en: 'the computer (a laptop, a mini PC) or the router' }),
      ],
    };
  },
};

export function linuxCurlArgs(input: RecipeInput): string[] {
  const timeoutS = Math.max(2, Math.min(10, input.intervalS - 1));
  return [
    '/usr/bin/curl',
    '-fsS',
    '-m',
    String(timeoutS),
    '-o',
    '/dev/null',
    '-X',
    'POST',
    '-H',
    `Authorization: Bearer ${input.key}`,
    '-H',
    'Content-Type: application/json',
    '-d',
    '{}',
    input.heartbeatUrl,
  ];
}

export function linuxService(input: RecipeInput): string {
  return [
    '[Unit]',
    `Description=Power Outage Monitor heartbeat (${systemdText(input.deviceName)})`,
    'Wants=network-online.target',
    'After=network-online.target',
    '',
    '[Service]',
    'Type=oneshot',
    `ExecStart=${linuxCurlArgs(input).map(systemdArg).join(' ')}`,
    '',
  ].join('\n');
}

export function linuxTimer(input: RecipeInput): string {
  return [
    '[Unit]',
    `Description=Power Outage Monitor heartbeat every ${input.intervalS} s (${systemdText(input.deviceName)})`,
    '',
    '[Timer]',
    'OnBootSec=10s',
    `OnUnitActiveSec=${input.intervalS}s`,
    'AccuracySec=1s',
    '',
    '[Install]',
    'WantedBy=timers.target',
    '',
  ].join('\n');
}

export function linuxInstall(input: RecipeInput): string {
  const file = (name: string, text: string) => [`sudo tee /etc/systemd/system/${name} >/dev/null <<'EOF'`, text.trimEnd(), 'EOF'];
  return [
    ...file(`${LINUX_UNIT}.service`, linuxService(input)),
    ...file(`${LINUX_UNIT}.timer`, linuxTimer(input)),
    'sudo systemctl daemon-reload',
    `sudo systemctl enable --now ${LINUX_UNIT}.timer`,
    '',
  ].join('\n');
}
