import type { Metadata, Viewport } from 'next';
import { Suspense, type ReactNode } from 'react';

import { Nav, NavFallback } from '../components/nav';
import './globals.css';

export const metadata: Metadata = {
  title: 'gradeshift dashboard',
  description: 'Where and why graded relevance breaks under distribution shift',
};

export const viewport: Viewport = { width: 'device-width', initialScale: 1 };

// Every view reads live data from the API at request time.
export const dynamic = 'force-dynamic';

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <a className="skip" href="#main">
          Skip to content
        </a>
        <div className="shell">
          <aside className="sidebar">
            <p className="brand">gradeshift</p>
            <Suspense fallback={<NavFallback />}>
              <Nav />
            </Suspense>
          </aside>
          <main id="main">{children}</main>
        </div>
      </body>
    </html>
  );
}
