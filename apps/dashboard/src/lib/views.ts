/**
 * The dashboard's views, in navigation order.
 *
 * How the dashboard navigates: every view is rendered on the server from the URL (`force-dynamic`), so every
 * link, sort heading, pager, filter form and the run picker is a plain document navigation (`<a href>`,
 * `<form method="get">`, `location.assign`), never Next's client router. Next.js 15's client router now and then
 * fetches a same-route, new-query render and never commits it (the URL and the page stay as they were;
 * vercel/next.js#92152, #93104); a document navigation always lands, and costs only the cached JS. The one view
 * with client state worth keeping across inputs, the Playground (its loaded model), owns its state instead: it
 * updates the URL with `history.pushState` and fetches the API's scores from its own route handler.
 */
export const VIEWS = [
  { href: '/', label: 'Overview' },
  { href: '/detectors', label: 'Detectors' },
  { href: '/map', label: 'Map' },
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
