/** Series colours shared by the charts (ID blue, OOD orange, far OOD green; detectors from a colour-blind-safe set). */
export const ID_COLOR = '#2f6fdb';
export const OOD_COLOR = '#d9622b';
export const FAR_COLOR = '#1f8a4c';
const PALETTE = [
  '#2f6fdb',
  '#d9622b',
  '#1f8a4c',
  '#8e44ad',
  '#c7a000',
  '#16a3b5',
  '#7f7f7f',
] as const;

/** Dash patterns paired with the series colours, so lines differ by more than colour (WCAG 1.4.1). */
const DASHES = ['', '8 3', '2 3', '10 3 2 3', '4 4', '12 4', '1 2'] as const;

/** The i-th series dash pattern ('' = solid), cycling. */
export function seriesDash(i: number): string {
  return DASHES[i % DASHES.length] ?? '';
}

/** The i-th series colour, cycling. */
export function seriesColor(i: number): string {
  return PALETTE[i % PALETTE.length] ?? '#7f7f7f';
}

/**
 * An axis tick's label with as many digits as the value needs (−0.0075, −0.005, 0, 0.0025), so evenly spaced
 * ticks read as evenly spaced (a fixed 3-digit format rounds −0.0075 to −0.007 but −0.0025 to −0.003).
 */
export function tickLabel(value: number): string {
  return value === 0 ? '0' : String(Number(value.toPrecision(3)));
}
