/**
 * The quality benchmark's de-biasing rows (issue 12): the pipeline's de-biasing step (negatives, LREF's DPO
 * stage, temperature scaling; `debiasModel` with its defaults) on the benchmark's seed-0 stage-1 model, and the
 * none / negatives / DPO / both ablation (`debiasAblation`), each variant temperature-scaled and judged under
 * rules fitted on its own ID validation predictions: the default rule (best macro-F1), the same rule capped at
 * over-recall ≤ 0.35 there (in the JSON), and the margin operating point (the best validation macro-F1 whose
 * query-bootstrap upper bound of validation over-recall is ≤ 0.35). Test splits: ID, OOD (held-out departments)
 * and far OOD (Crowdflower test queries). Random pairs: ≥ 5,000 (ID test query, other-department item) pairs.
 */
import type { ScorerParams } from '@gradeshift/core';
import type { Gemm } from '@gradeshift/core/math';
import {
  createDepartmentMatcher,
  debiasAblation,
  DEBIAS_DEFAULTS,
  debiasModel,
  DEFAULT_DEBIAS_SETTINGS,
  HOMEDEPOT_TAXONOMY,
  RANDOM_PAIRS,
  checkFarScale,
  featurizeSplit,
  groupByQuery,
  splitFar,
  type Dataset,
  type DebiasVariantFigures,
  type PreparedData,
  type PreparedSplit,
} from '@gradeshift/pipeline';

const f = (v: number | undefined, d = 4): string => (v === undefined ? '–' : v.toFixed(d));
const pct = (v: number | undefined): string => (v === undefined ? '–' : `${(100 * v).toFixed(2)}%`);

/**
 * The far-OOD test set of the default run (the far dataset's test queries, cut as `createSplits` cuts them, ratings
 * moved onto the training scale) featurised with `data`'s featuriser: the comparison's own splits and vocabulary
 * stay those of a run without a far set (a far pool would add its texts to the vocabulary).
 */
export function farTestOf(data: PreparedData, far: Dataset, seed: number): PreparedSplit {
  checkFarScale(data.dataset, far);
  const keys = new Set(groupByQuery(data.dataset.pairs).map((g) => g.key));
  const { test } = splitFar(
    { dataset: far, poolFraction: 0.5 },
    { keys, seed, ratings: data.dataset },
  );
  return featurizeSplit('far_test', test, {
    featurizer: data.featurizer,
    model: { config: data.config, embeddings: data.embeddings },
    dataset: data.dataset,
  });
}

/** Markdown lines and the rows of the ablation on `params` (the seed-0 stage-1 model). */
export async function debiasRows(
  data: PreparedData,
  params: ScorerParams,
  options: { gemm: Gemm; seed: number; farTest?: PreparedSplit },
): Promise<{ lines: string[]; rows: DebiasVariantFigures[]; seconds: number }> {
  const t = performance.now();
  const matcher = createDepartmentMatcher(HOMEDEPOT_TAXONOMY);
  const ctx = {
    data,
    loss: 'graded' as const,
    seed: options.seed,
    gemm: options.gemm,
    departmentOf: (item: string) => matcher.match(item),
  };
  const settings = DEFAULT_DEBIAS_SETTINGS;
  const outcome = await debiasModel(ctx, params, settings);
  const dpo = settings.dpo ?? DEBIAS_DEFAULTS.dpo;
  const rows = await debiasAblation(ctx, {
    start: params,
    outcome,
    splits: {
      id_test: data.idTest,
      ood_test: data.oodTest,
      ...(options.farTest === undefined ? {} : { far_test: options.farTest }),
    },
    maxOverRecall: settings.maxOverRecall,
    randomPairs: RANDOM_PAIRS,
    dpo,
  });
  const seconds = (performance.now() - t) / 1000;
  const cap = settings.maxOverRecall;
  const step = `negatives r = ${settings.negatives.ratio}, hard share ${settings.negatives.hardShare}, ${outcome.negatives.pairs.length} negatives; ${outcome.dpo === null ? `no DPO in the step (the ablation's DPO: β = ${dpo.beta})` : `DPO β = ${dpo.beta}, ${outcome.dpo.pairs} preference pairs, ${outcome.dpo.steps} steps`}`;
  const lines = [
    '',
    `De-biasing ablation on the seed-${options.seed} stage-1 model (${step}; each variant temperature-scaled on ID validation). Macro-F1 and over-recall under the default rule (best validation macro-F1), then at the margin operating point (best validation macro-F1 with the 95% query-bootstrap upper bound of validation over-recall ≤ ${cap}); ECE after (before) temperature scaling; random pairs: ${rows[0]?.random_pairs.pairs ?? 0} (ID test query, other-department item) pairs decided irrelevant / strong under the default rule:`,
    '',
    '| variant | T | ID macro-F1 | ID over-recall | ID NDCG@10 | ID ECE | ID macro-F1 (margin) | ID over-recall (margin) | OOD macro-F1 | OOD over-recall | OOD over-recall (margin) | far macro-F1 | far over-recall | far over-recall (margin) | random irrelevant | random strong | train s |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map((r) => {
      const { id_test: id, ood_test: ood, far_test: far } = r.splits;
      const shares = r.random_pairs.shares;
      return `| ${r.variant} | ${f(r.temperature, 3)} | ${f(id?.macro_f1)} | ${f(id?.over_recall, 3)} | ${f(id?.['ndcg@10'])} | ${f(id?.ece, 3)} (${f(id?.ece_raw, 3)}) | ${f(id?.margin_macro_f1)} | ${f(id?.margin_over_recall, 3)} | ${f(ood?.macro_f1)} | ${f(ood?.over_recall, 3)} | ${f(ood?.margin_over_recall, 3)} | ${f(far?.macro_f1)} | ${f(far?.over_recall, 3)} | ${f(far?.margin_over_recall, 3)} | ${pct(shares[0])} | ${pct(shares[shares.length - 1])} | ${r.train_seconds.toFixed(1)} |`;
    }),
    '',
    `De-biasing: ${seconds.toFixed(1)} s for the step and the ablation (the DPO stages, four evaluations).`,
  ];
  return { lines, rows, seconds };
}
