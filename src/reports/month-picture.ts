import type { CustomSeriesOption, EChartsOption, XAXisComponentOption } from 'echarts';
import { DateTime } from 'luxon';
import { BAR_KINDS, barSeries, hourMarkSeries, type BarGeometry, type BarRow } from '../diagram/bar-series.js';
import { DIAGRAM_FONT_FAMILY } from '../diagram/fonts.js';
import { renderDiagramPng, type RenderOptions } from '../diagram/render-png.js';
import { THEME } from '../diagram/theme.js';
import { barPieces, type BarKind, type DaySplit } from '../diagram/timeline.js';

/**
 * The month picture: one row per day (the 1st at the top), 24 hours across, in the colours of
 * the weekly diagram (on, off, unknown, and the pale striped future), with day labels, a title
 * and a totals line. It draws any run of whole days, so /stats uses it for 7 and 30 days too.
 * The option is built here (pure) and drawn by the diagram's renderDiagramPng.
 */

/** Every piece of text on the picture, already in the channel's language. */
export interface PictureLabels {
  title: string;
  /** One or two lines under the title. */
  totals: string[];
  /** One per row, oldest first. */
  days: { weekday: string; dayOfMonth: string }[];
  legend: Record<BarKind, string>;
}

export interface PictureInput {
  days: readonly DaySplit[];
  /** The day drawn bold is the one containing `now`, if shown. */
  now: number;
  timeZone: string;
}

// Geometry in CSS px (the PNG is PICTURE_PIXEL_RATIO times larger). Fixed, so tests and anyone
// else can tell where an hour of a day is drawn without asking ECharts.
export const PICTURE_WIDTH = 800;
export const PICTURE_PIXEL_RATIO = 2;
export const PICTURE_GRID = { left: 104, right: 30, top: 158, bottom: 86 } as const;
export const PICTURE_ROW_HEIGHT = 28;
const GEOMETRY: BarGeometry = { fill: 0.74, radius: 5 };
const LONG_TITLE = 36;
const FONT = { title: 30, longTitle: 24, totals: 19, dayLabel: 18, hourLabel: 17, legend: 18 } as const;
/** The faint line that closes each week (above every Monday but the first row). */
const WEEK_LINE = '#c9ced6';

export function pictureHeight(rows: number): number {
  return PICTURE_GRID.top + PICTURE_GRID.bottom + rows * PICTURE_ROW_HEIGHT;
}

/** 24, or 25 when a 25-hour autumn day is shown (it runs one hour past the 24 mark). */
export function pictureAxisMax(days: readonly DaySplit[]): number {
  return Math.max(24, ...days.map((day) => Math.ceil(day.hoursInDay)));
}

/** x (CSS px) of an hour on the axis. */
export function pictureHourX(hour: number, axisMax: number): number {
  return PICTURE_GRID.left + (hour / axisMax) * (PICTURE_WIDTH - PICTURE_GRID.left - PICTURE_GRID.right);
}

/** y (CSS px) of the middle of a row; row 0 is the first day, at the top. */
export function pictureRowCenterY(rowIndex: number): number {
  return PICTURE_GRID.top + (rowIndex + 0.5) * PICTURE_ROW_HEIGHT;
}

