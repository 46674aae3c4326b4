/** The dashboard's views, in navigation order. */
export const VIEWS = [
  { href: '/', label: 'Overview' },
  { href: '/detectors', label: 'Detectors' },
  { href: '/calibration', label: 'Calibration' },
  { href: '/slices', label: 'Slices' },
  { href: '/samples', label: 'Samples' },
  { href: '/selection', label: 'Selection' },
  { href: '/runs', label: 'Runs' },
  { href: '/playground', label: 'Playground' },
] as const;

/** A view's path with the run carried over, when the URL named one. */
export function withRun(href: string, run: string | null | undefined): string {
  return run === null || run === undefined || run === ''
    ? href
    : `${href}?run=${encodeURIComponent(run)}`;
}
