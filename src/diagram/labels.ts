import { formatDuration, IN_HOURS } from '../i18n/duration.js';
import type { Translate } from '../i18n/translator.js';
import type { WeekPlan } from './plan-strip.js';
import type { PowerStatus, WeekTimeline } from './timeline.js';

/** Every piece of text the diagram shows, already in the channel's language (plain text). */
export interface DiagramLabels {
  /** Place name and the week, e.g. "Home · 17–23 Nov". */
  title: string;
  /** One line of week totals, e.g. "Off: 5 h 20 min · outages: 3 · longest: 2 h 10 min". */
  totals: string;
  /** One per day of the week, oldest first: short weekday name and day of the month. */
  days: { weekday: string; dayOfMonth: string }[];
  /** Names of the bar kinds: the three states, and the part of today still to come. */
  legend: Record<PowerStatus | 'future', string>;
  /**
   * The schedule's line under the totals, when the week has a known plan: the planned hours so
   * far ("За графіком: 36 год", which names the strip's dark part too), and the name of its pale
   * part when possible outages are drawn.
   */
  plan?: { planned: string; possible: string | null };
  /** The legend entry of the mark on a change a device confirmed; absent when the week has none. */
  confirmed?: string;
}

/** The diagram's texts from the `diagram-*` messages in locales/, through the place's translator. */
export function diagramLabels(t: Translate, placeName: string, week: WeekTimeline, plan: WeekPlan | null = null): DiagramLabels {
  return {
    ...(plan ? { plan: planLabels(plan, t) } : {}),
    ...(week.confirmedEdges.length > 0 ? { confirmed: t('diagram-legend-confirmed') } : {}),
    title: t('diagram-title', { place: shortenName(placeName), week: formatWeekRange(week, t) }),
    totals: formatTotals(week, t),
    days: week.days.map((day) => ({
      weekday: t('diagram-weekday', { day: day.weekday }),
      dayOfMonth: String(Number(day.date.slice(8, 10))),
    })),
    legend: { on: t('diagram-legend-on'), off: t('diagram-legend-off'), unknown: t('diagram-legend-unknown'), future: t('diagram-legend-future') },
  };
}

function planLabels(plan: WeekPlan, t: Translate): NonNullable<DiagramLabels['plan']> {
  // "0 год" rather than "0 с": a week with a known plan and nothing planned so far.
  const planned = plan.plannedMs < 60_000 ? t('duration-hours', { n: 0 }) : formatDuration(plan.plannedMs, t, IN_HOURS);
  return { planned: t('diagram-plan-planned', { planned }), possible: plan.hasPossible ? t('diagram-plan-possible') : null };
}

/** Place names are typed by users; a long one is cut so the week still fits in the title. */
const MAX_NAME_LENGTH = 28;

function shortenName(placeName: string): string {
  const name = placeName.trim().replace(/\s+/g, ' ');
  const characters = [...name];
  if (characters.length <= MAX_NAME_LENGTH) return name;
  return `${characters.slice(0, MAX_NAME_LENGTH - 1).join('').trimEnd()}…`;
}

/** "17–23 Nov", or "27 Oct – 2 Nov" when the week crosses a month. */
function formatWeekRange(week: WeekTimeline, t: Translate): string {
  const first = parseDate(week.days[0]?.date);
  const last = parseDate(week.days[week.days.length - 1]?.date);
  const month = (number: number) => t('diagram-month', { month: number });
  // Day numbers go in as text: Fluent would format a number by the locale's rules.
  if (first.month === last.month) return t('diagram-week', { first: String(first.day), last: String(last.day), month: month(last.month) });
  return t('diagram-week-across-months', {
    first: String(first.day),
    firstMonth: month(first.month),
    last: String(last.day),
    lastMonth: month(last.month),
  });
}

function parseDate(isoDate: string | undefined): { month: number; day: number } {
  const [, month = '1', day = '1'] = (isoDate ?? '').split('-');
  return { month: Number(month), day: Number(day) };
}

function formatTotals(week: WeekTimeline, t: Translate): string {
  const { offMs, outages, longestOffMs } = week.totals;
  if (outages === 0) {
    const anythingKnown = week.days.some((day) => day.segments.some((segment) => segment.status !== 'unknown'));
    return t(anythingKnown ? 'diagram-no-outages' : 'diagram-no-data');
  }
  // Hours, not days, in a week's totals: "30 h" reads easier than "1 d 6 h" next to 24-hour bars.
  const duration = (ms: number) => formatDuration(ms, t, IN_HOURS);
  return t('diagram-totals', { off: duration(offMs), outages: String(outages), longest: duration(longestOffMs) });
}
