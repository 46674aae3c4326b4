/**
 * The one scoring step behind every rerank-compatible endpoint: the documents scored through a served model by
 * the same `scoreItems` as `score` / `rank`, sorted best first and cut to `topN`, each with its relevance score and
 * gradeshift's own figures.
 *
 * `relevance_score` is the expected grade normalised to [0, 1]: Σ_c c·p_c / (K − 1) for a scale of K grades
 * (0 = surely the lowest grade, 1 = surely the highest), so it orders documents exactly as `rank` does.
 */
import { TRPCError } from '@trpc/server';

import type { Limits } from '../limits';
import { limitMessage } from '../limits';
import type { ModelRegistry } from '../models/model-registry';
import {
  rankedRows,
  scoreItems,
  type ItemOodScore,
  type ModelRef,
  type ScoredList,
} from '../scoring/score-items';
import type { RerankRequest } from './rerank-requests';

/** gradeshift's figures for one document, in the `gradeshift` extension field of each result. */
export interface RerankExtension {
  /** Grade probabilities, lowest grade first (the response's `gradeshift.grades`). */
  readonly probs: number[];
  /** Σ_c c·p_c on the 0-based grade axis (`raw_scores` on the TEI endpoint). */
  readonly expected: number;
  /** The decided grade (the bundle's decision rule, named in the response's `gradeshift.decision`). */
  readonly predicted: string;
  /** The most probable grade (arg-max of `probs`). */
  readonly mostProbable: string;
  /** Every OOD score of the bundle: raw score, ID percentile and flag at the calibrated threshold. */
  readonly ood: Record<string, ItemOodScore>;
}

/** One result, best first. */
export interface RerankHit {
  /** Position of the document in the request. */
  readonly index: number;
  /** Expected grade / (K − 1), in [0, 1]. */
  readonly relevanceScore: number;
  readonly text: string;
  readonly gradeshift: RerankExtension;
}

/** A reranked list with what answered. */
export interface RerankResult {
  readonly hits: RerankHit[];
  /** The response-level extension: model, grade names, OOD thresholds. */
  readonly gradeshift: {
    readonly model: ModelRef;
    readonly grades: string[];
    readonly thresholds: Record<string, { threshold: number; tpr: number }>;
    /** The rule behind every `predicted`, named and explained in one sentence. */
    readonly decision: ScoredList['decision'];
  };
}

/**
 * Reranks `request.documents` against `request.query`.
 * @param registry - the served models
 * @param limits - the limits in force (query and document lengths)
 * @param request - query, documents, top N and model
 * @throws TRPCError BAD_REQUEST for an empty query or a text over `maxTextChars`; UnknownModelError
 */
export async function rerankDocuments(
  registry: ModelRegistry,
  limits: Limits,
  request: RerankRequest,
): Promise<RerankResult> {
  const { query, documents } = request;
  const over = (text: string) => text.length > limits.maxTextChars;
  if (query.trim().length === 0)
    throw new TRPCError({
      code: 'BAD_REQUEST',
      message: 'query: the query must have at least one non-space character',
    });
  const longest = documents.findIndex(over);
  if (over(query) || longest >= 0)
    throw new TRPCError({
      code: 'BAD_REQUEST',
      message: `${over(query) ? 'query' : `${request.field ?? 'documents'}.${longest}`}: ${limitMessage('maxTextChars', limits.maxTextChars)}`,
    });
  const items = documents.map((text, i) => ({ id: String(i), text }));
  const list = await registry.use(request.model, (model) => scoreItems(model, { query, items }));
  const top = Math.max(1, list.grades.length - 1);
  const hits = rankedRows(list, request.topN).map((row): RerankHit => {
    const index = Number(row.id);
    return {
      index,
      relevanceScore: Math.min(1, Math.max(0, Math.round((row.expected / top) * 1e6) / 1e6)),
      text: documents[index] ?? '',
      gradeshift: {
        probs: row.probs,
        expected: row.expected,
        predicted: row.predicted,
        mostProbable: row.mostProbable,
        ood: row.ood,
      },
    };
  });
  return {
    hits,
    gradeshift: {
      model: list.model,
      grades: list.grades,
      thresholds: list.thresholds,
      decision: list.decision,
    },
  };
}
