import { DateTime } from 'luxon';

/** "14:05", or "22.11 23:58" when the moment is on another local day than now. */
export function localTime(ms: number, context: { timeZone: string; now: number }): string {
  const moment = DateTime.fromMillis(ms, { zone: context.timeZone });
  const today = DateTime.fromMillis(context.now, { zone: context.timeZone });
  return moment.hasSame(today, 'day') ? moment.toFormat('HH:mm') : moment.toFormat('dd.MM HH:mm');
}
