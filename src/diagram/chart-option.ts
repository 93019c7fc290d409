import type {
  CustomSeriesOption,
  CustomSeriesRenderItem,
  EChartsOption,
} from 'echarts';
import { DIAGRAM_FONT_FAMILY } from './fonts.js';
import type { DiagramLabels } from './labels.js';
import { DAY_BAR_FILL, DIAGRAM_GRID, DIAGRAM_WIDTH, hourAxisMax } from './layout.js';
import { STATUS_COLORS, THEME, dimmedColor } from './theme.js';
import type { PowerStatus, WeekTimeline } from './timeline.js';

/**
 * The weekly diagram as an ECharts option: one horizontal bar per day (oldest at the top, today
 * at the bottom) on a 0–24 h axis, drawn by a custom series as one rectangle per segment, which
 * keeps minute precision. Pure: no canvas here, so it can be inspected in tests.
 */

const STATUSES: readonly PowerStatus[] = ['on', 'off', 'unknown'];
const BAR_RADIUS = 7;
/** Even a one-minute outage stays visible as a sliver this wide (CSS px). */
const MIN_OFF_WIDTH = 3;
/** Titles longer than this many characters get the smaller title font. */
const LONG_TITLE = 36;

/** Per-rectangle data: [dayIndex, startHour, endHour, roundLeft, roundRight, dimmed]. */
type SegmentDatum = [number, number, number, 0 | 1, 0 | 1, 0 | 1];

export function buildChartOption(week: WeekTimeline, labels: DiagramLabels): EChartsOption {
  const axisMax = hourAxisMax(week);
  const dayIndexes = week.days.map((_, index) => String(index));

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
          fontSize: labels.title.length <= LONG_TITLE ? THEME.fontSize.title : THEME.fontSize.longTitle,
          fontWeight: 'bold',
          color: THEME.text,
          // Last resort for a very long name: an ellipsis instead of text running off the image.
          width: DIAGRAM_WIDTH - 48,
          overflow: 'truncate',
        },
      },
      {
        text: labels.totals,
        left: 24,
        top: 68,
        textStyle: { fontSize: THEME.fontSize.totals, fontWeight: 'normal', color: THEME.mutedText },
      },
    ],
    legend: {
      bottom: 14,
      left: 'center',
      data: STATUSES.map((status) => labels.legend[status]),
      icon: 'roundRect',
      itemWidth: 22,
      itemHeight: 14,
      itemGap: 28,
      selectedMode: false,
      textStyle: { fontSize: THEME.fontSize.legend, color: THEME.text },
    },
    grid: {
      ...DIAGRAM_GRID,
      // Keep the plot exactly where layout.ts says, whatever the labels measure.
      outerBoundsMode: 'none',
    },
    xAxis: {
      type: 'value',
      min: 0,
      max: axisMax,
      interval: 3,
      axisLine: { show: false },
      axisTick: { show: false },
      splitLine: { show: true, lineStyle: { color: THEME.gridLine, width: 1 } },
      axisLabel: {
        fontSize: THEME.fontSize.hourLabel,
        color: THEME.mutedText,
        margin: 10,
        formatter: (hour: number) => (hour % 3 === 0 && hour <= 24 ? String(hour).padStart(2, '0') : ''),
      },
    },
    yAxis: {
      type: 'category',
      data: dayIndexes,
      inverse: true,
      axisLine: { show: false },
      axisTick: { show: false },
      splitLine: { show: false },
      axisLabel: {
        margin: 14,
        formatter: (_value: string, index: number) => dayLabel(week, labels, index),
        rich: dayLabelStyles(),
      },
    },
    series: [...STATUSES.map((status) => segmentSeries(week, status, labels.legend[status])), hourMarkSeries(week)],
  };
}

function dayLabel(week: WeekTimeline, labels: DiagramLabels, index: number): string {
  const day = week.days[index];
  const text = labels.days[index];
  if (!day || !text) return '';
  const tone = day.isToday ? 'Today' : day.inPreviousWeek ? 'Dim' : '';
  return `{weekday${tone}|${text.weekday}} {date${tone}|${text.dayOfMonth}}`;
}

