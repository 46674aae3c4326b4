/**
 * A pipeline run folder with invented contents, for readers' tests (API, dashboard) that need a run with the
 * shift sections and no pipeline run: report.json ({@link samplePipelineReport}), map.json ({@link sampleShiftMap})
 * and a predictions.jsonl whose rows include every map point (`id_test` 1, 2; `ood_test` 3, 4; `far_test`
 * far:5; `pool` far:6) and a few ID and far test pairs that are not on the map.
 * @internal
 */
import { join } from 'node:path';

import { writeLinesAtomic } from '../io/atomic-write';
import { writeShiftMap } from '../pipeline/shift-map';
import type { PredictionRowInput } from './prediction-row-schema';
import { writeRunReport } from './read-report';
import { sampleShiftMap } from './shift-fixtures';
import { samplePipelineReport } from './test-fixtures';

const QUERIES = ['cordless drill', 'paint roller', 'usb cable', 'garden hose'];

/** An invented predictions row of a split; `n` varies the texts and scores. */
function row(id: string, split: string, n: number): PredictionRowInput {
  const grade = split === 'pool' ? null : n % 3;
  const strong = 0.5 - 0.05 * (n % 3);
  const probs = [0.2 + 0.05 * (n % 3), 0.3, strong];
  const expected = 0.3 + 2 * strong;
  const query = QUERIES[n % QUERIES.length] ?? 'drill';
  return {
    id,
    split,
    query,
    item: `item ${id} for ${query}`,
    grade,
    probs,
    expected,
    predicted: Math.round(expected),
    ood: { energy: 10 + n, surprisal: n / 10 },
    slice: split === 'ood_test' ? 'paint' : 'tools',
    ...(split === 'pool' ? { selected: n % 2 === 0 } : {}),
  };
}

/** The rows of {@link writeSampleRunFolder}'s predictions.jsonl. */
export function samplePredictionRows(): PredictionRowInput[] {
  const rows: [string, string][] = [
    ['1', 'id_test'],
    ['2', 'id_test'],
    ['7', 'id_test'],
    ['8', 'id_test'],
    ['3', 'ood_test'],
    ['4', 'ood_test'],
    ['far:5', 'far_test'],
    ['far:9', 'far_test'],
    ['far:6', 'pool'],
  ];
  return rows.map(([id, split], n) => row(id, split, n));
}

/**
 * Writes the sample run folder.
 * @param dir - the run folder (created)
 * @param options - `map: false` leaves map.json out and report.json without `map` (a run from before the map),
 *   `shift: false` also drops `ood_sets` and `budget_curve` (a report from before near and far OOD)
 * @returns the paths written
 */
export function writeSampleRunFolder(
  dir: string,
  options: { map?: boolean; shift?: boolean } = {},
): { report: string; predictions: string; map: string | null } {
  const { map: _map, ood_sets: sets, budget_curve: curve, ...base } = samplePipelineReport();
  const shift = options.shift ?? true;
  const withMap = shift && (options.map ?? true);
  const report = join(dir, 'report.json');
  writeRunReport(report, {
    ...base,
    ood_spaces: { energy: 'relevance', surprisal: 'content' },
    ...(shift ? { ood_sets: sets, budget_curve: curve } : {}),
    ...(withMap ? { map: 'map.json' } : {}),
  });
  const predictions = join(dir, 'predictions.jsonl');
  writeLinesAtomic(
    predictions,
    samplePredictionRows().map((r) => `${JSON.stringify(r)}\n`),
  );
  return { report, predictions, map: withMap ? writeShiftMap(dir, sampleShiftMap()) : null };
}
