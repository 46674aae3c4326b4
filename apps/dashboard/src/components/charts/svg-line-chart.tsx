/**
 * A small server-rendered SVG line chart over categories (the budgets of a curve): one line per series with a
 * marker shape and dash pattern of its own (meaning not carried by colour alone), a dashed zero line, round
 * ticks and a legend. No client code: the numbers are also in the table beside it.
 */
import { niceTicks } from '../../lib/nice-ticks';
import { seriesColor, seriesDash, tickLabel } from './colors';

/** One line: a value per category (null leaves a gap). */
export interface LineSeries {
  readonly name: string;
  readonly values: readonly (number | null)[];
}

const W = 640;
const H = 260;
const PAD = { left: 56, right: 16, top: 12, bottom: 40 };

/** A marker of shape `i` (circle, square, triangle, diamond) at (x, y). */
function Marker({ i, x, y, color }: { i: number; x: number; y: number; color: string }) {
  const r = 4.5;
  switch (i % 4) {
    case 0:
      return <circle cx={x} cy={y} r={r} fill={color} />;
    case 1:
      return <rect x={x - r} y={y - r} width={2 * r} height={2 * r} fill={color} />;
    case 2:
      return (
        <path d={`M${x},${y - r - 1}L${x + r + 1},${y + r}L${x - r - 1},${y + r}Z`} fill={color} />
      );
    default:
      return (
        <path
          d={`M${x},${y - r - 1}L${x + r + 1},${y}L${x},${y + r + 1}L${x - r - 1},${y}Z`}
          fill={color}
        />
      );
  }
}

/** Category index ↔ x and value ↔ y of the plot, over round ticks that include zero. */
function plotScale(categories: readonly string[], series: readonly LineSeries[]) {
  const values = series.flatMap((s) => s.values.filter((v): v is number => v !== null));
  const ticks = niceTicks(Math.min(0, ...values), Math.max(0, ...values));
  const lo = ticks[0] ?? 0;
  const hi = ticks.at(-1) ?? 1;
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  return {
    ticks,
    plotW,
    plotH,
    x: (i: number) =>
      PAD.left + (categories.length <= 1 ? plotW / 2 : (i * plotW) / (categories.length - 1)),
    y: (v: number) => PAD.top + ((hi - v) / (hi - lo || 1)) * plotH,
  };
}

type PlotScale = ReturnType<typeof plotScale>;

export function SvgLineChart({
  categories,
  series,
  yLabel,
  xLabel,
}: {
  categories: readonly string[];
  series: readonly LineSeries[];
  yLabel: string;
  xLabel: string;
}) {
  const scale = plotScale(categories, series);
  return (
    <div>
      <svg viewBox={`0 0 ${W} ${H}`} width="100%" className="svg-chart" aria-hidden="true">
        <Axes scale={scale} categories={categories} xLabel={xLabel} yLabel={yLabel} />
        {series.map((s, k) => {
          const color = seriesColor(k);
          const points = s.values.flatMap((v, i) =>
            v === null ? [] : [[scale.x(i), scale.y(v)] as const],
          );
          return (
            <g key={s.name} data-series={s.name}>
              <polyline
                points={points.map(([px, py]) => `${px},${py}`).join(' ')}
                fill="none"
                stroke={color}
                strokeWidth={2}
                strokeDasharray={seriesDash(k) || undefined}
                className="curve-line"
              />
              {points.map(([px, py]) => (
                <Marker key={`${px}`} i={k} x={px} y={py} color={color} />
              ))}
            </g>
          );
        })}
      </svg>
      <ul className="legend">
        {series.map((s, k) => (
          <li key={s.name}>
            <svg width="34" height="12" aria-hidden="true">
              <line
                x1="0"
                x2="34"
                y1="6"
                y2="6"
                stroke={seriesColor(k)}
                strokeWidth="2"
                strokeDasharray={seriesDash(k) || undefined}
              />
              <Marker i={k} x={17} y={6} color={seriesColor(k)} />
            </svg>{' '}
            {s.name}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** The tick lines and labels, the dashed zero line, the category labels and both axis titles. */
function Axes({
  scale: { ticks, plotW, plotH, x, y },
  categories,
  xLabel,
  yLabel,
}: {
  scale: PlotScale;
  categories: readonly string[];
  xLabel: string;
  yLabel: string;
}) {
  return (
    <>
      {ticks.map((t) => (
        <g key={t}>
          <line x1={PAD.left} x2={W - PAD.right} y1={y(t)} y2={y(t)} stroke="#e3e6ec" />
          <text x={PAD.left - 6} y={y(t) + 4} textAnchor="end" fontSize="12" fill="#3d4450">
            {tickLabel(t)}
          </text>
        </g>
      ))}
      <line
        x1={PAD.left}
        x2={W - PAD.right}
        y1={y(0)}
        y2={y(0)}
        stroke="#3d4450"
        strokeDasharray="5 4"
        data-zero-line
      />
      {categories.map((c, i) => (
        <text
          key={c}
          x={x(i)}
          y={H - PAD.bottom + 18}
          textAnchor="middle"
          fontSize="12"
          fill="#3d4450"
        >
          {c}
        </text>
      ))}
      <text x={PAD.left + plotW / 2} y={H - 4} textAnchor="middle" fontSize="12" fill="#3d4450">
        {xLabel}
      </text>
      <text
        x={12}
        y={PAD.top + plotH / 2}
        textAnchor="middle"
        fontSize="12"
        fill="#3d4450"
        transform={`rotate(-90 12 ${PAD.top + plotH / 2})`}
      >
        {yLabel}
      </text>
    </>
  );
}
