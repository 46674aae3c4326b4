/**
 * The de-biasing settings sweep on ID validation only (BENCHMARKS.md, "De-biasing against the over-recall
 * target" and "De-biasing: the rule family and DPO chosen together"): from a run folder's stage 3, each setting
 * (negatives per ID-train pair r, hard share, DPO β or none, DPO learning rate) is trained, temperature-scaled on
 * ID validation and judged there under each rule family of `--rules` (`fitDecision`'s names; default `best`):
 * validation macro-F1 and over-recall under the family's rule, the margin operating point
 * (`fitMarginOperatingPoint` with the same family), 5,000 random (validation query, other-department catalogue
 * item) pairs and 5,000 shuffled validation pairs (`shuffledPairCheck`: a validation query with another
 * validation item of another department). No test split is read. Prints one JSON line per setting × family,
 * then the choice under `--criterion` (see {@link choose}).
 *
 *   node --import tsx tests/scripts/debias-sweep.ts --run <run folder> --rules best,best-lowest \
 *     --settings '[{},{"r":0.1,"hard":0.5},{"r":0.25,"hard":0.5,"beta":2}]' \
 *     --criterion '{"irrelevant":0.99,"macroF1":0.5122,"marginMacroF1":0.4834}'
 *
 * The run folder is only read (copy one, and unlink its run store, to be safe).
 */
import { parseArgs } from 'node:util';

import type { ScorerParams } from '@gradeshift/core';
import { createOrtGemm } from '@gradeshift/core/node';
import {
  calibrateTemperature,
  contentWords,
  createDepartmentMatcher,
  DEBIAS_DEFAULTS,
  debiasWithDpo,
  fitMarginOperatingPoint,
  type DecisionRuleName,
  HOMEDEPOT_TAXONOMY,
  inferSplit,
  loadRunData,
  negativeMix,
  randomPairCheck,
  readStageParams,
  shuffledPairCheck,
  trainOnNegatives,
  validationFigures,
  type PreparedSplit,
} from '@gradeshift/pipeline';

interface Setting {
  readonly r?: number;
  readonly hard?: number;
  readonly beta?: number;
  /** DPO learning rate. @default DEBIAS_DEFAULTS.dpo.learningRate */
  readonly lr?: number;
}

/** The choice's thresholds, stated before the sweep runs. */
interface Criterion {
  /** Least share of random and of shuffled validation pairs decided irrelevant (and none strong). */
  readonly irrelevant: number;
  /** Least validation macro-F1 under the family's rule. */
  readonly macroF1: number;
  /** Least validation macro-F1 at the margin operating point. */
  readonly marginMacroF1: number;
  /**
   * Count a strong random pair against "none strong" only when its query has a content word (`contentWords`):
   * for a query of numbers and units alone, the generator's "shares no content word" holds vacuously, so its
   * "other-department" item may match it (amendment made after the first sweep; BENCHMARKS.md). @default false
   */
  readonly strongNeedsContentWord?: boolean;
}

const { values } = parseArgs({
  options: {
    run: { type: 'string' },
    settings: { type: 'string' },
    rules: { type: 'string', default: 'best' },
    criterion: { type: 'string' },
  },
});
if (values.run === undefined || values.settings === undefined)
  throw new Error(
    'usage: debias-sweep.ts --run <run folder> --settings \'[{"r":0.1,"hard":0.5}]\'',
  );
const settings = JSON.parse(values.settings) as Setting[];
const dir = values.run;
const { run, data } = await loadRunData(dir);
const stage3 = run.stages.stage3;
if (stage3 === undefined) throw new Error(`${dir}: no stage 3`);
const gemm = createOrtGemm({ dtype: 'float64', backendOptions: { intraOpNumThreads: 1 } });
const matcher = createDepartmentMatcher(HOMEDEPOT_TAXONOMY);
const ctx = {
  ...{ data, loss: 'graded' as const, seed: 0, gemm },
  departmentOf: (item: string) => matcher.match(item),
};
const start = readStageParams(dir, 'stage3', { stored: stage3.params, ...data });
const catalogue = [...new Set(data.dataset.pairs.map((p) => p.item))];
const f = (v: number, d = 4) => Number(v.toFixed(d));

/** The setting's model before temperature scaling. */
async function trained(s: Setting): Promise<ScorerParams> {
  let params = start;
  let split: PreparedSplit = data.idTrain;
  if (s.r !== undefined) {
    const { mix } = negativeMix(ctx, { ratio: s.r, hardShare: s.hard ?? 0 });
    params = await trainOnNegatives(ctx, params, mix);
    split = mix;
  }
  if (s.beta === undefined) return params;
  const hyperparameters = {
    ...DEBIAS_DEFAULTS.dpo,
    beta: s.beta,
    learningRate: s.lr ?? DEBIAS_DEFAULTS.dpo.learningRate,
  };
  return (await debiasWithDpo(ctx, { params, split, hyperparameters })).params;
}

const rules = values.rules.split(',') as DecisionRuleName[];
const PAIRS = 5000;

