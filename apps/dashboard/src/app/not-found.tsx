import Link from 'next/link';

export default function NotFound() {
  return (
    <section className="callout callout-info" role="status">
      <h2>No such view</h2>
      <p>
        Go back to the <Link href="/">Overview</Link>.
      </p>
    </section>
  );
}
