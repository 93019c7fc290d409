import type { CustomSeriesOption, CustomSeriesRenderItem, CustomSeriesRenderItemAPI, CustomSeriesRenderItemReturn } from 'echarts';
import { FUTURE_STYLE, STATUS_COLORS, THEME, dimmedColor } from './theme.js';
import type { BarKind, BarPiece } from './timeline.js';

/**
 * The day bars shared by the weekly diagram and the month picture: one custom series per kind
 * (on, off, unknown, future), one rectangle per piece on a category axis of rows, which keeps
 * minute precision; and faint hour marks across the bars. Pure option building, no canvas.
 */

/** One row of the chart (a day): its bar from left to right, and whether it is drawn dimmed. */
export interface BarRow {
  pieces: BarPiece[];
  hoursInDay: number;
  dimmed: boolean;
}

export interface BarGeometry {
  /** Part of a row taken by its bar; the rest is the gap between bars. */
  fill: number;
  /** Corner radius at both ends of a bar, CSS px. */
  radius: number;
}

/** Per-rectangle data: [rowIndex, startHour, endHour, roundLeft, roundRight, dimmed]. */
type PieceDatum = [number, number, number, 0 | 1, 0 | 1, 0 | 1];

/** Even a one-minute outage stays visible as a sliver this wide (CSS px). */
const MIN_OFF_WIDTH = 3;

/** The kinds in legend order. */
export const BAR_KINDS: readonly BarKind[] = ['on', 'off', 'unknown', 'future'];

/** The colour a legend shows for a kind (the future's pale fill with its stripe as the border). */
export function kindItemStyle(kind: BarKind): { color: string; borderColor?: string; borderWidth?: number } {
  if (kind === 'future') return { color: FUTURE_STYLE.fill, borderColor: FUTURE_STYLE.stripe, borderWidth: 1 };
  return { color: STATUS_COLORS[kind] };
}

/** The series drawing every piece of one kind across all rows; named for the legend when a name is given. */
export function barSeries(rows: readonly BarRow[], kind: BarKind, geometry: BarGeometry, name?: string): CustomSeriesOption {
  const data: PieceDatum[] = [];
  rows.forEach((row, rowIndex) => {
    const last = row.pieces.length - 1;
    row.pieces.forEach((piece, index) => {
      if (piece.kind !== kind) return;
      data.push([rowIndex, piece.startHour, piece.endHour, index === 0 ? 1 : 0, index === last ? 1 : 0, row.dimmed ? 1 : 0]);
    });
  });
  return {
    type: 'custom',
    ...(name === undefined ? {} : { name }),
    renderItem: renderPiece(kind, geometry),
    encode: { x: [1, 2], y: 0 },
    itemStyle: kindItemStyle(kind),
    silent: true,
    // Off slivers are drawn over their neighbours so the shortest outage is never hidden.
    z: kind === 'off' ? 3 : 2,
    data,
  };
}

function renderPiece(kind: BarKind, geometry: BarGeometry): CustomSeriesRenderItem {
  return (_params, api) => {
    const rowIndex = Number(api.value(0));
    const startHour = Number(api.value(1));
    const endHour = Number(api.value(2));
    const roundLeft = api.value(3) === 1;
    const roundRight = api.value(4) === 1;
    const dimmed = api.value(5) === 1;

    // Snapped to device pixels so touching pieces meet without an anti-aliased seam.
    const pixelRatio = api.getDevicePixelRatio();
    const snap = (value: number): number => Math.round(value * pixelRatio) / pixelRatio;
    const [rawStartX = 0, centerY = 0] = api.coord([startHour, rowIndex]);
    const [rawEndX = 0] = api.coord([endHour, rowIndex]);
    const startX = snap(rawStartX);
    const endX = snap(rawEndX);
    const height = rowHeight(api) * geometry.fill;

    let x = startX;
    let width = endX - startX;
    if (kind === 'off' && width < MIN_OFF_WIDTH) {
      x -= (MIN_OFF_WIDTH - width) / 2;
      width = MIN_OFF_WIDTH;
    }
    const radius = Math.min(geometry.radius, width / 2);
    const shape = {
      x,
      y: centerY - height / 2,
      width,
      height,
      r: [roundLeft ? radius : 0, roundRight ? radius : 0, roundRight ? radius : 0, roundLeft ? radius : 0],
    };
    if (kind === 'future') return futurePiece(shape);
    const color = STATUS_COLORS[kind];
    return { type: 'rect', shape, style: { fill: dimmed ? dimmedColor(color) : color } };
  };
}

interface PieceShape {
  x: number;
  y: number;
  width: number;
  height: number;
  r: number[];
}

/**
 * A pale bar crossed by 45° stripes, clipped to the bar's rounded outline. The stripes sit on
 * a grid fixed to the image (not to the piece), so they line up from one row to the next.
 */
function futurePiece(shape: PieceShape): CustomSeriesRenderItemReturn {
  const { x, y, width, height } = shape;
  const gap = FUTURE_STYLE.stripeGap;
  const commands: string[] = [];
  // A stripe runs from (base, bottom) up to (base + height, top); it crosses the piece when
  // base lies in (x − height, x + width).
  for (let base = Math.floor((x - height) / gap) * gap; base < x + width; base += gap) {
    commands.push(`M${round2(base)} ${round2(y + height)}L${round2(base + height)} ${round2(y)}`);
  }
  return {
    type: 'group',
    children: [
      { type: 'rect', shape, style: { fill: FUTURE_STYLE.fill } },
      {
        type: 'path',
        shape: { pathData: commands.join('') },
        style: { fill: 'none', stroke: FUTURE_STYLE.stripe, lineWidth: FUTURE_STYLE.stripeWidth },
        clipPath: { type: 'rect', shape },
      },
    ],
  };
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

function rowHeight(api: CustomSeriesRenderItemAPI): number {
  const rowSize = api.size?.([0, 1]);
  return Array.isArray(rowSize) ? (rowSize[1] ?? 0) : (rowSize ?? 0);
}

/**
 * Faint lines across the bars every 3 hours, continuing the axis grid through them, so the time
 * of an edge can be read without a ruler.
 */
export function hourMarkSeries(rows: readonly BarRow[], geometry: BarGeometry): CustomSeriesOption {
  const data = rows.flatMap((row, rowIndex) => {
    const marks: [number, number][] = [];
    for (let hour = 3; hour < row.hoursInDay; hour += 3) marks.push([rowIndex, hour]);
    return marks;
  });
  return {
    type: 'custom',
    silent: true,
    z: 4,
    encode: { x: 1, y: 0 },
    renderItem: (_params, api) => {
      const rowIndex = Number(api.value(0));
      const hour = Number(api.value(1));
      const pixelRatio = api.getDevicePixelRatio();
      const [rawX = 0, centerY = 0] = api.coord([hour, rowIndex]);
      const x = Math.round(rawX * pixelRatio) / pixelRatio;
      const height = rowHeight(api) * geometry.fill;
      return {
        type: 'line',
        shape: { x1: x, y1: centerY - height / 2, x2: x, y2: centerY + height / 2 },
        style: { stroke: THEME.hourMarkOnBar, lineWidth: 1 },
      };
    },
    data,
  };
}
