import type { WeekTimeline } from './timeline.js';

/**
 * Fixed geometry of the diagram, in CSS pixels (the PNG is `devicePixelRatio` times larger).
 * The chart option pins the grid to these numbers, so a test (or anything else) can tell where
 * an hour of a day is drawn without asking ECharts.
 */

export const DIAGRAM_WIDTH = 800;
export const DIAGRAM_HEIGHT = 560;
export const DIAGRAM_PIXEL_RATIO = 2;

/** Distances of the plot area from the image edges. */
export const DIAGRAM_GRID = { left: 104, right: 30, top: 122, bottom: 86 } as const;

/** Part of a day's row taken by its bar; the rest is the gap between bars. */
export const DAY_BAR_FILL = 0.66;

export const DAYS_SHOWN = 7;

/**
 * The hour axis runs 0..24, or 0..25 in a week that has the 25-hour autumn DST day: that day's
 * bar keeps the same hour scale as the others and simply runs one hour past the "24" tick,
 * rather than being squeezed, so every bar reads at the same scale. The 23-hour spring day
 * stops an hour short of 24.
 */
export function hourAxisMax(week: WeekTimeline): number {
  return Math.max(24, ...week.days.map((day) => Math.ceil(day.hoursInDay)));
}

export interface DiagramSize {
  width: number;
  height: number;
}

const DEFAULT_SIZE: DiagramSize = { width: DIAGRAM_WIDTH, height: DIAGRAM_HEIGHT };

/** x (CSS px) of an hour on the axis. */
export function hourToX(hour: number, axisMax: number, size: DiagramSize = DEFAULT_SIZE): number {
  const plotWidth = size.width - DIAGRAM_GRID.left - DIAGRAM_GRID.right;
  return DIAGRAM_GRID.left + (hour / axisMax) * plotWidth;
}

/** Height (CSS px) of one day's row. */
export function dayRowHeight(size: DiagramSize = DEFAULT_SIZE): number {
  return (size.height - DIAGRAM_GRID.top - DIAGRAM_GRID.bottom) / DAYS_SHOWN;
}

/** y (CSS px) of the middle of a day's bar; index 0 is the oldest day, drawn at the top. */
export function dayCenterY(dayIndex: number, size: DiagramSize = DEFAULT_SIZE): number {
  return DIAGRAM_GRID.top + (dayIndex + 0.5) * dayRowHeight(size);
}
