/**
 * The de-biasing settings sweep on ID validation only (BENCHMARKS.md, "De-biasing against the over-recall
 * target"): from a run folder's stage 3, each setting (negatives per ID-train pair r, hard share, DPO β or none)
 * is trained, temperature-scaled on ID validation and judged there: validation macro-F1 under the default rule,
 * the margin operating point (`fitMarginOperatingPoint`) and random (validation query, other-department item)
 * pairs. No test split is read. Prints one JSON line per setting.
 *
 *   node --import tsx tests/scripts/debias-sweep.ts --run <run folder> \
 *     --settings '[{},{"r":0.1,"hard":0.5},{"r":0.25,"hard":0.5,"beta":2}]'
 *
 * The run folder is only read (copy one, and unlink its run store, to be safe).
 */
import { parseArgs } from 'node:util';

import type { ScorerParams } from '@gradeshift/core';
import { createOrtGemm } from '@gradeshift/core/node';
import {
  calibrateTemperature,
  createDepartmentMatcher,
  DEBIAS_DEFAULTS,
  debiasWithDpo,
  fitMarginOperatingPoint,
  HOMEDEPOT_TAXONOMY,
  inferSplit,
  loadRunData,
  negativeMix,
  randomPairCheck,
  readStageParams,
  trainOnNegatives,
  validationFigures,
  type PreparedSplit,
} from '@gradeshift/pipeline';

interface Setting {
  readonly r?: number;
  readonly hard?: number;
  readonly beta?: number;
}

const { values } = parseArgs({
  options: { run: { type: 'string' }, settings: { type: 'string' } },
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
  const hyperparameters = { ...DEBIAS_DEFAULTS.dpo, beta: s.beta };
  return (await debiasWithDpo(ctx, { params, split, hyperparameters })).params;
}

try {
  for (const s of settings) {
    const t = Date.now();
    const calibrated = await calibrateTemperature(ctx, await trained(s));
    const free = await validationFigures(ctx, calibrated.params);
    const outputs = await inferSplit(calibrated.params, data.idValidation.frozen, { gemm });
    const { labels, queries } = data.idValidation;
    const point = fitMarginOperatingPoint({ labels, outputs, queries, grades: 3 });
    const random = await randomPairCheck(ctx, calibrated.params, {
      ...{ split: data.idValidation, pairs: 5000, decision: free.decision, catalogue },
    });
    console.log(
      JSON.stringify({
        ...s,
        temperature: f(calibrated.temperature, 3),
        macro_f1: f(free.macro_f1),
        over_recall: f(free.over_recall, 3),
        margin_macro_f1: f(point.validation.macro_f1),
        margin_cap: f(point.cap, 3),
        margin_over_recall: f(point.validation.over_recall, 3),
        margin_upper: f(point.validation.over_recall_upper, 3),
        random_irrelevant: f(random.shares[0] ?? 0),
        random_strong: f(random.shares[2] ?? 0),
        seconds: (Date.now() - t) / 1000,
      }),
    );
  }
} finally {
  await gemm.dispose();
}
