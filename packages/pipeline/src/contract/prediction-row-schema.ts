/**
 * One row of predictions.jsonl: a scored pair of a run's test splits or pool (pipeline runs) or of the
 * labelled file (`external`, evaluation runs). Both `writePredictions` and `evaluateBundle` write it; the API
 * reads it through {@link predictionRowSchema}.
 */
import { z } from 'zod';

/** One row of predictions.jsonl. */
export const predictionRowSchema = z.object({
  /** The pair's id (a number in files written before ids were strings). */
  id: z.union([z.string(), z.number()]).transform(String),
  /** `id_test`, `ood_test` (near OOD), `far_test` (far OOD), `pool` (pipeline runs) or `external` (evaluation runs). */
  split: z.string(),
  /** Source line of the pair (evaluation runs). */
  line: z.number().int().optional(),
  query: z.string(),
  item: z.string(),
  /** True grade (0-based), or null for a pool pair whose label was never revealed. */
  grade: z.number().int().nullable(),
  /** Grade probabilities, lowest grade first. */
  probs: z.array(z.number()),
  expected: z.number(),
  /** The grade under the run's decision rule. */
  predicted: z.number().int(),
  /** The most probable grade (pipeline runs). */
  argmax: z.number().int().optional(),
  /** Every OOD score of the pair, by name. */
  ood: z.record(z.string(), z.number()),
  /** Flagged at the bundle's threshold, by name (evaluation runs). */
  ood_flag: z.record(z.string(), z.boolean()).optional(),
  /** The slice (department or cluster) of the pair's query, as in report.json's `slices` (pipeline runs; absent in older runs). */
  slice: z.string().optional(),
  /**
   * The nearest ID-train pairs in the content space (pipeline runs; absent in older runs): among a seeded sample
   * of ID train, most similar first; similarity is the mean of the query and item direction cosines.
   */
  neighbours: z
    .array(
      z.object({
        id: z.union([z.string(), z.number()]).transform(String),
        query: z.string(),
        item: z.string(),
        grade: z.number().int(),
        similarity: z.number(),
      }),
    )
    .optional(),
  /** Pool pairs: where the pair came from (`id`, `near` or `far` traffic; absent in older runs). */
  origin: z.enum(['id', 'near', 'far']).optional(),
  /** Pool pairs: picked by the main model's selection. */
  selected: z.boolean().optional(),
  /** Pool pairs that were picked: rank and reason. */
  selection: z.object({ rank: z.number().int(), reason: z.unknown() }).optional(),
});

/** One row of predictions.jsonl as read. */
export type PredictionRow = z.infer<typeof predictionRowSchema>;
/** One row of predictions.jsonl as written. */
export type PredictionRowInput = z.input<typeof predictionRowSchema>;
