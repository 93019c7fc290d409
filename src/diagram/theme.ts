import type { PowerStatus } from './timeline.js';

/** Colours and type of the diagram, kept apart from the layout so the look can change alone. */

export const STATUS_COLORS: Record<PowerStatus, string> = {
  on: '#2e9e4f',
  off: '#d93b3b',
  unknown: '#c8c8c8',
};

/**
 * The part of today not lived yet: a pale bar with thin diagonal stripes, so on a phone it reads
 * as "still ahead" at a glance and is never mistaken for the solid grey of unknown time.
 */
export const FUTURE_STYLE = {
  fill: '#f3f5f8',
  stripe: '#c5ccd6',
  /** Stripe width and the distance between stripes, CSS px. */
  stripeWidth: 2,
  stripeGap: 8,
} as const;

/**
 * The outage schedule's strip under each day bar: planned outages dark slate, possible ones amber, on
 * a light track that marks the days whose plan is known (a day without a track had no plan
 * known, which is not the same as no outages planned). Sizes in CSS px.
 */
export const PLAN_STYLE = {
  planned: '#3b4452',
  possible: '#e8a838',
  track: '#e6e9ee',
  height: 7,
  /** Between the bar and its strip. */
  gap: 2,
} as const;

/** How strongly the bars of days from the previous calendar week show through the background. */
export const PREVIOUS_WEEK_OPACITY = 0.4;

/**
 * The colour a status gets on a dimmed day: blended onto the background up front rather than
 * drawn with opacity, so touching rectangles never show a darker seam where they overlap.
 */
export function dimmedColor(hex: string, opacity = PREVIOUS_WEEK_OPACITY): string {
  const channel = (offset: number): number => {
    const value = Number.parseInt(hex.slice(offset, offset + 2), 16);
    return Math.round(255 - (255 - value) * opacity);
  };
  return `rgb(${channel(1)}, ${channel(3)}, ${channel(5)})`;
}

export const THEME = {
  background: '#ffffff',
  text: '#1f2328',
  mutedText: '#6b7280',
  dimmedText: '#a3a8b0',
  gridLine: '#e5e7eb',
  hourMarkOnBar: 'rgba(255, 255, 255, 0.45)',
  fontSize: { title: 32, longTitle: 25, totals: 20, planTotals: 18, dayLabel: 22, hourLabel: 19, legend: 18 },
} as const;
