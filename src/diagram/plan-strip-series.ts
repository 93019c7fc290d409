import type { CustomSeriesOption } from 'echarts';
import type { BarGeometry } from './bar-series.js';
import { DAY_BAR_FILL, dayCenterY, dayRowHeight } from './layout.js';
import type { DayPlanStrip } from './plan-strip.js';
import { PLAN_STYLE, dimmedColor } from './theme.js';

/** One day's strip as drawn: its plan, the day's length, and whether the day is drawn dimmed. */
export interface PlanStripRow {
  strip: DayPlanStrip;
  hoursInDay: number;
  dimmed: boolean;
}

/** Per-rectangle data: [rowIndex, startHour, endHour, layer (0 track, 1 possible, 2 planned, 3 probable), dimmed]. */
type StripDatum = [number, number, number, 0 | 1 | 2 | 3, 0 | 1];

/** Probable outages (a weekly template, not a published plan) are drawn lighter than possible ones. */
const LAYER_COLORS = [PLAN_STYLE.track, PLAN_STYLE.possible, PLAN_STYLE.planned, dimmedColor(PLAN_STYLE.possible, 0.4)] as const;
/** Even a half-hour stays visible (it is ~8 px wide anyway); a sliver from a clipped edge gets this much. */
const MIN_PIECE_WIDTH = 2;

/**
 * The plan strips of the week, one series: a thin band just under each bar whose day has a known
 * plan, the track the full length of the day, possible and planned outages over it.
 */
export function planStripSeries(rows: readonly PlanStripRow[], geometry: BarGeometry): CustomSeriesOption {
  const data: StripDatum[] = [];
  rows.forEach((row, rowIndex) => {
    const dimmed = row.dimmed ? 1 : 0;
    for (const piece of row.strip.probable ?? []) data.push([rowIndex, piece.startHour, piece.endHour, 3, dimmed]);
    if (!row.strip.known) return;
    data.push([rowIndex, 0, row.hoursInDay, 0, dimmed]);
    for (const piece of row.strip.pieces) data.push([rowIndex, piece.startHour, piece.endHour, piece.kind === 'planned' ? 2 : 1, dimmed]);
  });
  return {
    type: 'custom',
    silent: true,
    z: 2,
    encode: { x: [1, 2], y: 0 },
    renderItem: (_params, api) => {
      const rowIndex = Number(api.value(0));
      const layer = Number(api.value(3)) as 0 | 1 | 2 | 3;
      const dimmed = api.value(4) === 1;
      const pixelRatio = api.getDevicePixelRatio();
      const snap = (value: number): number => Math.round(value * pixelRatio) / pixelRatio;
      const [rawStartX = 0, centerY = 0] = api.coord([Number(api.value(1)), rowIndex]);
      const [rawEndX = 0] = api.coord([Number(api.value(2)), rowIndex]);
      const rowSize = api.size?.([0, 1]);
      const rowHeight = Array.isArray(rowSize) ? (rowSize[1] ?? 0) : (rowSize ?? 0);
      const top = snap(centerY + (rowHeight * geometry.fill) / 2 + PLAN_STYLE.gap);
      const x = snap(rawStartX);
      const width = Math.max(snap(rawEndX) - x, MIN_PIECE_WIDTH);
      const radius = layer === 0 ? PLAN_STYLE.height / 2 : 1;
      const color = LAYER_COLORS[layer];
      return {
        type: 'rect',
        z2: layer,
        shape: { x, y: top, width, height: PLAN_STYLE.height, r: radius },
        style: { fill: dimmed ? dimmedColor(color) : color },
      };
    },
    data,
  };
}

/** y (CSS px) of the middle of a day's plan strip in the weekly diagram; index 0 is the oldest day. */
export function planStripCenterY(dayIndex: number): number {
  return dayCenterY(dayIndex) + (dayRowHeight() * DAY_BAR_FILL) / 2 + PLAN_STYLE.gap + PLAN_STYLE.height / 2;
}