export function buildPictureOption(input: PictureInput, labels: PictureLabels): EChartsOption {
  const { days } = input;
  if (days.length === 0) throw new Error('Cannot draw a picture of no days: the period must hold at least one day');
  if (labels.days.length !== days.length) {
    throw new Error(`The picture has ${days.length} days but ${labels.days.length} day labels; build the labels from the same days`);
  }
  const axisMax = pictureAxisMax(days);
  const today = DateTime.fromMillis(input.now, { zone: input.timeZone }).toISODate();
  const rows: BarRow[] = days.map((day) => ({ pieces: barPieces(day), hoursInDay: day.hoursInDay, dimmed: false }));
  const hourAxis = (position: 'top' | 'bottom'): XAXisComponentOption => ({
    type: 'value',
    position,
    min: 0,
    max: axisMax,
    interval: 3,
    axisLine: { show: false },
    axisTick: { show: false },
    splitLine: { show: position === 'bottom', lineStyle: { color: THEME.gridLine, width: 1 } },
    axisLabel: {
      fontSize: FONT.hourLabel,
      color: THEME.mutedText,
      margin: 8,
      formatter: (hour: number) => (hour % 3 === 0 && hour <= 24 ? String(hour).padStart(2, '0') : ''),
    },
  });

  return {
    backgroundColor: THEME.background,
    animation: false,
    textStyle: { fontFamily: DIAGRAM_FONT_FAMILY, color: THEME.text },
    title: [
      {
        text: labels.title,
        left: 24,
        top: 18,
        textStyle: {
          fontSize: [...labels.title].length <= LONG_TITLE ? FONT.title : FONT.longTitle,
          fontWeight: 'bold',
          color: THEME.text,
          width: PICTURE_WIDTH - 48,
          overflow: 'truncate',
        },
      },
      {
        text: labels.totals.join('\n'),
        left: 24,
        top: 62,
        textStyle: { fontSize: FONT.totals, lineHeight: 27, fontWeight: 'normal', color: THEME.mutedText, width: PICTURE_WIDTH - 48, overflow: 'truncate' },
      },
    ],
    legend: {
      bottom: 14,
      left: 'center',
      data: legendKinds(rows).map((kind) => labels.legend[kind]),
      icon: 'roundRect',
      itemWidth: 22,
      itemHeight: 14,
      itemGap: 24,
      selectedMode: false,
      textStyle: { fontSize: FONT.legend, color: THEME.text },
    },
    grid: { ...PICTURE_GRID, outerBoundsMode: 'none' },
    xAxis: [hourAxis('bottom'), hourAxis('top')],
    yAxis: {
      type: 'category',
      data: days.map((_, index) => String(index)),
      inverse: true,
      axisLine: { show: false },
      axisTick: { show: false },
      splitLine: { show: false },
      axisLabel: {
        margin: 12,
        formatter: (_value: string, index: number) => {
          const text = labels.days[index];
          const day = days[index];
          if (!text || !day) return '';
          const tone = day.date === today ? 'Today' : day.weekday >= 6 ? 'Weekend' : '';
          return `{weekday${tone}|${text.weekday}} {date${tone}|${text.dayOfMonth}}`;
        },
        rich: dayLabelStyles(),
      },
    },
    series: [...BAR_KINDS.map((kind) => barSeries(rows, kind, GEOMETRY, labels.legend[kind])), hourMarkSeries(rows, GEOMETRY), weekLineSeries(days, axisMax)],
  };
}

/** Power on and off always; unknown time and the future only when the picture shows them. */
function legendKinds(rows: readonly BarRow[]): BarKind[] {
  const shown = new Set(rows.flatMap((row) => row.pieces.map((piece) => piece.kind)));
  return BAR_KINDS.filter((kind) => kind === 'on' || kind === 'off' || shown.has(kind));
}

/** Draws the picture of some days; the image is as tall as its rows need. */
export function renderPicturePng(input: PictureInput, labels: PictureLabels, options: Pick<RenderOptions, 'devicePixelRatio'> = {}): Buffer {
  return renderDiagramPng(buildPictureOption(input, labels), {
    width: PICTURE_WIDTH,
    height: pictureHeight(input.days.length),
    devicePixelRatio: options.devicePixelRatio ?? PICTURE_PIXEL_RATIO,
  });
}

type LabelStyle = { fontSize: number; fontWeight?: 'bold' | 'normal'; color: string; width?: number; align?: 'left' | 'right' };

function dayLabelStyles(): Record<string, LabelStyle> {
  const weekday = { fontSize: FONT.dayLabel, color: THEME.text, fontWeight: 'normal' as const };
  const date = { fontSize: FONT.dayLabel - 2, color: THEME.mutedText, width: 26, align: 'right' as const, fontWeight: 'normal' as const };
  return {
    weekday,
    weekdayWeekend: { ...weekday, color: THEME.mutedText },
    weekdayToday: { ...weekday, fontWeight: 'bold' },
    date,
    dateWeekend: date,
    dateToday: { ...date, fontWeight: 'bold', color: THEME.text },
  };
}

/** A faint line above each Monday (but the first row), so the weeks of the month stand apart. */
function weekLineSeries(days: readonly DaySplit[], axisMax: number): CustomSeriesOption {
  const data = days.flatMap((day, index) => (index > 0 && day.weekday === 1 ? [[index]] : []));
  return {
    type: 'custom',
    silent: true,
    z: 1,
    encode: { y: 0 },
    renderItem: (_params, api) => {
      const rowIndex = Number(api.value(0));
      const pixelRatio = api.getDevicePixelRatio();
      const [left = 0, centerY = 0] = api.coord([0, rowIndex]);
      const [right = 0] = api.coord([axisMax, rowIndex]);
      const y = Math.round((centerY - PICTURE_ROW_HEIGHT / 2) * pixelRatio) / pixelRatio + 0.5 / pixelRatio;
      return { type: 'line', shape: { x1: left - 60, y1: y, x2: right, y2: y }, style: { stroke: WEEK_LINE, lineWidth: 1 } };
    },
    data,
  };
}
