/** A short, collapsed list of the terms a view uses, each explained in plain words (`lib/glossary.ts`). */
import { GLOSSARY, type Term } from '../lib/glossary';

export function Glossary({ terms }: { terms: readonly Term[] }) {
  return (
    <details className="glossary">
      <summary>What the terms mean</summary>
      <dl>
        {terms.map((term) => (
          <div key={term}>
            <dt>{term}</dt>
            <dd>{GLOSSARY[term]}</dd>
          </div>
        ))}
      </dl>
    </details>
  );
}
