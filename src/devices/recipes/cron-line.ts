import { stepDividingMinute } from './common-words.js';

/**
 * A crontab command that calls every `intervalS` seconds although cron starts it once a minute:
 * it loops inside the minute, each call in the background so a slow answer never shifts the beat.
 */
export function everyFewSeconds(intervalS: number, call: string): { command: string; stepS: number } {
  const stepS = stepDividingMinute(intervalS);
  if (stepS >= 60) return { command: call, stepS: 60 };
  const rounds = Array.from({ length: 60 / stepS }, (_, index) => index + 1).join(' ');
  return { command: `for i in ${rounds}; do ${call} & sleep ${stepS}; done`, stepS };
}
