export default function NotFound() {
  return (
    <section className="callout callout-info" role="status">
      <h2>No such view</h2>
      <p>
        Go back to the <a href="/">Overview</a>.
      </p>
    </section>
  );
}
