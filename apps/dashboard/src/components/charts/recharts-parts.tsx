'use client';
/**
 * What the recharts charts share: the full-width container, the props every chart root takes, the number
 * formatters of their tooltips, a 0–1 axis with its title, and the dashed diagonal of the ROC and reliability
 * charts.
 */
import type { ReactElement } from 'react';
import { ResponsiveContainer } from 'recharts';

/** A chart at the width of its frame and a fixed height. */
export function ChartBox({ height, children }: { height: number; children: ReactElement }) {
  return (
    <ResponsiveContainer width="100%" height={height}>
      {children}
    </ResponsiveContainer>
  );
}

/** The margin around a chart's plot, in pixels. */
export interface Margin {
  top: number;
  right: number;
  bottom: number;
  left: number;
}

/**
 * The props of a chart root: its margin and rows (none when each series brings its own), with recharts' keyboard layer off (the charts are images
 * named by their caption; the numbers are in a table beside each).
 */
export function rootProps<T>(margin: Margin, data?: T[]) {
  return { accessibilityLayer: false, margin, ...(data === undefined ? {} : { data }) } as const;
}

/** A tooltip value formatter: numbers to `digits` decimals, anything else as text. */
export function fixed(digits: number) {
  return (v: unknown) => (typeof v === 'number' ? v.toFixed(digits) : String(v));
}

/** The props of a numeric 0–1 axis on `dataKey`, titled `title` (under the x axis) when given. */
export function unitAxis(dataKey: string, title?: string) {
  return {
    dataKey,
    type: 'number',
    domain: [0, 1],
    tick: { fontSize: 12 },
    ...(title === undefined
      ? {}
      : { label: { value: title, position: 'insideBottom' as const, offset: -8, fontSize: 12 } }),
  } as const;
}

/** The props of the dashed y = x line from (0, 0) to (1, 1) over the keys `x` and `y`. */
export function diagonal(x: string, y: string) {
  return {
    data: [
      { [x]: 0, [y]: 0 },
      { [x]: 1, [y]: 1 },
    ],
    dataKey: y,
    strokeDasharray: '4 4',
    dot: false,
    isAnimationActive: false,
  } as const;
}
