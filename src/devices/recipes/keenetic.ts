import { cronLoopNote, intervalLine, upsWarning, urlWarnings, withQuery } from './common-words.js';
import { everyFewSeconds } from './cron-line.js';
import { commentText, shellWord } from './quoting.js';
import { pick, type RecipeInput, type RecipeSpec } from './recipe.js';

/**
 * Keenetic with Entware (OPKG on a USB stick or the internal storage): the Entware cron and curl,
 * a line in /opt/etc/crontab (system format: with the user column).
 */
export const keeneticRecipe: RecipeSpec = {
  kind: 'keenetic',
  label: { uk: 'Роутер Keenetic (Entware)', en: 'Keenetic router (Entware)' },
  mode: 'heartbeat',
  build(input) {
    const { locale } = input;
    const { stepS } = keeneticCronLine(input);
    return {
      whereToPaste: pick(locale, {
        uk: 'Потрібен встановлений Entware. Увійдіть у його оболонку по SSH (ssh root@192.168.1.1 -p 222) і вставте блок цілком.',
        en: 'Entware must be installed. Log in to its shell over SSH (ssh root@192.168.1.1 -p 222) and paste the whole block.',
      }),
      steps: [intervalLine(input, stepS), cronLoopNote(locale, stepS)],
      blocks: [{ caption: pick(locale, { uk: 'В оболонці Entware', en: 'In the Entware shell' }), text: keeneticInstall(input), language: 'sh' }],
      warnings: [...urlWarnings(input.heartbeatUrl, locale), upsWarning(locale, { uk: 'роутер', en: 'the router' })],
    };
  },
};

export function keeneticCronLine(input: RecipeInput): { line: string; stepS: number } {
  // Entware's curl lives in /opt/bin, which a bare cron environment may not search.
  const call = `curl -fsS -m 5 -o /dev/null ${shellWord(withQuery(input.heartbeatUrl, { key: input.key }))}`;
  const { command, stepS } = everyFewSeconds(input.intervalS, call);
  return { line: `* * * * * root PATH=/opt/bin:/opt/sbin:$PATH; ${command}`, stepS };
}

export function keeneticInstall(input: RecipeInput): string {
  return [
    'opkg update && opkg install cron curl',
    "cat >> /opt/etc/crontab <<'EOF'",
    `# Power Outage Monitor: ${commentText(input.deviceName)}`,
    keeneticCronLine(input).line,
    'EOF',
    '/opt/etc/init.d/S10cron restart',
    '',
  ].join('\n');
}
