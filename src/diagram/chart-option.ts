import type { EChartsOption } from 'echarts';
import { BAR_KINDS, barSeries, hourMarkSeries, type BarGeometry, type BarRow } from './bar-series.js';
import { DIAGRAM_FONT_FAMILY } from './fonts.js';
import type { DiagramLabels } from './labels.js';
import { DAY_BAR_FILL, DIAGRAM_GRID, DIAGRAM_WIDTH, hourAxisMax } from './layout.js';
import type { WeekPlan } from './plan-strip.js';
import { planStripSeries, type PlanStripRow } from './plan-strip-series.js';
import { PLAN_STYLE, THEME } from './theme.js';
import { barPieces, type BarKind, type WeekTimeline } from './timeline.js';

/**
 * The weekly diagram as an ECharts option: one horizontal bar per day (oldest at the top, today
 * at the bottom) on a 0–24 h axis, drawn by a custom series as one rectangle per segment, which
 * keeps minute precision; the part of today still ahead is drawn pale and striped, apart from
 * unknown time. With a known outage schedule (`plan`), a thin strip under each bar shows what
 * was planned, and a line under the totals gives the planned hours and names the strip's colours.
 * Pure: no canvas here, so it can be inspected in tests.
 */

const GEOMETRY: BarGeometry = { fill: DAY_BAR_FILL, radius: 7 };
/** Titles longer than this many characters get the smaller title font. */
const LONG_TITLE = 36;

export function buildChartOption(week: WeekTimeline, labels: DiagramLabels, plan: WeekPlan | null = null): EChartsOption {
  const axisMax = hourAxisMax(week);
  const dayIndexes = week.days.map((_, index) => String(index));
  const rows: BarRow[] = week.days.map((day) => ({ pieces: barPieces(day), hoursInDay: day.hoursInDay, dimmed: day.inPreviousWeek }));
  // The future gets a legend entry once the labels name it; until then it explains itself
  // (the striped end of today's bar).
  const legendNames: Partial<Record<BarKind, string>> = labels.legend;
  const legendKinds = BAR_KINDS.filter((kind) => legendNames[kind] !== undefined);

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
      ...(plan && labels.plan ? [planTitle(labels.plan)] : []),
    ],
    legend: [
      {
      bottom: 14,
      left: 'center',
      data: legendKinds.map((kind) => legendNames[kind] ?? ''),
      icon: 'roundRect',
      itemWidth: 22,
      itemHeight: 14,
      itemGap: 28,
      selectedMode: false,
      textStyle: { fontSize: THEME.fontSize.legend, color: THEME.text },
      },
      // The mark of a change a device confirmed is named above the bars at the right, on the line
      // of the plan's (which stays short, on the left): the bottom legend has no room for a fifth entry.
      ...(labels.confirmed && week.confirmedEdges.length > 0
        ? [
            {
              top: 96,
              right: 24,
              // A triangle pointing down, as the marks over the bars point at their change.
              data: [{ name: labels.confirmed, icon: 'path://M0,0L10,0L5,8Z' }],
              itemWidth: 14,
              itemHeight: 12,
              selectedMode: false as const,
              textStyle: { fontSize: THEME.fontSize.legend, color: THEME.mutedText },
            },
          ]
        : []),
    ],
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
    series: [
      ...BAR_KINDS.map((kind) => barSeries(rows, kind, GEOMETRY, legendNames[kind])),
      hourMarkSeries(rows, GEOMETRY),
      ...(labels.confirmed && week.confirmedEdges.length > 0 ? [confirmedEdgeSeries(week, labels.confirmed)] : []),
      ...(plan ? [planStripSeries(planStrips(week, plan), GEOMETRY)] : []),
    ],
  };
}

/**
 * A small triangle over the bar where a device that sees the mains confirmed the change (an OFF
 * or ON it saw itself, not one inferred from silence); the legend names it.
 */
/** Each day's plan strip beside its bar (weekPlan makes one strip per day of the week). */
function planStrips(week: WeekTimeline, plan: WeekPlan): PlanStripRow[] {
  return week.days.flatMap((day, index) => {
    const strip = plan.days[index];
    return strip ? [{ strip, hoursInDay: day.hoursInDay, dimmed: day.inPreviousWeek }] : [];
  });
}

function confirmedEdgeSeries(week: WeekTimeline, name: string) {
  return {
    type: 'scatter' as const,
    name,
    symbol: 'triangle',
    symbolSize: 9,
    symbolRotate: 180,
    symbolOffset: [0, -12],
    itemStyle: { color: THEME.text },
    silent: true,
    z: 5,
    data: week.confirmedEdges.map((edge) => [edge.hour, String(edge.dayIndex)]),
  };
}

/** "▬ За графіком: 36 год  ▬ можливе": the planned hours, with the strip's colours as its legend. */
function planTitle(plan: NonNullable<DiagramLabels['plan']>) {
  const mark = (color: string) => ({ width: 22, height: PLAN_STYLE.height + 2, borderRadius: 2, backgroundColor: color });
  const text = `{planned|} ${plan.planned}${plan.possible ? `    {possible|} ${plan.possible}` : ''}`;
  return {
    text,
    left: 24,
    top: 96,
    textStyle: {
      fontSize: THEME.fontSize.planTotals,
      fontWeight: 'normal' as const,
      color: THEME.mutedText,
      rich: { planned: mark(PLAN_STYLE.planned), possible: mark(PLAN_STYLE.possible) },
    },
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
