/**
 * The quality section of `npm run bench -- transformer`: ID-test macro-F1 (95% query-bootstrap interval) and RMSE,
 * far-OOD (Crowdflower) macro-F1, and shift-detection AUROC / FPR@95 of each feature space's Mahalanobis and KNN
 * detectors on the near-OOD test (held-out departments) and the far-OOD test, for:
 * - the default word-vector scorer, read from a pipeline run's report.json (`TRANSFORMER_DEFAULT_RUN`, default
 *   runs/default; `gradeshift pipeline --preset homedepot --out runs/default` makes one);
 * - the MiniLM encoder backbone, read from an encoder run's encoder-run.json (`TRANSFORMER_ENCODER_RUN`, default
 *   runs/minilm), run here first when it is missing (`runEncoderBackbone`, embeddings cached in runs/.cache);
 * - the distilled student and the HistGradientBoosting lexical peer: rows reserved, not measured here yet.
 * The detection protocols differ: the default run's detectors are fitted on ID train and scored against ID test;
 * the encoder run's (as `evaluate --predictions`) are fitted on one half of ID validation and scored against the
 * other half. The table is printed and written to runs/bench/transformer-quality.md.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { runEncoderBackbone, type EncoderRunSummary } from '@gradeshift/pipeline';

interface Estimate {
  value: number;
  lo: number;
  hi: number;
}
interface Detection {
  auroc: number;
  fprAtTpr: number;
}

/** One model's row. */
interface QualityRow {
  readonly model: string;
  readonly idF1?: Estimate;
  readonly idRmse?: Estimate;
  readonly farF1?: Estimate;
  /** `<space> <detector>` → near / far detection. */
  readonly detection: Record<string, { near?: Detection; far?: Detection }>;
  readonly note?: string;
}

const DEFAULT_DETECTORS = {
  'relevance mahalanobis': 'mahalanobis',
  'relevance knn': 'knn',
  'content mahalanobis': 'content_mahalanobis',
  'content knn': 'content_knn',
} as const;

/** The default scorer's row from a pipeline report. */
function defaultRow(path: string): QualityRow {
  const report = JSON.parse(readFileSync(path, 'utf8')) as {
    splits: Record<string, Record<string, Estimate>>;
    ood_sets: Record<string, { detection: Record<string, Detection> }>;
  };
  const detection: QualityRow['detection'] = {};
  for (const [label, name] of Object.entries(DEFAULT_DETECTORS))
    detection[label] = {
      ...(report.ood_sets['near']?.detection[name]
        ? { near: report.ood_sets['near'].detection[name] }
        : {}),
      ...(report.ood_sets['far']?.detection[name]
        ? { far: report.ood_sets['far'].detection[name] }
        : {}),
    };
  return {
    model: 'default word-vector scorer',
    idF1: report.splits['id_test']?.['macro_f1'],
    idRmse: report.splits['id_test']?.['rmse'],
    farF1: report.splits['far_test']?.['macro_f1'],
    detection,
  };
}

/** The encoder backbone's row from an encoder run's summary. */
function encoderRow(summary: EncoderRunSummary): QualityRow {
  const detection: QualityRow['detection'] = {};
  for (const space of ['relevance', 'content'])
    for (const detector of ['mahalanobis', 'knn']) {
      const near = summary.detection['ood_test']?.[space]?.[detector];
      const far = summary.detection['far_test']?.[space]?.[detector];
      detection[`${space} ${detector}`] = { ...(near ? { near } : {}), ...(far ? { far } : {}) };
    }
  const id = summary.splits['id_test'] ?? {};
  const farSplit = summary.splits['far_test'] ?? {};
  return {
    model: `MiniLM encoder backbone (${String(summary.backbone['name'])}, frozen; grade head + term-match features)`,
    idF1: id['macro_f1'] as Estimate,
    idRmse: id['rmse'] as Estimate,
    farF1: farSplit['macro_f1'] as Estimate,
    detection,
  };
}

const est = (e: Estimate | undefined) =>
  e === undefined ? '—' : `${e.value.toFixed(3)} [${e.lo.toFixed(3)}, ${e.hi.toFixed(3)}]`;
