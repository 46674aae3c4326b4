/**
 * A plain-text table of interval metrics: one row per metric, one column per split, `value [lo, hi]`.
 */

interface Estimate {
  value: number;
  lo?: number | null;
  hi?: number | null;
}

function isEstimate(value: unknown): value is Estimate {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { value?: unknown }).value === 'number'
  );
}

/** `0.612 [0.598, 0.627]`, or the value alone without an interval. */
export function formatEstimate(e: Estimate): string {
  const v = e.value.toFixed(3);
  return typeof e.lo === 'number' && typeof e.hi === 'number'
    ? `${v} [${e.lo.toFixed(3)}, ${e.hi.toFixed(3)}]`
    : v;
}

/**
 * The table of every metric that is an interval estimate in at least one of the named splits.
 * @param splits - split name → metric name → estimate (other fields are ignored)
 * @param names - the splits to show, in column order
 * @returns the table, or `''` when there is nothing to show
 */
export function formatMetricTable(
  splits: Readonly<Record<string, unknown>>,
  names: readonly string[],
): string {
  const columns = names.map((n) => {
    const s = splits[n];
    return typeof s === 'object' && s !== null ? (s as Record<string, unknown>) : {};
  });
  const metrics = [
    ...new Set(columns.flatMap((c) => Object.keys(c).filter((k) => isEstimate(c[k])))),
  ];
  if (metrics.length === 0) return '';
  const rows = [
    ['metric', ...names],
    ...metrics.map((m) => [
      m,
      ...columns.map((c) => (isEstimate(c[m]) ? formatEstimate(c[m]) : '–')),
    ]),
  ];
  return textTable(rows);
}

/** Rows as a plain-text table: each column padded to its widest cell, two spaces apart, no trailing space. */
export function textTable(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]?.map((_, j) => Math.max(...rows.map((r) => (r[j] ?? '').length))) ?? [];
  return rows
    .map((r) =>
      r
        .map((cell, j) => cell.padEnd(widths[j] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
