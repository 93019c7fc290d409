import { createCanvas, type Canvas } from '@napi-rs/canvas';
import type { EChartsOption } from 'echarts';
import { CustomChart, ScatterChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TitleComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { buildChartOption } from './chart-option.js';
import { registerDiagramFonts } from './fonts.js';
import type { Translate } from '../i18n/translator.js';
import { diagramLabels } from './labels.js';
import { DIAGRAM_HEIGHT, DIAGRAM_PIXEL_RATIO, DIAGRAM_WIDTH } from './layout.js';
import type { DiagramPlan } from '../schedules/plan.js';
import { weekPlan } from './plan-strip.js';
import { buildWeekTimeline, type PowerInterval } from './timeline.js';

// Only what the diagram uses: loading the whole of ECharts would slow every render worker's start.
echarts.use([CustomChart, ScatterChart, GridComponent, LegendComponent, TitleComponent, CanvasRenderer]);

// ECharts is typed for a browser: it wants DOM elements where Node has @napi-rs/canvas objects.
// The canvas has every member zrender touches (width, height, getContext('2d') with the 2D
// API), so the casts below only bridge the typings; the types are taken from ECharts' own
// signatures so that no `any` leaks out.
type BrowserCanvas = ReturnType<NonNullable<Parameters<typeof echarts.setPlatformAPI>[0]['createCanvas']>>;
type ChartRoot = Parameters<typeof echarts.init>[0];

// ECharts measures text and makes helper canvases through this hook; there is no DOM here.
echarts.setPlatformAPI({ createCanvas: () => createCanvas(1, 1) as unknown as BrowserCanvas });

/**
 * One canvas per thread, reused by every render: zrender resizes it (which clears it) on init.
 * A fresh canvas per diagram leaves ~7 MB of native pixels each to a garbage collector that does
 * not see them, so a batch of renders grew the process by gigabytes. Rendering is synchronous,
 * so two renders never share it at the same time.
 */
let sharedCanvas: Canvas | undefined;

function drawingCanvas(): Canvas {
  sharedCanvas ??= createCanvas(DIAGRAM_WIDTH, DIAGRAM_HEIGHT);
  return sharedCanvas;
}

export interface RenderOptions {
  width?: number;
  height?: number;
  devicePixelRatio?: number;
}

/** Draws a chart option onto an off-screen canvas and returns the PNG bytes. */
export function renderDiagramPng(option: EChartsOption, options: RenderOptions = {}): Buffer {
  const { width = DIAGRAM_WIDTH, height = DIAGRAM_HEIGHT, devicePixelRatio = DIAGRAM_PIXEL_RATIO } = options;
  registerDiagramFonts();
  const canvas = drawingCanvas();
  // Given a canvas instead of a container, zrender draws straight onto it (resized to
  // width × height × devicePixelRatio).
  const chart = echarts.init(canvas as unknown as ChartRoot, null, { renderer: 'canvas', width, height, devicePixelRatio });
  try {
    chart.setOption({ ...option, animation: false });
    return canvas.toBuffer('image/png');
  } finally {
    chart.dispose();
  }
}

export interface WeekDiagramInput {
  intervals: PowerInterval[];
  placeCreatedAt: number;
  now: number;
  timeZone: string;
  /** The place's translator (`translatorFor(i18n, place.language)`). */
  t: Translate;
  placeName: string;
  /** The outage schedule of the place's queue over the week, when it follows one. */
  plan?: DiagramPlan | undefined;
}

/** Timeline (and plan) → labels → chart option → PNG, for the job that posts the weekly diagram. */
export function renderWeekDiagram(input: WeekDiagramInput, options: RenderOptions = {}): Buffer {
  const week = buildWeekTimeline(input);
  const plan = weekPlan(week, input.plan, input.timeZone);
  const labels = diagramLabels(input.t, input.placeName, week, plan);
  return renderDiagramPng(buildChartOption(week, labels, plan), options);
}
