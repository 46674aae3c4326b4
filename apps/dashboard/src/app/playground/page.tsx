/**
 * Playground: type a query and some items and see the served model's grades and OOD scores. The API scores
 * them on the server; the same bundle is scored in the browser with onnxruntime-web beside it
 * (`components/browser-scores.tsx`), with the largest difference between the two. The first render scores the
 * URL's input on the server; after that the form (`components/playground.tsx`) owns its state and fetches new
 * scores without navigating, so the model the browser loaded stays loaded for the next input.
 */
import { PageHeader } from '../../components/page-header';
import { Playground } from '../../components/playground';
import type { SearchParams } from '../../lib/load-run';
import { readPlaygroundInput } from '../../lib/playground-input';
import { scorePlayground } from '../../lib/playground-score';

export default async function PlaygroundPage({ searchParams }: { searchParams: SearchParams }) {
  const input = readPlaygroundInput(await searchParams);
  const result = await scorePlayground(input);
  return (
    <>
      <PageHeader
        title="Playground"
        lead="Type a query and some items (one per line) and see how the served model grades them and whether it finds them out of distribution."
      />
      <Playground initial={input} result={result} />
    </>
  );
}
