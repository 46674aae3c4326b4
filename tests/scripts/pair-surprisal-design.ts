/**
 * The ID-only design study behind the content space's `pair_surprisal` (BENCHMARKS.md, "Shift detection"): which
 * pooling of word surprisal, and whether number and unit words are left out, judged on ID data alone. It reads a
 * run's bundle (vocabulary, ID-train term statistics, text settings) and its ID-validation pairs; it never reads the
 * near or far OOD sets.
 *
 *   node --import tsx tests/scripts/pair-surprisal-design.ts runs/default
 *
 * Per variant: the ID-validation mean and standard deviation, the 95%-ID threshold as a share of the unseen-word
 * ceiling ln(N + 1), and two synthetic shifts built from ID validation itself: every non-number token of both sides
 * replaced, with probability p, by a word drawn uniformly from the vocabulary's ID-train words (a vocabulary swap:
 * traffic about other things in the same kind of text), with its AUROC against the untouched ID validation and the
 * share above the 95%-ID threshold.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import {
  buildPairWeightTable,
  buildSurprisalTable,
  computeContentFeatures,
  createBundleFeaturizer,
  isNumberToken,
  parseManifest,
  prepareOptionsFromSettings,
  prepareText,
  termStatisticsFromJson,
  vocabularyFromJson,
} from '@gradeshift/core';
import { createRng } from '@gradeshift/core/math';
import { evaluateOod, thresholdAtTpr } from '@gradeshift/ood';
import { loadRunData } from '@gradeshift/pipeline';

const runDir = resolve(process.argv[2] ?? 'runs/default');
const manifest = parseManifest(
  JSON.parse(readFileSync(join(runDir, 'bundle', 'manifest.json'), 'utf8')),
);
const vocabulary = vocabularyFromJson(manifest.text.vocabulary);
if (manifest.features.termStatistics === null) throw new Error(`${runDir}: no term statistics`);
const statistics = termStatisticsFromJson(manifest.features.termStatistics);
const surprisal = buildSurprisalTable({ vocabulary, statistics });
const config = manifest.scorer;
const featurizer = createBundleFeaturizer(manifest);
const prepare = prepareOptionsFromSettings(manifest.text.prepare);
// The directions are not studied here: a one-column zero table stands in for the word vectors.
const embeddings = {
  dims: [vocabulary.embeddingRows, 1] as [number, number],
  data: new Float32Array(vocabulary.embeddingRows),
};
const { data } = await loadRunData(runDir);
const pairs = data.idValidation.pairs.map((p) => ({ query: p.query, item: p.item }));

const chosen = buildPairWeightTable(vocabulary);
const all = new Float32Array(vocabulary.embeddingRows).fill(1);
all[0] = 0;
const numbersOnly = Float32Array.from(all, (w, id) =>
  id < vocabulary.size && isNumberToken(vocabulary.tokens[id] ?? '') ? 0 : w,
);
interface Pair {
  query: string;
  item: string;
}
const variants: Record<string, (batch: readonly Pair[]) => Float64Array> = {
  'item (surprisal)': (b) =>
    computeContentFeatures(featurizer.featurize(b), { config, embeddings, surprisal }).surprisal,
  'side means averaged': (b) => {
    const item = computeContentFeatures(featurizer.featurize(b), {
      config,
      embeddings,
      surprisal,
    }).surprisal;
    const asItem = b.map((p) => ({ query: '', item: p.query }));
    const query = computeContentFeatures(featurizer.featurize(asItem), {
      config,
      embeddings,
      surprisal,
    }).surprisal;
    return item.map((v, i) => (v + (query[i] ?? 0)) / 2);
  },
  'pooled, every word': (b) => pooled(b, all),
  'pooled, numbers out': (b) => pooled(b, numbersOnly),
  'item only, numbers and units out': (b) =>
    pooled(
      b.map((x) => ({ query: '', item: x.item })),
      chosen,
    ),
  'pooled, numbers and units out (pair_surprisal)': (b) => pooled(b, chosen),
};
function pooled(batch: readonly Pair[], pairWeights: Float32Array): Float64Array {
  const out = computeContentFeatures(featurizer.featurize(batch), {
    config,
    embeddings,
    surprisal,
    pairWeights,
  });
  return out.pairSurprisal ?? new Float64Array(0);
}

const words = vocabulary.tokens.filter(
  (t, id) => id >= 2 && !isNumberToken(t) && statistics.words.includes(t),
);
function swap(text: string, p: number, rng: ReturnType<typeof createRng>): string {
  return prepareText(text, prepare)
    .tokens.map((t) =>
      !isNumberToken(t) && rng.next() < p ? (words[Math.floor(rng.next() * words.length)] ?? t) : t,
    )
    .join(' ');
}

const ceiling = Math.log(statistics.documents + 1);
console.log(
  `run ${runDir}: ID validation ${pairs.length} pairs, N = ${statistics.documents} ID-train texts, ceiling ln(N + 1) = ${ceiling.toFixed(3)}`,
);
console.log(
  '| p | variant | ID mean | ID sd | threshold / ceiling | synthetic AUROC | synthetic flagged |',
);
console.log('| ---: | --- | ---: | ---: | ---: | ---: | ---: |');
for (const p of [0.1, 0.25]) {
  const rng = createRng(7);
  const shifted = pairs.map((x) => ({ query: swap(x.query, p, rng), item: swap(x.item, p, rng) }));
  for (const [name, score] of Object.entries(variants)) {
    const id = score(pairs);
    const ood = score(shifted);
    const threshold = thresholdAtTpr(id, 0.95);
    const mean = id.reduce((a, v) => a + v, 0) / id.length;
    const sd = Math.sqrt(id.reduce((a, v) => a + (v - mean) ** 2, 0) / id.length);
    const flagged = ood.filter((v) => v > threshold).length / ood.length;
    const { auroc } = evaluateOod({ idScores: id, oodScores: ood });
    console.log(
      `| ${p} | ${name} | ${mean.toFixed(3)} | ${sd.toFixed(3)} | ${(threshold / ceiling).toFixed(3)} | ${auroc.toFixed(4)} | ${(100 * flagged).toFixed(1)}% |`,
    );
  }
}
