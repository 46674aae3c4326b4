/**
 * How the Map view colours its points: by group (colour and marker shape, so the groups differ by more than
 * colour), by fused OOD percentile (a sequential viridis-like ramp) or by error (three bins, grey without a label).
 */
import { seriesColor } from './charts/colors';

/** What the points are coloured by. */
export type ColorBy = 'group' | 'fused' | 'error';

/** The readable name of a map group. */
export const GROUP_LABELS: Readonly<Record<string, string>> = {
  id_test: 'ID test',
  near: 'Near OOD',
  far: 'Far OOD',
  pool: 'Pool (unlabelled)',
};

/** A group's marker: its colour and shape (0 circle, 1 square, 2 triangle, 3 diamond). */
export const groupStyle = (g: number) => ({ color: seriesColor(g), shape: g % 4 });

const RAMP = ['#440154', '#3b528b', '#21918c', '#5ec962', '#fde725'] as const;

const hex = (c: string) => [1, 3, 5].map((i) => Number.parseInt(c.slice(i, i + 2), 16));

/** The ramp's colour at t ∈ [0, 1] (linear between its five stops). */
export function rampColor(t: number): string {
  const u = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (RAMP.length - 1);
  const i = Math.min(RAMP.length - 2, Math.floor(u));
  const a = hex(RAMP[i] ?? RAMP[0]);
  const b = hex(RAMP[i + 1] ?? RAMP[0]);
  const f = u - i;
  return `#${a
    .map((v, k) =>
      Math.round(v + f * ((b[k] ?? 0) - v))
        .toString(16)
        .padStart(2, '0'),
    )
    .join('')}`;
}

/** The error bins: right, one grade off, two or more; and no label. */
export const ERROR_BINS = [
  { label: 'right (error 0)', color: '#2f6fdb' },
  { label: 'one grade off', color: '#c7a000' },
  { label: 'two grades off', color: '#c0392b' },
  { label: 'no label (pool)', color: '#9aa0a6' },
] as const;

/** The error bin of a point (3 = no label). */
export const errorBin = (e: number | null): number =>
  e === null ? 3 : e < 0.5 ? 0 : e < 1.5 ? 1 : 2;

/** The SVG path of a marker of `shape` and radius `r` centred at `at`. */
export function markerPath(shape: number, at: { x: number; y: number }, r: number): string {
  const { x, y } = at;
  const f = (v: number) => v.toFixed(1);
  switch (shape) {
    case 1:
      return `M${f(x - r)},${f(y - r)}h${f(2 * r)}v${f(2 * r)}h${f(-2 * r)}Z`;
    case 2:
      return `M${f(x)},${f(y - r - 1)}L${f(x + r + 1)},${f(y + r)}L${f(x - r - 1)},${f(y + r)}Z`;
    case 3:
      return `M${f(x)},${f(y - r - 1)}L${f(x + r + 1)},${f(y)}L${f(x)},${f(y + r + 1)}L${f(x - r - 1)},${f(y)}Z`;
    default:
      return `M${f(x - r)},${f(y)}a${f(r)},${f(r)} 0 1,0 ${f(2 * r)},0a${f(r)},${f(r)} 0 1,0 ${f(-2 * r)},0`;
  }
}
