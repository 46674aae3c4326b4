/**
 * Option tables of the single steps over a run folder: `train`, `select` and `export`.
 */
import { DISTILL_ALPHAS, STAGE2_DEFAULTS } from '@gradeshift/pipeline';

import { flagOption, stringOption, type CommandSpec } from '../option-table';
import { RESAMPLES_OPTION, RUN_OPTION, seedOption } from './shared-options';

/** `gradeshift train`. */
export const TRAIN_SPEC: CommandSpec = {
  name: 'train',
  summary:
    'Train one stage of a prepared run (1: ID only; 2: fine-tune on ID plus the selection; debias: negatives, DPO and temperature; distill: the default scorer as student of a teacher).',
  usage: 'gradeshift train --run <dir> [--stage 1|2|debias|distill] [options]',
  details: [
    'Stage 1 trains on ID train with early stopping on ID validation and writes <run>/params/stage1.bin; a selection and stages 2–3 made from an earlier stage 1 are cleared.',
    'Stage 2 needs stage 1 and a selection made with it (gradeshift select): it fine-tunes on ID train plus the held-in picks, then chooses α of the stage-1 → stage-2 interpolation on ID validation and the held-out picks, and writes params/stage2.bin and params/stage3.bin.',
    "Stage debias takes the latest of stages 3, 2 and 1: a fine-tune on ID train plus generated negatives, LREF's DPO stage (β 2, learning rate 1e-4) and temperature scaling on ID validation (settings chosen on ID validation); writes params/debias.bin (the stage export then takes), run.json's stages.debias and debias.json (random-pair check, the over-recall operating point, the none / negatives / DPO / both ablation). Run again, it replaces the de-biased model.",
    "Stage distill needs stage 1 and a teacher file (--teacher): JSONL of the teacher's grade probabilities (query, item, probs or logits; the README's external predictions format without grade, e.g. gradeshift score's output) for every ID-train and pool pair (--teacher-pairs <file> writes those pairs, to be scored by the teacher). The default scorer is trained from stage 1's seeded start and recipe on ID train + the pool with α·gold loss + (1 − α)·KL to the teacher at --temperature, for each α of --alphas (1 = ordinary stage-1 training), α chosen on ID-validation macro-F1; writes params/distill.bin, run.json's stages.distill and distill.json (the student before and after on ID test, near and far OOD, its mean KL to the teacher and its throughput).",
    "With --labels, stage 2/3 train on annotators' labels for the selection (the file from gradeshift export --queue with its labels filled: CSV, JSONL or Label Studio's JSON export) instead of the revealed ones. The whole file is checked first (unknown ids, missing, out-of-scale or conflicting labels, picks without a label: each as file:line: reason, exit 65, nothing written); then a new run folder with the same stage 1 and picks is trained and recorded as a run of kind labels linked to this run, its selection and the labels file.",
  ],
  options: [
    RUN_OPTION,
    stringOption({
      name: 'stage',
      placeholder: '1|2|debias|distill',
      description: 'which stage',
      defaultText: '1',
    }),
    stringOption({
      name: 'loss',
      placeholder: 'graded|ce',
      description: 'training loss',
      defaultText: 'graded',
    }),
    stringOption({
      name: 'epochs',
      placeholder: '<n>',
      description: 'epochs at most',
      defaultText: `stage 1: as gradeshift pipeline; stage 2: ${STAGE2_DEFAULTS.epochs}`,
    }),
    stringOption({
      name: 'learning-rate',
      placeholder: '<lr>',
      description: 'Adam learning rate',
      defaultText: `stage 1: as gradeshift pipeline; stage 2: ${STAGE2_DEFAULTS.learningRate}`,
    }),
    stringOption({
      name: 'batch-size',
      placeholder: '<n>',
      description: 'pairs per batch',
      defaultText: 'as gradeshift pipeline',
    }),
    stringOption({
      name: 'patience',
      placeholder: '<n>',
      description: 'early-stopping patience in epochs',
      defaultText: `stage 1: as gradeshift pipeline; stage 2: ${STAGE2_DEFAULTS.patience}`,
    }),
    stringOption({
      name: 'trainable',
      placeholder: 'all|head',
      description: 'train every weight, or the output head only',
      defaultText: 'all',
    }),
    stringOption({
      name: 'labels',
      placeholder: '<file>',
      description: "annotators' labels for the selection (stage 2 on them, in a new run)",
    }),
    stringOption({
      name: 'out',
      placeholder: '<dir>',
      description: 'with --labels: the new run folder',
      defaultText: '<run>-labels-<labels file name>',
    }),
    flagOption('no-debias-ablation', 'with --stage debias: skip its ablation'),
    stringOption({
      name: 'teacher',
      placeholder: '<file>',
      description:
        "with --stage distill: the teacher's grade probabilities of the ID-train and pool pairs (JSONL)",
    }),
    stringOption({
      name: 'teacher-pairs',
      placeholder: '<file>',
      description:
        'with --stage distill: write the pairs the teacher must label (JSONL) instead of distilling',
    }),
    stringOption({
      name: 'alphas',
      placeholder: '<a,b,…>',
      description:
        'with --stage distill: weights of the gold loss to try (chosen on ID validation)',
      defaultText: DISTILL_ALPHAS.join(','),
    }),
    stringOption({
      name: 'temperature',
      placeholder: '<T>',
      description: 'with --stage distill: the distillation temperature',
      defaultText: '1',
    }),
    seedOption('training'),
  ],
  examples: [
    'gradeshift train --run runs/steps',
    'gradeshift train --run runs/steps --stage 2 --epochs 2',
    'gradeshift train --run runs/steps --stage debias',
    'gradeshift train --run runs/steps --stage distill --teacher-pairs runs/steps/teacher-pairs.jsonl',
    'gradeshift train --run runs/steps --stage distill --teacher runs/steps/teacher.jsonl',
    'gradeshift train --run runs/steps --labels runs/steps/annotation/queue.csv',
  ],
};

