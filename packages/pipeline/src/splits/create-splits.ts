/**
 * Query-disjoint splits under a distribution shift. Queries (normalised, see `normalizeQuery`) are the unit:
 * a shift strategy puts each query on the in-distribution (ID) or the shifted (OOD) side, then each side's
 * queries are shuffled with the seed and cut by the fractions: ID into train / validation / test, OOD into an
 * unlabeled pool (labels hidden until `revealLabels`) and an OOD test set. The same normalised query therefore
 * never appears in two splits, and the same dataset, options and seed always give the same splits.
 */
import { createRng, shuffledIndices } from '@gradeshift/core/math';

import type { Dataset, LabeledPair } from '../data/dataset';
import type { PoolOrigin } from '../contract/shift-schema';
import { splitFar, type FarSplitOptions } from './far-split';
import { groupByQuery, type QueryGroup } from './query-groups';
import { assignShiftGroups } from './shift-groups';
import { summarizeSplit, type SplitReport } from './split-report';
import type { IdFractions, LabeledSplit, OodFractions, ShiftStrategy, SplitName } from './types';
import { createUnlabeledPool, type UnlabeledPool } from './unlabeled-pool';

/** Options for {@link createSplits}. */
export interface CreateSplitsOptions {
  /** How the shifted side is chosen. */
  shift: ShiftStrategy;
  /** Seed of the query shuffles (and of the k-means seeding). @default 0 */
  seed?: number;
  /** Fractions of the ID queries. @default { train: 0.7, validation: 0.1, test: 0.2 } */
  idFractions?: IdFractions;
  /** Fractions of the OOD queries. @default { pool: 0.7, test: 0.3 } */
  oodFractions?: OodFractions;
  /** Most distinct pool labels `revealLabels` may reveal. @default Infinity */
  poolBudget?: number;
  /** A second dataset as far-OOD traffic: part joins the pool, the rest is the far-OOD test set. */
  far?: FarSplitOptions;
  /**
   * Share of the ID queries whose pairs join the pool unlabeled (so the pool mixes ID, near and far traffic, as
   * production traffic does); they come out of ID train, so validation and test are those of a run without.
   * @default 0.05 with a far-OOD set, else 0
   */
  idPoolFraction?: number;
}

/** The five splits and their report. */
export interface Splits {
  readonly idTrain: LabeledSplit;
  readonly idValidation: LabeledSplit;
  readonly idTest: LabeledSplit;
  /** Shifted, labels hidden. */
  readonly pool: UnlabeledPool;
  readonly oodTest: LabeledSplit;
  /** The far-OOD test set (runs with a far-OOD set). */
  readonly farTest?: LabeledSplit;
  /** Where each pool pair came from (same order as `pool.pairs`). */
  readonly poolOrigin: readonly PoolOrigin[];
  /** Far queries left out because the training data has them too (0 without a far set). */
  readonly farSharedQueries: number;
  readonly report: SplitReport;
  /** Domain (department, cluster or category) of every normalised query. */
  readonly domainOfQuery: ReadonlyMap<string, string>;
}

function checkFractions(fractions: readonly number[], name: string): void {
  let total = 0;
  for (const f of fractions) {
    if (!Number.isFinite(f) || f < 0)
      throw new RangeError(`${name} must be finite and ≥ 0 (got ${fractions.join(', ')})`);
    total += f;
  }
  if (Math.abs(total - 1) > 1e-9)
    throw new RangeError(`${name} must sum to 1 (got ${fractions.join(' + ')} = ${total})`);
}

/** Shuffles the groups and cuts them at round(n · cumulative fraction). */
function cut(
  groups: readonly QueryGroup[],
  fractions: readonly number[],
  rng: ReturnType<typeof createRng>,
): QueryGroup[][] {
  const order = shuffledIndices(groups.length, rng);
  const parts: QueryGroup[][] = [];
  let start = 0;
  let cumulative = 0;
  fractions.forEach((f, j) => {
    cumulative += f;
    const end = j === fractions.length - 1 ? groups.length : Math.round(groups.length * cumulative);
    const part: QueryGroup[] = [];
    for (let i = start; i < end; i++) {
      const g = groups[order[i] ?? 0];
      if (g !== undefined) part.push(g);
    }
    parts.push(part);
    start = end;
  });
  return parts;
}

function pairsOf(
  pairs: readonly LabeledPair[],
  groups: readonly QueryGroup[] | undefined,
): LabeledPair[] {
  const indices = (groups ?? []).flatMap((g) => g.pairIndices).sort((a, b) => a - b);
  return indices.flatMap((i) => pairs[i] ?? []);
}

/**
 * Builds query-disjoint ID train / validation / test splits, an unlabeled OOD pool and an OOD test set.
 * @example
 * const splits = createSplits(dataset, { shift: { kind: 'department' }, seed: 7 });
 * const picked = revealLabels(splits.pool, [0, 5, 9]); // the simulated annotation step
 * @throws RangeError for fractions that are negative or do not sum to 1, an unknown held-out domain, or a
 *   side (ID or OOD) left without queries
 */
