'use client';
/** The view navigation; keeps `?run=` when moving between views. Plain links: see `lib/views.ts`. */
import { usePathname, useSearchParams } from 'next/navigation';

import { VIEWS, withRun } from '../lib/views';

export function Nav() {
  const pathname = usePathname();
  const run = useSearchParams().get('run');
  return (
    <nav aria-label="Views" className="nav">
      <ul>
        {VIEWS.map((view) => {
          const current = view.href === '/' ? pathname === '/' : pathname.startsWith(view.href);
          return (
            <li key={view.href}>
              <a href={withRun(view.href, run)} aria-current={current ? 'page' : undefined}>
                {view.label}
              </a>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}

/** The navigation before search parameters are known (static shell). */
export function NavFallback() {
  return (
    <nav aria-label="Views" className="nav">
      <ul>
        {VIEWS.map((view) => (
          <li key={view.href}>
            <a href={view.href}>{view.label}</a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
