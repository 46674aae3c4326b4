'use client';

export default function ErrorPage({ error, reset }: { error: Error; reset: () => void }) {
  return (
    <section className="callout callout-error" role="alert">
      <h2>This view failed to render</h2>
      <p>{error.message}</p>
      <p>
        Check that the API is up (<code>npm run api</code>) and try again.
      </p>
      <button type="button" onClick={reset}>
        Try again
      </button>
    </section>
  );
}
