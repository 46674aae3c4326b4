/**
 * The annotation queue: the pool pairs the distribution-aware selection picked, read through
 * `runs.predictions` (pool split, selected rows), in pick order, with each pick's reason, and written as CSV or
 * JSONL for annotators.
 */
import { z } from 'zod';

import { getApi } from '../trpc/server';

/** One pick. */
export interface QueueItem {
  rank: number;
  id: string;
  query: string;
  item: string;
  predicted: number;
  probs: number[];
  /** The revealed label, when the run revealed it. */
  grade: number | null;
  summary: string;
  fusedPercentile: number | null;
  cluster: number | null;
  detectors: { kind: string; score: number; percentile: number }[];
}

const selectionSchema = z.object({
  rank: z.number(),
  reason: z
    .object({
      summary: z.string().optional(),
      passed: z.string().optional(),
      fusedPercentile: z.number().optional(),
      cluster: z.number().optional(),
      detectors: z
        .array(z.object({ kind: z.string(), score: z.number(), percentile: z.number() }))
        .optional(),
    })
    .partial()
    .optional(),
});

/** The queue of a run, in pick order. */
export async function getQueue(id: string): Promise<QueueItem[]> {
  const { api } = getApi();
  const rows = [];
  let cursor: number | null = 0;
  while (cursor !== null) {
    const page = await api.runs.predictions.query({
      id,
      split: 'pool',
      selected: true,
      cursor,
      limit: 500,
    });
    rows.push(...page.rows);
    cursor = page.nextCursor;
  }
  return rows
    .map((row, i) => {
      const parsed = selectionSchema.safeParse(row.selection);
      const s = parsed.success ? parsed.data : { rank: i, reason: undefined };
      return {
        rank: s.rank,
        id: row.id,
        query: row.query,
        item: row.item,
        predicted: row.predicted,
        probs: row.probs,
        grade: row.grade,
        summary: s.reason?.summary ?? s.reason?.passed ?? '',
        fusedPercentile: s.reason?.fusedPercentile ?? null,
        cluster: s.reason?.cluster ?? null,
        detectors: s.reason?.detectors ?? [],
      };
    })
    .sort((a, b) => a.rank - b.rank);
}

const csvField = (value: string | number | null): string => {
  const text = value === null ? '' : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

/**
 * The queue as CSV for annotators (one header line, RFC 4180 quoting): the predicted grade by name, and an empty
 * `label` column last for the annotator's grade.
 */
export function queueCsv(queue: readonly QueueItem[], grades: readonly string[]): string {
  const header = [
    'rank',
    'id',
    'query',
    'item',
    'predicted',
    'fused_percentile',
    'cluster',
    'reason',
    'label',
  ];
  const lines = queue.map((q) =>
    [
      q.rank,
      q.id,
      q.query,
      q.item,
      grades[q.predicted] ?? q.predicted,
      q.fusedPercentile,
      q.cluster,
      q.summary,
      null,
    ]
      .map(csvField)
      .join(','),
  );
  return `${[header.join(','), ...lines].join('\n')}\n`;
}

/** The queue as JSONL, one pick per line. */
export function queueJsonl(queue: readonly QueueItem[]): string {
  return queue.map((q) => JSON.stringify(q)).join('\n') + (queue.length > 0 ? '\n' : '');
}
