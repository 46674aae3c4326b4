'use client';
/**
 * The Playground's input form and results. It owns its state instead of navigating: a submit puts the input in
 * the URL with `history.pushState` (so the view can be shared and Back works) and fetches the API's scores from
 * `/playground/score`, so the model the browser loaded stays loaded for the next input. Without JavaScript the
 * form is a plain GET form and the page scores on the server.
 */
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';

import { fmt } from '../lib/format';
import {
  itemsOf,
  MAX_ITEMS,
  playgroundSearch,
  readPlaygroundInput,
  type PlaygroundInput,
} from '../lib/playground-input';
import type { PlaygroundResult } from '../lib/playground-score';
import { BrowserScores } from './browser-scores';
import { ScoresTable } from './scores-table';
import { ProblemState } from './states';

/** The fetched result for an input, or the message of a failed fetch. */
async function fetchScores(input: PlaygroundInput): Promise<PlaygroundResult> {
  try {
    const response = await fetch(
      `/playground/score?${playgroundSearch(input.query, input.itemsText)}`,
      { cache: 'no-store' },
    );
    return (await response.json()) as PlaygroundResult;
  } catch (error) {
    return {
      ok: false,
      problem: { kind: 'error', message: error instanceof Error ? error.message : String(error) },
    };
  }
}

export function Playground({
  initial,
  result: initialResult,
}: {
  initial: PlaygroundInput;
  result: PlaygroundResult;
}) {
  const [input, setInput] = useState(initial);
  const [result, setResult] = useState(initialResult);
  const [pending, setPending] = useState(false);
  const latest = useRef(0);

  // The newest request wins: an answer to an input typed over is dropped.
  const load = useCallback(async (next: PlaygroundInput) => {
    latest.current += 1;
    const ticket = latest.current;
    setPending(true);
    const answer = await fetchScores(next);
    if (ticket !== latest.current) return;
    setInput(next);
    setResult(answer);
    setPending(false);
  }, []);

  // Back and Forward restore the input the URL names.
  useEffect(() => {
    const onPop = () =>
      void load(readPlaygroundInput(Object.fromEntries(new URLSearchParams(location.search))));
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, [load]);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const field = (name: string) => {
      const value = data.get(name);
      return typeof value === 'string' ? value : '';
    };
    const query = field('query').slice(0, 500);
    const itemsText = field('items');
    window.history.pushState(null, '', `/playground?${playgroundSearch(query, itemsText)}`);
    void load({ query, itemsText, items: itemsOf(itemsText) });
  };

  return (
    <>
      <section className="panel" aria-labelledby="input-h">
        <h2 id="input-h">Input</h2>
        <form className="filters" method="get" action="/playground" onSubmit={submit}>
          <label className="field" style={{ flex: '1 1 220px' }}>
            Query
            <input name="query" defaultValue={initial.query} maxLength={500} />
          </label>
          <label className="field" style={{ flex: '2 1 320px' }}>
            Items, one per line (up to {MAX_ITEMS})
            <textarea name="items" defaultValue={initial.itemsText} rows={5} />
          </label>
          <button type="submit" aria-busy={pending}>
            Score
          </button>
        </form>
        {pending ? (
          <p role="status" className="muted">
            Scoring…
          </p>
        ) : null}
      </section>
      {result.ok ? null : <ProblemState problem={result.problem} />}
      {result.ok ? (
        <section className="panel" aria-labelledby="scores-h" data-query={input.query}>
          <h2 id="scores-h">
            Scores from the API (model {result.scored.model.id} v{result.scored.model.version},{' '}
            {fmt(result.scored.serverMs, 1)} ms)
          </h2>
          <ScoresTable
            name="playground"
            items={input.items}
            grades={result.scored.grades}
            oodNames={result.scored.oodNames}
            rows={result.scored.rows}
            flagged={(i, d) => result.scored.flagged[i]?.includes(d) === true}
            decision={result.scored.decision}
          />
        </section>
      ) : null}
      {result.ok ? (
        <BrowserScores
          query={input.query}
          items={input.items}
          grades={result.scored.grades}
          api={result.scored.rows}
          apiSha256={result.scored.model.sha256}
        />
      ) : null}
    </>
  );
}