const det = (d: Detection | undefined) =>
  d === undefined ? '—' : `${d.auroc.toFixed(3)} / ${d.fprAtTpr.toFixed(3)}`;

/** The markdown table of the rows. */
function qualityTable(rows: readonly QualityRow[]): string[] {
  const spaces = Object.keys(DEFAULT_DETECTORS);
  const header = [
    'model',
    'ID test macro-F1',
    'ID test RMSE',
    'far-OOD macro-F1',
    ...spaces.flatMap((s) => [`near AUROC / FPR@95, ${s}`, `far AUROC / FPR@95, ${s}`]),
  ];
  const lines = [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`];
  for (const row of rows) {
    const cells = row.note
      ? [row.model, row.note, ...header.slice(2).map(() => '')]
      : [
          row.model,
          est(row.idF1),
          est(row.idRmse),
          est(row.farF1),
          ...spaces.flatMap((s) => [det(row.detection[s]?.near), det(row.detection[s]?.far)]),
        ];
    lines.push(`| ${cells.join(' | ')} |`);
  }
  return lines;
}

/** The encoder run's summary: read, or made here when missing. */
async function encoderSummary(
  repoRoot: string,
  log: (line: string) => void,
): Promise<EncoderRunSummary> {
  const dir = process.env['TRANSFORMER_ENCODER_RUN'] ?? join(repoRoot, 'runs/minilm');
  const path = join(dir, 'encoder-run.json');
  if (existsSync(path)) return JSON.parse(readFileSync(path, 'utf8')) as EncoderRunSummary;
  log(`no ${path}: running the MiniLM encoder backbone (gradeshift encoder) first…`);
  let last = 0;
  const result = await runEncoderBackbone({
    data: { preset: 'homedepot' },
    encoder: join(repoRoot, 'models/minilm'),
    outDir: dir,
    repoRoot,
    cacheDir: join(repoRoot, 'runs/.cache'),
    progress: (e) => {
      if (Date.now() - last < 10_000) return;
      last = Date.now();
      log(`  [${e.stage}] ${e.message}${e.total ? ` ${e.done}/${e.total}` : ''}`);
    },
  });
  return result.summary;
}

/**
 * Prints (and writes) the quality table.
 * @returns the markdown lines
 */
export async function runTransformerQuality(options: {
  repoRoot: string;
  log: (line: string) => void;
}): Promise<string[]> {
  const { repoRoot, log } = options;
  const rows: QualityRow[] = [];
  const defaultReport = join(
    process.env['TRANSFORMER_DEFAULT_RUN'] ?? join(repoRoot, 'runs/default'),
    'report.json',
  );
  if (existsSync(defaultReport)) rows.push(defaultRow(defaultReport));
  else
    rows.push({
      model: 'default word-vector scorer',
      detection: {},
      note: `no ${defaultReport}: run gradeshift pipeline --preset homedepot --out runs/default`,
    });
  if (existsSync(join(repoRoot, 'models/minilm/model.onnx')))
    rows.push(encoderRow(await encoderSummary(repoRoot, log)));
  else
    rows.push({
      model: 'MiniLM encoder backbone',
      detection: {},
      note: 'models/minilm missing: npm run models:minilm',
    });
  // Reserved rows: the student distilled from the encoder's teacher file (teacher.jsonl), and the scikit-learn
  // HistGradientBoosting lexical peer of `npm run bench -- quality` on the same splits.
  rows.push({
    model: 'distilled student (default scorer trained on teacher.jsonl)',
    detection: {},
    note: 'not measured yet',
  });
  rows.push({
    model: 'HistGradientBoosting lexical peer (quality_peer.py)',
    detection: {},
    note: 'not measured here yet (see npm run bench -- quality)',
  });
  const lines = qualityTable(rows);
  for (const line of lines) log(line);
  mkdirSync(join(repoRoot, 'runs/bench'), { recursive: true });
  writeFileSync(join(repoRoot, 'runs/bench/transformer-quality.md'), `${lines.join('\n')}\n`);
  return lines;
}
