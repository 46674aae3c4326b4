/**
 * A chart's figure: its name and point count as data attributes (the e2e test reads them) and a caption. The
 * drawing is one image named by its caption (and a summary, when given) for screen readers: the charts are not
 * keyboard widgets, and every view shows the same numbers in a table beside its chart.
 */
import type { ReactNode } from 'react';

export function ChartFrame({
  name,
  points,
  caption,
  summary,
  children,
}: {
  name: string;
  points: number;
  caption: string;
  /** What the chart shows, in words, for screen readers. */
  summary?: string;
  children: ReactNode;
}) {
  return (
    <figure className="chart" data-chart={name} data-points={points}>
      <div role="img" aria-label={summary === undefined ? caption : `${caption}. ${summary}`}>
        {children}
      </div>
      <figcaption className="note">{caption}</figcaption>
    </figure>
  );
}

export function ChartSkeleton() {
  return (
    <div className="chart-skeleton" role="status">
      Loading chart…
    </div>
  );
}
