/**
 * The request bodies of the rerank-compatible endpoints, as each vendor documents them, checked with zod and
 * turned into one {@link RerankRequest}. Fields a vendor defines that gradeshift has no use for
 * (`max_tokens_per_doc`, `priority`, `max_chunks_per_doc`, `rank_fields`) are accepted and ignored.
 */
import { z } from 'zod';

import { limitMessage, type Limits } from '../limits';
import { modelId } from '../schemas';

/** A rerank call, whatever the vendor shape it came in. */
export interface RerankRequest {
  readonly query: string;
  readonly documents: readonly string[];
  /** Results to return, best first. @default all */
  readonly topN?: number | undefined;
  /** A served model id. @default the first served model */
  readonly model?: string | undefined;
  /** The documents' field name in the vendor's body, for error messages. @default 'documents' */
  readonly field?: string;
}

/** A document: a string, or an object with a `text` field (Cohere v1, Jina). */
const documentText = z.union([
  z.string(),
  z.object({ text: z.string() }).transform((doc) => doc.text),
]);

function documentList(limits: Limits, minimum: number) {
  return z
    .array(documentText)
    .min(minimum, { error: 'give at least one document' })
    .max(limits.maxItems, { error: limitMessage('maxItems', limits.maxItems) });
}

const topN = z.number().int().min(1).optional();

/**
 * Cohere v2 (`POST /v2/rerank`): `{model, query, documents, top_n}`; `model` names a served model (the empty
 * string or a name no model has is refused, see rerank-routes.ts).
 */
export function cohereV2Request(limits: Limits) {
  return z.object({
    model: modelId.optional(),
    query: z.string(),
    documents: documentList(limits, 1),
    top_n: topN,
    max_tokens_per_doc: z.number().int().optional(),
    priority: z.number().optional(),
  });
}

/** Jina and Cohere v1 (`POST /v1/rerank`): as v2, plus `return_documents` (default true, Jina's default). */
export function v1Request(limits: Limits) {
  return cohereV2Request(limits).extend({
    return_documents: z.boolean().default(true),
    max_chunks_per_doc: z.number().int().optional(),
    rank_fields: z.array(z.string()).optional(),
  });
}

/** Hugging Face TEI (`POST /rerank`): `{query, texts, raw_scores, return_text, truncate, truncation_direction}`. */
export function teiRequest(limits: Limits) {
  return z.object({
    query: z.string(),
    texts: documentList(limits, 1),
    raw_scores: z.boolean().default(false),
    return_text: z.boolean().default(false),
    truncate: z.boolean().default(false),
    truncation_direction: z.enum(['Left', 'Right', 'left', 'right']).default('Right'),
  });
}

/**
 * Cuts `text` to `max` characters from the side TEI's `truncation_direction` names (`Right` keeps the start).
 * @param text - a query or document
 * @param max - the `maxTextChars` limit
 * @param direction - which end is cut
 */
export function truncateText(text: string, max: number, direction: string): string {
  if (text.length <= max) return text;
  return direction.toLowerCase() === 'left' ? text.slice(text.length - max) : text.slice(0, max);
}
