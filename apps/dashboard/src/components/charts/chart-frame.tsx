/** A chart's figure: its name and point count as data attributes (the e2e test reads them) and a caption. */
import type { ReactNode } from 'react';

export function ChartFrame({
  name,
  points,
  caption,
  children,
}: {
  name: string;
  points: number;
  caption: string;
  children: ReactNode;
}) {
  return (
    <figure className="chart" data-chart={name} data-points={points} aria-label={caption}>
      {children}
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
