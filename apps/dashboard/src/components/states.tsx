/**
 * Empty and error states that say what to do: no run yet → the command that makes one; API down → the command
 * that starts it; a missing report section → what produces it.
 */
import type { ReactNode } from 'react';

import type { Problem } from '../lib/load-run';

export function Callout({
  title,
  children,
  tone = 'info',
}: {
  title: string;
  children: ReactNode;
  tone?: 'info' | 'error';
}) {
  return (
    <section className={`callout callout-${tone}`} role={tone === 'error' ? 'alert' : 'status'}>
      <h2>{title}</h2>
      {children}
    </section>
  );
}

export function ProblemState({ problem }: { problem: Problem }) {
  switch (problem.kind) {
    case 'config':
      return (
        <Callout title="The dashboard is misconfigured" tone="error">
          <p>{problem.message}</p>
          <p>
            Set <code>GRADESHIFT_API_URL</code> to the API&apos;s address, e.g.{' '}
            <code>GRADESHIFT_API_URL=http://127.0.0.1:4000 npm start -w @gradeshift/dashboard</code>
            .
          </p>
        </Callout>
      );
    case 'unreachable':
      return (
        <Callout title="The API is not answering" tone="error">
          <p>
            No answer from <code>{problem.apiUrl}</code>. Start it with <code>npm run api</code> (or
            bring up both with <code>npm start</code>) and reload this page.
          </p>
          <details>
            <summary>Details</summary>
            <pre>{problem.message}</pre>
          </details>
        </Callout>
      );
    case 'no-run':
      return (
        <Callout title="No finished run yet">
          {problem.running === undefined ? null : (
            <p>
              Run <code>{problem.running.name}</code> is being built right now (started{' '}
              {problem.running.createdAt}); reload when it finishes.
            </p>
          )}
          <p>
            Build the default run on the Home Depot data with <code>npm start</code> (about three
            minutes), or another with{' '}
            <code>npx gradeshift pipeline --preset homedepot --out runs/NAME</code>.
          </p>
        </Callout>
      );
    case 'not-found':
      return (
        <Callout title={`No run "${problem.run}"`} tone="error">
          <p>
            The API knows no run with that id or name. Pick one on the <a href="/runs">Runs</a>{' '}
            view, or list them with <code>npx gradeshift runs</code>.
          </p>
        </Callout>
      );
    case 'error':
      return (
        <Callout title="The API refused the request" tone="error">
          <pre>{problem.message}</pre>
        </Callout>
      );
  }
}

/** A report section the run does not have. */
export function MissingSection({ what }: { what: string }) {
  return (
    <Callout title={`This run has no ${what}`}>
      <p>
        Its report.json lacks that section. Runs made by <code>npm start</code> or{' '}
        <code>npx gradeshift pipeline</code> write it; evaluation-only runs do not.
      </p>
    </Callout>
  );
}
