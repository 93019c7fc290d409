import type { PowerStatus, WeekTimeline } from './timeline.js';

/** Every piece of text the diagram shows, already in the channel's language. */
export interface DiagramLabels {
  /** Place name and the week, e.g. "Home · 17–23 Nov". */
  title: string;
  /** One line of week totals, e.g. "Off: 5 h 20 min · outages: 3 · longest: 2 h 10 min". */
  totals: string;
  /** One per day of the week, oldest first: short weekday name and day of the month. */
  days: { weekday: string; dayOfMonth: string }[];
  legend: Record<PowerStatus, string>;
}

export type DiagramLocale = 'uk' | 'en';

interface LocaleText {
  weekdays: readonly string[]; // Monday first
  months: readonly string[]; // as used after a day number
  hours: string;
  minutes: string;
  offTotal: string;
  outages: string;
  longest: string;
  noOutages: string;
  noData: string;
  legend: Record<PowerStatus, string>;
}

const TEXT: Record<DiagramLocale, LocaleText> = {
  uk: {
    weekdays: ['Пн', 'Вт', 'Ср', 'Чт', 'Пт', 'Сб', 'Нд'],
    // Genitive, as in "17 листопада".
    months: ['січня', 'лютого', 'березня', 'квітня', 'травня', 'червня', 'липня', 'серпня', 'вересня', 'жовтня', 'листопада', 'грудня'],
    hours: 'год',
    minutes: 'хв',
    offTotal: 'Без світла',
    outages: 'відключень',
    longest: 'найдовше',
    noOutages: 'Відключень не було',
    noData: 'Даних ще немає',
    legend: { on: 'Світло є', off: 'Світла немає', unknown: 'Немає даних' },
  },
  en: {
    weekdays: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'],
    months: ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'],
    hours: 'h',
    minutes: 'min',
    offTotal: 'Off',
    outages: 'outages',
    longest: 'longest',
    noOutages: 'No outages',
    noData: 'No data yet',
    legend: { on: 'Power on', off: 'Power off', unknown: 'No data' },
  },
};

export function diagramLabels(locale: DiagramLocale, placeName: string, week: WeekTimeline): DiagramLabels {
  const text = TEXT[locale];
  return {
    title: `${shortenName(placeName)} · ${formatWeekRange(week, text)}`,
    totals: formatTotals(week, text),
    days: week.days.map((day) => ({
      weekday: text.weekdays[day.weekday - 1] ?? '',
      dayOfMonth: String(Number(day.date.slice(8, 10))),
    })),
    legend: text.legend,
  };
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
function formatWeekRange(week: WeekTimeline, text: LocaleText): string {
  const first = parseDate(week.days[0]?.date);
  const last = parseDate(week.days[week.days.length - 1]?.date);
  if (first.month === last.month) return `${first.day}–${last.day} ${text.months[last.month - 1]}`;
  return `${first.day} ${text.months[first.month - 1]} – ${last.day} ${text.months[last.month - 1]}`;
}

function parseDate(isoDate: string | undefined): { month: number; day: number } {
  const [, month = '1', day = '1'] = (isoDate ?? '').split('-');
  return { month: Number(month), day: Number(day) };
}

function formatTotals(week: WeekTimeline, text: LocaleText): string {
  const { offMs, outages, longestOffMs } = week.totals;
  if (outages === 0) {
    const anythingKnown = week.days.some((day) => day.segments.some((segment) => segment.status !== 'unknown'));
    return anythingKnown ? text.noOutages : text.noData;
  }
  return [
    `${text.offTotal}: ${formatDuration(offMs, text)}`,
    `${text.outages}: ${outages}`,
    `${text.longest}: ${formatDuration(longestOffMs, text)}`,
  ].join(' · ');
}

/** "5 h 20 min", "2 h", "45 min"; rounded to the minute, never in days (hours read easier). */
function formatDuration(ms: number, text: Pick<LocaleText, 'hours' | 'minutes'>): string {
  const totalMinutes = Math.round(ms / 60_000);
  const hours = Math.floor(totalMinutes / 60);
  const minutes = totalMinutes % 60;
  if (hours === 0) return `${minutes} ${text.minutes}`;
  if (minutes === 0) return `${hours} ${text.hours}`;
  return `${hours} ${text.hours} ${minutes} ${text.minutes}`;
}
