import type { DaySplit } from '../diagram/timeline.js';
import type { Translate } from '../i18n/translator.js';
import { formatDuration, IN_HOURS } from '../i18n/duration.js';
import type { PictureLabels } from './month-picture.js';
import type { PeriodTotals } from './summary.js';
import { sharePercent } from './texts.js';

/** The texts drawn on the month (or /stats) picture, from the report-* messages of a locale. */

export interface PictureLabelsInput {
  placeName: string;
  /** "Листопад 2025" or "21 жовтня – 19 листопада", as texts.ts formats them. */
  periodTitle: string;
  totals: PeriodTotals;
  days: readonly DaySplit[];
  t: Translate;
}

/** Place names are typed by users; a long one is cut so the period still fits in the title. */
const MAX_NAME_LENGTH = 28;
/** Unknown time shorter than this is rounding, not worth a word on the picture. */
const MEANINGFUL_MS = 60_000;

export function pictureLabels(input: PictureLabelsInput): PictureLabels {
  const { t, totals } = input;
  return {
    title: t('report-picture-title', { place: shortenName(input.placeName), period: input.periodTitle }),
    totals: totalsLines(totals, t),
    days: input.days.map((day) => ({
      weekday: capitalise(t('report-weekday', { weekday: day.weekday })),
      dayOfMonth: String(Number(day.date.slice(8, 10))),
    })),
    legend: {
      on: t('report-legend-on'),
      off: t('report-legend-off'),
      unknown: t('report-legend-unknown'),
      future: t('report-legend-future'),
    },
  };
}

function totalsLines(totals: PeriodTotals, t: Translate): string[] {
  if (totals.knownMs === 0) return [t('report-picture-no-data')];
  const unknown = totals.unknownMs >= MEANINGFUL_MS ? t('report-picture-unknown', { duration: formatDuration(totals.unknownMs, t, IN_HOURS) }) : null;
  if (totals.outages === 0 || totals.longest === null) {
    return [t('report-picture-no-outages'), ...(unknown ? [capitalise(unknown)] : [])];
  }
  const share = t('report-picture-share', { share: sharePercent(totals) });
  return [
    t('report-picture-totals', {
      duration: formatDuration(totals.offMs, t, IN_HOURS),
      outages: totals.outages,
      longest: formatDuration(totals.longest.ms, t, IN_HOURS),
    }),
    unknown ? `${share} · ${unknown}` : share,
  ];
}

function shortenName(placeName: string): string {
  const characters = [...placeName.trim().replace(/\s+/g, ' ')];
  if (characters.length <= MAX_NAME_LENGTH) return characters.join('');
  return `${characters.slice(0, MAX_NAME_LENGTH - 1).join('').trimEnd()}…`;
}

function capitalise(text: string): string {
  const [first = '', ...rest] = [...text];
  return first.toLocaleUpperCase() + rest.join('');
}