/** `gradeshift select`. */
export const SELECT_SPEC: CommandSpec = {
  name: 'select',
  summary: 'Pick pool pairs for annotation with one strategy at a budget, and reveal their labels.',
  usage: 'gradeshift select --run <dir> [options]',
  details: [
    "Needs stage 1. Scores the pool with the stage-1 model, picks the budget with the strategy, reveals the picks' labels and writes <run>/selection.jsonl (rank, reason, revealed grade, role: every fifth pick is held out to choose α). Stages 2–3 made from an earlier selection are cleared.",
  ],
  options: [
    RUN_OPTION,
    stringOption({
      name: 'strategy',
      placeholder: '<name>',
      description: 'distribution-aware | random | uncertainty',
      defaultText: 'distribution-aware',
    }),
    stringOption({
      name: 'budget',
      placeholder: '<fraction>',
      description: 'annotation budget as a fraction of the unlabeled pool',
      defaultText: '0.02',
    }),
    seedOption('selection'),
  ],
  examples: ['gradeshift select --run runs/steps --strategy random --budget 0.05 --seed 1'],
};

/** `gradeshift export`. */
export const EXPORT_SPEC: CommandSpec = {
  name: 'export',
  summary:
    'Write the model bundle (ONNX graph, vocabulary, detectors, thresholds) of a trained run.',
  usage: 'gradeshift export --run <dir> [options]',
  details: [
    "Exports the run's latest stage (debias, else 3, else 2, else 1; --stage names other weights, e.g. distill for the distilled student): evaluates it on the rebuilt splits (detectors, calibration, decision rule, metrics with intervals) and writes the bundle folder. Works on a pipeline run folder too.",
  ],
  options: [
    RUN_OPTION,
    stringOption({
      name: 'out',
      placeholder: '<dir>',
      description: 'bundle folder',
      defaultText: '<run>/bundle',
    }),
    flagOption('overwrite', 'replace an existing bundle'),
    RESAMPLES_OPTION,
    stringOption({
      name: 'stage',
      placeholder: 'stage1|stage2|stage3|debias|distill',
      description: 'export these weights',
      defaultText: 'the latest stage',
    }),
    stringOption({
      name: 'queue',
      placeholder: 'csv|jsonl|labelstudio',
      description:
        'write the annotation queue (the selection with reasons and OOD scores, an empty label column) instead of the bundle; --out names the file',
      defaultText: '<run>/annotation/queue.csv|queue.jsonl|labelstudio-tasks.json',
    }),
  ],
  examples: [
    'gradeshift export --run runs/steps',
    'gradeshift export --run runs/default --out models/hd --overwrite',
    'gradeshift export --run runs/steps --queue labelstudio',
    'gradeshift export --run runs/steps --stage distill --out runs/steps/student',
  ],
};