/** One setting × family's validation figures. */
type Row = Record<string, unknown> & {
  macro_f1: number;
  margin_macro_f1: number;
  random_irrelevant: number;
  random_strong_pairs: number;
  random_strong_counted: number;
  shuffled_irrelevant: number;
  shuffled_strong_pairs: number;
  shuffled_strong_counted: number;
};

/** The figures of a calibrated model under one rule family. */
async function judge(params: ScorerParams, rule: DecisionRuleName) {
  const free = await validationFigures(ctx, params, { rule });
  const outputs = await inferSplit(params, data.idValidation.frozen, { gemm });
  const { labels, queries } = data.idValidation;
  const point = fitMarginOperatingPoint({ labels, outputs, queries, grades: 3 }, { rule });
  const split = data.idValidation;
  const random = await randomPairCheck(ctx, params, {
    ...{ split, pairs: PAIRS, decision: free.decision, catalogue },
  });
  const shuffled = await shuffledPairCheck(ctx, params, {
    ...{ split, pairs: PAIRS, decision: free.decision },
  });
  const strong = (g: typeof random) => Math.round((g.shares[2] ?? 0) * g.pairs);
  // Strong pairs less those (among the kept top pairs) whose query has no content word.
  const counted = (g: typeof random) =>
    strong(g) - g.top_pairs.filter((p) => contentWords(p.query).size === 0).length;
  return {
    rule,
    decision: free.decision,
    macro_f1: f(free.macro_f1),
    over_recall: f(free.over_recall, 3),
    margin_macro_f1: f(point.validation.macro_f1),
    margin_cap: f(point.cap, 3),
    margin_over_recall: f(point.validation.over_recall, 3),
    margin_upper: f(point.validation.over_recall_upper, 3),
    margin_decision: point.decision,
    random_irrelevant: f(random.shares[0] ?? 0),
    random_strong_pairs: strong(random),
    random_strong_counted: counted(random),
    random_strong_examples: random.top_pairs.map((p) => `${p.query} | ${p.item}`),
    random_argmax_irrelevant: f(random.argmax_shares[0] ?? 0),
    shuffled_pairs: shuffled.pairs,
    shuffled_irrelevant: f(shuffled.shares[0] ?? 0),
    shuffled_strong_pairs: strong(shuffled),
    shuffled_strong_counted: counted(shuffled),
    shuffled_strong_examples: shuffled.top_pairs.map((p) => `${p.query} | ${p.item}`),
    shuffled_argmax_irrelevant: f(shuffled.argmax_shares[0] ?? 0),
  };
}

/**
 * The choice: among rows with ≥ `irrelevant` of both the random and the shuffled validation pairs decided
 * irrelevant and none strong (the sanity gates; with `strongNeedsContentWord`, strong pairs whose query has no
 * content word are not counted), and validation macro-F1 ≥ `macroF1` under the family's rule
 * and ≥ `marginMacroF1` at the margin point (the trade-off gates), the highest margin-point macro-F1 (ties: the
 * more random + shuffled pairs decided irrelevant). Without a row passing every gate: the best margin-point
 * macro-F1 among rows passing the sanity gates, flagged `trade_off_met: false`; without one passing those, none.
 */
function choose(rows: readonly Row[], c: Criterion) {
  const amended = c.strongNeedsContentWord === true;
  const sane = rows.filter(
    (r) =>
      r.random_irrelevant >= c.irrelevant &&
      r.shuffled_irrelevant >= c.irrelevant &&
      (amended ? r.random_strong_counted : r.random_strong_pairs) === 0 &&
      (amended ? r.shuffled_strong_counted : r.shuffled_strong_pairs) === 0,
  );
  const both = sane.filter((r) => r.macro_f1 >= c.macroF1 && r.margin_macro_f1 >= c.marginMacroF1);
  const pool = both.length > 0 ? both : sane;
  const best = pool.reduce<Row | undefined>((a, r) => {
    if (a === undefined) return r;
    if (r.margin_macro_f1 !== a.margin_macro_f1)
      return r.margin_macro_f1 > a.margin_macro_f1 ? r : a;
    const irr = (x: Row) => x.random_irrelevant + x.shuffled_irrelevant;
    return irr(r) > irr(a) ? r : a;
  }, undefined);
  return { chosen: best ?? null, sane: sane.length, trade_off_met: both.length > 0 };
}

const rows: Row[] = [];
try {
  for (const s of settings) {
    const t = Date.now();
    const calibrated = await calibrateTemperature(ctx, await trained(s));
    for (const rule of rules) {
      const row: Row = {
        ...s,
        temperature: f(calibrated.temperature, 3),
        ...(await judge(calibrated.params, rule)),
        seconds: (Date.now() - t) / 1000,
      };
      rows.push(row);
      console.log(JSON.stringify(row));
    }
  }
  if (values.criterion !== undefined) {
    const criterion = JSON.parse(values.criterion) as Criterion;
    console.log(JSON.stringify({ criterion, ...choose(rows, criterion) }));
  }
} finally {
  await gemm.dispose();
}
