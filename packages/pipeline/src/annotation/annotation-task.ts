/**
 * The annotation queue: the picks of a selection as tasks for annotators, each with the pair, the strategy's
 * reason and the OOD scores that made it a pick, matched back by `id` when the labels return. The grade names
 * come from the run's data source, so a label file can say `weak` rather than `1`.
 */
import type { DataSource } from '../pipeline/types';
import { createGradeMapper, type GradeMapper } from '../data/grade-mapping';
import { getDatasetPreset } from '../data/presets';
import type { SelectionLine } from '../run-folder/selection-file';

/** One task of the queue. */
export interface AnnotationTask {
  /** The pair's id: what a returned label is matched by. */
  readonly id: string;
  /** 1 = picked first. */
  readonly rank: number;
  readonly query: string;
  readonly item: string;
  /** The strategy's one-line reason. */
  readonly reason: string;
  /** Each detector's raw score and ID percentile (distribution-aware picks; empty for the other strategies). */
  readonly ood: Readonly<Record<string, { readonly score: number; readonly percentile: number }>>;
}

interface DetectorReason {
  readonly kind: string;
  readonly score: number;
  readonly percentile: number;
}

function isDetectorReason(value: unknown): value is DetectorReason {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v['kind'] === 'string' &&
    typeof v['score'] === 'number' &&
    typeof v['percentile'] === 'number'
  );
}

/** The one-line summary and the detector scores of a stored reason (any strategy's). */
function readReason(reason: unknown): Pick<AnnotationTask, 'reason' | 'ood'> {
  if (typeof reason !== 'object' || reason === null)
    return { reason: typeof reason === 'string' ? reason : '', ood: {} };
  const r = reason as Record<string, unknown>;
  const ood: Record<string, { score: number; percentile: number }> = {};
  const detectors = Array.isArray(r['detectors']) ? (r['detectors'] as unknown[]) : [];
  for (const d of detectors)
    if (isDetectorReason(d)) ood[d.kind] = { score: d.score, percentile: d.percentile };
  return { reason: typeof r['summary'] === 'string' ? r['summary'] : JSON.stringify(reason), ood };
}

/**
 * The tasks of a selection, in rank order.
 * @param lines - selection.jsonl's lines
 * @throws RangeError when two picks share an id (labels could not be matched back)
 */
export function annotationTasks(lines: readonly SelectionLine[]): AnnotationTask[] {
  const seen = new Set<string>();
  return [...lines]
    .sort((a, b) => a.rank - b.rank)
    .map((line) => {
      if (seen.has(line.id))
        throw new RangeError(`two picks share the id ${JSON.stringify(line.id)}`);
      seen.add(line.id);
      return {
        id: line.id,
        rank: line.rank,
        query: line.query,
        item: line.item,
        ...readReason(line.reason),
      };
    });
}

/**
 * The grade mapping of a data source (a preset's or the source's own): grade names, and for rating data the
 * rating range and the rating → grade rule.
 * @throws Error for an unknown preset or an invalid mapping
 */
export function gradeMapperOf(source: DataSource): GradeMapper {
  return createGradeMapper(
    'preset' in source ? getDatasetPreset(source.preset).grades : source.grades,
  );
}

/** The grade names of a data source, lowest first. */
export function gradeNamesOf(source: DataSource): string[] {
  return gradeMapperOf(source).scale.grades.map((g) => g.name);
}
