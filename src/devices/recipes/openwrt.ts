import { commentText } from './quoting.js';
import { cronLoopNote, intervalLine, upsWarning, urlWarnings, withQuery } from './common-words.js';
import { everyFewSeconds } from './cron-line.js';
import { shellWord } from './quoting.js';
import { pick, type RecipeInput, type RecipeSpec } from './recipe.js';

/** OpenWrt: a line in /etc/crontabs/root calling the URL with the built-in wget (uclient-fetch). */
export const openwrtRecipe: RecipeSpec = {
  kind: 'openwrt',
  label: { uk: 'Роутер OpenWrt', en: 'OpenWrt router' },
  mode: 'heartbeat',
  build(input) {
    const { locale } = input;
    const { stepS } = openwrtCronLine(input);
    const warnings = [...urlWarnings(input.heartbeatUrl, locale), upsWarning(locale, { uk: 'роутер', en: 'the router' })];
    if (/^https:/i.test(input.heartbeatUrl)) {
      warnings.push(
        pick(locale, {
          uk: 'ℹ️ Для HTTPS у wget потрібна бібліотека SSL; якщо wget скаржиться: opkg update && opkg install libustream-mbedtls.',
          en: 'ℹ️ HTTPS in wget needs an SSL library; if wget complains: opkg update && opkg install libustream-mbedtls.',
        }),
      );
    }
    return {
      whereToPaste: pick(locale, {
        uk: 'Увійдіть на роутер по SSH (ssh root@192.168.1.1) і вставте блок цілком.',
        en: 'Log in to the router over SSH (ssh root@192.168.1.1) and paste the whole block.',
      }),
      steps: [intervalLine(input, stepS), cronLoopNote(locale, stepS)],
      blocks: [{ caption: pick(locale, { uk: 'У консолі роутера', en: 'In the router’s shell' }), text: openwrtInstall(input), language: 'sh' }],
      warnings,
    };
  },
};

export function openwrtCronLine(input: RecipeInput): { line: string; stepS: number } {
  const call = `wget -q -O /dev/null -T 5 ${shellWord(withQuery(input.heartbeatUrl, { key: input.key }))}`;
  const { command, stepS } = everyFewSeconds(input.intervalS, call);
  return { line: `* * * * * ${command}`, stepS };
}

export function openwrtInstall(input: RecipeInput): string {
  return [
    "cat >> /etc/crontabs/root <<'EOF'",
    `# Power Outage Monitor: ${commentText(input.deviceName)}`,
    openwrtCronLine(input).line,
    'EOF',
    // Cron is off on a fresh OpenWrt: enable it for the boots to come, restart it to read the line now.
    '/etc/init.d/cron enable',
    '/etc/init.d/cron restart',
    '',
  ].join('\n');
}
