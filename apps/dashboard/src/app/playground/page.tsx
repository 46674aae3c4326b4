/**
 * Playground: type a query and some items and see the served model's grades and OOD scores. The API scores
 * them on the server; the same bundle is scored in the browser with onnxruntime-web beside it
 * (`components/browser-scores.tsx`), with the largest difference between the two. The form navigates on the
 * client (`next/form`, through `NavigatingForm`, which makes sure the navigation lands), so the model the
 * browser loaded stays loaded for the next input.
 */
import { BrowserScores } from '../../components/browser-scores';
import { NavigatingForm } from '../../components/navigating-form';
import { PageHeader } from '../../components/page-header';
import { ScoresTable } from '../../components/scores-table';
import { ProblemState } from '../../components/states';
import type { ScoreRow } from '../../lib/compare-scores';
import { fmt } from '../../lib/format';
import { param, problemOf, type SearchParams } from '../../lib/load-run';
import { getApi, type RouterOutputs } from '../../trpc/server';

const EXAMPLE_QUERY = 'angle bracket';
const EXAMPLE_ITEMS =
  'Acme Steel-Tie 12-Gauge Angle\nDeckMate 8 x 3 in. Star Flat-Head Wood Deck Screws\nBehr Premium Deck Paint';

export default async function PlaygroundPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const query = param(params, 'query') ?? EXAMPLE_QUERY;
  const itemsText = param(params, 'items') ?? EXAMPLE_ITEMS;
  const items = itemsText
    .split('\n')
    .map((t) => t.trim())
    .filter((t) => t.length > 0)
    .slice(0, 50);
  let scored: RouterOutputs['score'] | undefined;
  let problem;
  try {
    scored = await getApi().api.score.mutate({
      query,
      items: items.map((text, i) => ({ id: String(i + 1), text })),
    });
  } catch (error) {
    problem = problemOf(error);
  }
  return (
    <>
      <PageHeader
        title="Playground"
        lead="Type a query and some items (one per line) and see how the served model grades them and whether it finds them out of distribution."
      />
      <section className="panel" aria-labelledby="input-h">
        <h2 id="input-h">Input</h2>
        <NavigatingForm action="/playground" className="filters">
          <label className="field" style={{ flex: '1 1 220px' }}>
            Query
            <input name="query" defaultValue={query} maxLength={500} />
          </label>
          <label className="field" style={{ flex: '2 1 320px' }}>
            Items, one per line (up to 50)
            <textarea name="items" defaultValue={itemsText} rows={5} />
          </label>
          <button type="submit">Score</button>
        </NavigatingForm>
      </section>
      {problem === undefined ? null : <ProblemState problem={problem} />}
      {scored === undefined ? null : (
        <section className="panel" aria-labelledby="scores-h">
          <h2 id="scores-h">
            Scores from the API (model {scored.model.id} v{scored.model.version},{' '}
            {fmt(scored.timing.serverMs, 1)} ms)
          </h2>
          <ScoresTable
            name="playground"
            items={items}
            grades={scored.grades}
            oodNames={Object.keys(scored.thresholds)}
            rows={scored.items.map(toRow)}
            flagged={(i, d) => scored.items[i]?.ood[d]?.ood === true}
          />
        </section>
      )}
      {scored === undefined ? null : (
        <BrowserScores
          query={query}
          items={items}
          grades={scored.grades}
          api={scored.items.map(toRow)}
          apiSha256={scored.model.sha256}
        />
      )}
    </>
  );
}

function toRow(item: RouterOutputs['score']['items'][number]): ScoreRow {
  return {
    probs: item.probs,
    expected: item.expected,
    predicted: item.predictedIndex,
    ood: Object.fromEntries(Object.entries(item.ood).map(([name, o]) => [name, o.score])),
  };
}
