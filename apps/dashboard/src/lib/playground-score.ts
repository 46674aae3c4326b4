/**
 * Scoring a Playground input through the API (server side: the page's first render and the score route): the
 * API's answer as table rows, or the problem that stopped it.
 */
import type { ScoreRow } from './compare-scores';
import { problemOf, type Problem } from './load-run';
import type { PlaygroundInput } from './playground-input';
import { getApi, type RouterOutputs } from '../trpc/server';

/** The API's scores of an input, as the Playground shows them. */
export interface ApiScored {
  readonly model: { readonly id: string; readonly version: number; readonly sha256: string };
  readonly serverMs: number;
  readonly grades: readonly string[];
  readonly oodNames: readonly string[];
  readonly rows: readonly ScoreRow[];
  /** The rule behind every predicted grade, as the API names and explains it. */
  readonly decision: RouterOutputs['score']['decision'];
  /** Per row, the OOD scores the API found above their threshold. */
  readonly flagged: readonly (readonly string[])[];
}

/** What scoring an input gave: the scores, or why there are none. */
export type PlaygroundResult =
  | { readonly ok: true; readonly scored: ApiScored }
  | { readonly ok: false; readonly problem: Problem };

function toRow(item: RouterOutputs['score']['items'][number]): ScoreRow {
  return {
    probs: item.probs,
    expected: item.expected,
    predicted: item.predictedIndex,
    ood: Object.fromEntries(Object.entries(item.ood).map(([name, o]) => [name, o.score])),
    percentiles: Object.fromEntries(
      Object.entries(item.ood).map(([name, o]) => [name, o.percentile]),
    ),
  };
}

/** Scores an input with the API's served model. */
export async function scorePlayground(input: PlaygroundInput): Promise<PlaygroundResult> {
  try {
    const scored = await getApi().api.score.mutate({
      query: input.query,
      items: input.items.map((text, i) => ({ id: String(i + 1), text })),
    });
    return {
      ok: true,
      scored: {
        model: {
          id: scored.model.id,
          version: scored.model.version,
          sha256: scored.model.sha256,
        },
        serverMs: scored.timing.serverMs,
        grades: scored.grades,
        oodNames: Object.keys(scored.thresholds),
        rows: scored.items.map(toRow),
        decision: scored.decision,
        flagged: scored.items.map((item) =>
          Object.entries(item.ood)
            .filter(([, o]) => o.ood)
            .map(([name]) => name),
        ),
      },
    };
  } catch (error) {
    return { ok: false, problem: problemOf(error) };
  }
}
