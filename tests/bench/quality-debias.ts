/**
 * The quality benchmark's de-biasing rows (issue 12): the pipeline's de-biasing step (negatives, LREF's DPO
 * stage, temperature scaling; `debiasModel` with its defaults) on the benchmark's seed-0 stage-1 model, and the
 * none / negatives / DPO / both ablation (`debiasAblation`), each variant temperature-scaled and judged under
 * two rules fitted on its own ID validation predictions: the default rule (best macro-F1) and the same rule
 * capped at over-recall ≤ 0.35 there. Random pairs: ≥ 5,000 (ID test query, other-department item) pairs.
 */
import type { ScorerParams } from '@gradeshift/core';
import type { Gemm } from '@gradeshift/core/math';
import {
  createDepartmentMatcher,
  debiasAblation,
  debiasModel,
  DEFAULT_DEBIAS_SETTINGS,
  HOMEDEPOT_TAXONOMY,
  RANDOM_PAIRS,
  type DebiasVariantFigures,
  type PreparedData,
} from '@gradeshift/pipeline';

const f = (v: number | undefined, d = 4): string => (v === undefined ? '–' : v.toFixed(d));
const pct = (v: number | undefined): string => (v === undefined ? '–' : `${(100 * v).toFixed(2)}%`);

/** Markdown lines and the rows of the ablation on `params` (the seed-0 stage-1 model). */
export async function debiasRows(
  data: PreparedData,
  params: ScorerParams,
  options: { gemm: Gemm; seed: number },
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
  const rows = await debiasAblation(ctx, {
    start: params,
    outcome,
    splits: { id_test: data.idTest, ood_test: data.oodTest },
    maxOverRecall: settings.maxOverRecall,
    randomPairs: RANDOM_PAIRS,
    dpo: settings.dpo,
  });
  const seconds = (performance.now() - t) / 1000;
  const cap = settings.maxOverRecall;
  const lines = [
    '',
    `De-biasing ablation on the seed-${options.seed} stage-1 model (negatives r = ${settings.negatives.ratio}, hard share ${settings.negatives.hardShare}, ${outcome.negatives.pairs.length} negatives; DPO β = ${settings.dpo.beta}, ${outcome.dpo.pairs} preference pairs, ${outcome.dpo.steps} steps; each variant temperature-scaled on ID validation). Macro-F1 and over-recall under the default rule, then under the rule capped at over-recall ≤ ${cap} on ID validation; ECE after (before) temperature scaling; random pairs: ${rows[0]?.random_pairs.pairs ?? 0} (ID test query, other-department item) pairs decided irrelevant / strong under the default rule:`,
    '',
    '| variant | T | ID macro-F1 | ID over-recall | ID NDCG@10 | ID ECE | ID macro-F1 (capped) | ID over-recall (capped) | OOD macro-F1 | OOD over-recall | OOD NDCG@10 | OOD ECE | OOD over-recall (capped) | random irrelevant | random strong | train s |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map((r) => {
      const id = r.splits['id_test'];
      const ood = r.splits['ood_test'];
      const shares = r.random_pairs.shares;
      return `| ${r.variant} | ${f(r.temperature, 3)} | ${f(id?.macro_f1)} | ${f(id?.over_recall, 3)} | ${f(id?.['ndcg@10'])} | ${f(id?.ece, 3)} (${f(id?.ece_raw, 3)}) | ${f(id?.capped_macro_f1)} | ${f(id?.capped_over_recall, 3)} | ${f(ood?.macro_f1)} | ${f(ood?.over_recall, 3)} | ${f(ood?.['ndcg@10'])} | ${f(ood?.ece, 3)} (${f(ood?.ece_raw, 3)}) | ${f(ood?.capped_over_recall, 3)} | ${pct(shares[0])} | ${pct(shares[shares.length - 1])} | ${r.train_seconds.toFixed(1)} |`;
    }),
    '',
    `De-biasing: ${seconds.toFixed(1)} s for the step and the ablation (one extra DPO stage, four evaluations).`,
  ];
  return { lines, rows, seconds };
}
