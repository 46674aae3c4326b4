'use client';
/**
 * The charts, each loaded on demand in the browser: recharts and its d3 pieces stay out of the first page load
 * and out of the server render, and a skeleton holds the chart's place meanwhile.
 */
import dynamic from 'next/dynamic';

import { ChartSkeleton } from './chart-frame';

const loading = () => <ChartSkeleton />;

export const IntervalChart = dynamic(() => import('./interval-chart'), { ssr: false, loading });
export const StagesChart = dynamic(() => import('./stages-chart'), { ssr: false, loading });
export const HistogramChart = dynamic(() => import('./histogram-chart'), { ssr: false, loading });
export const RocChart = dynamic(() => import('./roc-chart'), { ssr: false, loading });
export const ReliabilityChart = dynamic(() => import('./reliability-chart'), {
  ssr: false,
  loading,
});
export const BarsChart = dynamic(() => import('./bars-chart'), { ssr: false, loading });