function dayLabelStyles(): Record<string, { fontSize: number; fontWeight?: 'bold' | 'normal'; color: string; width?: number; align?: 'left' | 'right' }> {
  const weekday = { fontSize: THEME.fontSize.dayLabel, color: THEME.text };
  const date = { fontSize: THEME.fontSize.dayLabel - 3, color: THEME.mutedText, width: 28, align: 'right' as const };
  return {
    weekday: { ...weekday, fontWeight: 'normal' },
    weekdayToday: { ...weekday, fontWeight: 'bold' },
    weekdayDim: { ...weekday, fontWeight: 'normal', color: THEME.dimmedText },
    date: { ...date, fontWeight: 'normal' },
    dateToday: { ...date, fontWeight: 'bold', color: THEME.text },
    dateDim: { ...date, fontWeight: 'normal', color: THEME.dimmedText },
  };
}

function segmentSeries(week: WeekTimeline, status: PowerStatus, name: string): CustomSeriesOption {
  const data: SegmentDatum[] = [];
  week.days.forEach((day, dayIndex) => {
    const last = day.segments.length - 1;
    day.segments.forEach((segment, index) => {
      if (segment.status !== status) return;
      data.push([dayIndex, segment.startHour, segment.endHour, index === 0 ? 1 : 0, index === last ? 1 : 0, day.inPreviousWeek ? 1 : 0]);
    });
  });
  return {
    type: 'custom',
    name,
    renderItem: renderSegment(status),
    encode: { x: [1, 2], y: 0 },
    itemStyle: { color: STATUS_COLORS[status] },
    silent: true,
    // Off slivers are drawn over their neighbours so the shortest outage is never hidden.
    z: status === 'off' ? 3 : 2,
    data,
  };
}

function renderSegment(status: PowerStatus): CustomSeriesRenderItem {
  return (_params, api) => {
    const dayIndex = Number(api.value(0));
    const startHour = Number(api.value(1));
    const endHour = Number(api.value(2));
    const roundLeft = api.value(3) === 1;
    const roundRight = api.value(4) === 1;
    const dimmed = api.value(5) === 1;

    // Snapped to device pixels so touching segments meet without an anti-aliased seam.
    const pixelRatio = api.getDevicePixelRatio();
    const snap = (value: number): number => Math.round(value * pixelRatio) / pixelRatio;
    const [rawStartX = 0, centerY = 0] = api.coord([startHour, dayIndex]);
    const [rawEndX = 0] = api.coord([endHour, dayIndex]);
    const startX = snap(rawStartX);
    const endX = snap(rawEndX);
    const rowSize = api.size?.([0, 1]);
    const rowHeight = Array.isArray(rowSize) ? (rowSize[1] ?? 0) : (rowSize ?? 0);
    const height = rowHeight * DAY_BAR_FILL;

    let x = startX;
    let width = endX - startX;
    if (status === 'off' && width < MIN_OFF_WIDTH) {
      x -= (MIN_OFF_WIDTH - width) / 2;
      width = MIN_OFF_WIDTH;
    }
    const radius = Math.min(BAR_RADIUS, width / 2);
    return {
      type: 'rect',
      shape: {
        x,
        y: centerY - height / 2,
        width,
        height,
        r: [roundLeft ? radius : 0, roundRight ? radius : 0, roundRight ? radius : 0, roundLeft ? radius : 0],
      },
      style: { fill: dimmed ? dimmedColor(STATUS_COLORS[status]) : STATUS_COLORS[status] },
    };
  };
}

/**
 * Faint lines across the bars every 3 hours, continuing the axis grid through them, so the time
 * of an edge can be read without a ruler.
 */
function hourMarkSeries(week: WeekTimeline): CustomSeriesOption {
  const data = week.days.flatMap((day, dayIndex) => {
    const marks: [number, number][] = [];
    for (let hour = 3; hour < day.hoursInDay; hour += 3) marks.push([dayIndex, hour]);
    return marks;
  });
  return {
    type: 'custom',
    silent: true,
    z: 4,
    encode: { x: 1, y: 0 },
    renderItem: (_params, api) => {
      const dayIndex = Number(api.value(0));
      const hour = Number(api.value(1));
      const pixelRatio = api.getDevicePixelRatio();
      const [rawX = 0, centerY = 0] = api.coord([hour, dayIndex]);
      const x = Math.round(rawX * pixelRatio) / pixelRatio;
      const rowSize = api.size?.([0, 1]);
      const rowHeight = Array.isArray(rowSize) ? (rowSize[1] ?? 0) : (rowSize ?? 0);
      const height = rowHeight * DAY_BAR_FILL;
      return {
        type: 'line',
        shape: { x1: x, y1: centerY - height / 2, x2: x, y2: centerY + height / 2 },
        style: { stroke: THEME.hourMarkOnBar, lineWidth: 1 },
      };
    },
    data,
  };
}
