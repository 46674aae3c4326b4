/** Series colours shared by the charts (ID blue, OOD orange; detectors from a colour-blind-safe set). */
export const ID_COLOR = '#2f6fdb';
export const OOD_COLOR = '#d9622b';
const PALETTE = [
  '#2f6fdb',
  '#d9622b',
  '#1f8a4c',
  '#8e44ad',
  '#c7a000',
  '#16a3b5',
  '#7f7f7f',
] as const;

/** The i-th series colour, cycling. */
export function seriesColor(i: number): string {
  return PALETTE[i % PALETTE.length] ?? '#7f7f7f';
}