export function createSplits(dataset: Dataset, options: CreateSplitsOptions): Splits {
  const seed = options.seed ?? 0;
  const idF = options.idFractions ?? { train: 0.7, validation: 0.1, test: 0.2 };
  const oodF = options.oodFractions ?? { pool: 0.7, test: 0.3 };
  checkFractions([idF.train, idF.validation, idF.test], 'idFractions');
  checkFractions([oodF.pool, oodF.test], 'oodFractions');
  const { pairs } = dataset;
  const groups = groupByQuery(pairs);
  const assignment = assignShiftGroups(pairs, groups, { shift: options.shift, seed });
  const heldOut = new Set(assignment.heldOut);
  const idGroups = groups.filter((_, g) => !heldOut.has(assignment.groupOf[g] ?? ''));
  const oodGroups = groups.filter((_, g) => heldOut.has(assignment.groupOf[g] ?? ''));
  if (oodGroups.length === 0)
    throw new RangeError(`the held-out domains (${assignment.heldOut.join(', ')}) match no query`);
  if (idGroups.length === 0)
    throw new RangeError(
      `every query falls in a held-out domain (${assignment.heldOut.join(', ')}); hold out fewer`,
    );

  const idPool = options.idPoolFraction ?? (options.far === undefined ? 0 : 0.05);
  if (!(idPool >= 0 && idPool < idF.train))
    throw new RangeError(`idPoolFraction must be in [0, idFractions.train) (got ${idPool})`);
  const rng = createRng(seed);
  // The ID pool is the end of the train cut: validation and test are the same as without it.
  const [train, idPoolGroups, validation, idTest] = cut(
    idGroups,
    [idF.train - idPool, idPool, idF.validation, idF.test],
    rng,
  );
  const [poolGroups, oodTest] = cut(oodGroups, [oodF.pool, oodF.test], rng);
  const domainOfQuery = new Map<string, string>(
    groups.map((g, i) => [g.key, assignment.groupOf[i] ?? '']),
  );
  const far =
    options.far === undefined
      ? undefined
      : splitFar(options.far, { keys: new Set(groups.map((g) => g.key)), seed, ratings: dataset });
  for (const key of far?.queryKeys ?? []) domainOfQuery.set(key, 'far');
  const nearPool = pairsOf(pairs, poolGroups);
  const idPoolPairs = pairsOf(pairs, idPoolGroups);
  const poolPairs = [...nearPool, ...idPoolPairs, ...(far?.pool ?? [])];
  const poolOrigin: PoolOrigin[] = [
    ...nearPool.map((): PoolOrigin => 'near'),
    ...idPoolPairs.map((): PoolOrigin => 'id'),
    ...(far?.pool ?? []).map((): PoolOrigin => 'far'),
  ];
  const labeled: [SplitName | 'far_test', LabeledPair[]][] = [
    ['id_train', pairsOf(pairs, train)],
    ['id_validation', pairsOf(pairs, validation)],
    ['id_test', pairsOf(pairs, idTest)],
    ['pool', poolPairs],
    ['ood_test', pairsOf(pairs, oodTest)],
    ...(far === undefined ? [] : [['far_test', [...far.test]] as ['far_test', LabeledPair[]]]),
  ];
  const summaryOptions = {
    scale: dataset.scale,
    domainOf: (key: string) => domainOfQuery.get(key) ?? '',
  };
  const splitPairs = (i: number): LabeledPair[] => labeled[i]?.[1] ?? [];
  const oodPairs = nearPool.length + splitPairs(4).length;
  const report: SplitReport = {
    strategy: options.shift.kind,
    seed,
    gradeNames: dataset.scale.grades.map((g) => g.name),
    heldOut: assignment.heldOut,
    totalPairs: pairs.length,
    totalQueries: groups.length,
    oodPairFraction: pairs.length === 0 ? 0 : oodPairs / pairs.length,
    splits: labeled.map(([name, ps]) => summarizeSplit(name, ps, summaryOptions)),
  };
  return {
    idTrain: { name: 'id_train', pairs: splitPairs(0) },
    idValidation: { name: 'id_validation', pairs: splitPairs(1) },
    idTest: { name: 'id_test', pairs: splitPairs(2) },
    pool: createUnlabeledPool(
      splitPairs(3),
      options.poolBudget === undefined ? {} : { budget: options.poolBudget },
    ),
    oodTest: { name: 'ood_test', pairs: splitPairs(4) },
    ...(far === undefined ? {} : { farTest: { name: 'far_test', pairs: splitPairs(5) } }),
    poolOrigin,
    farSharedQueries: far?.sharedQueries ?? 0,
    report,
    domainOfQuery,
  };
}
