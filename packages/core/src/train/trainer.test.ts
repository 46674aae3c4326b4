import { describe, expect, it } from 'vitest';
import { softmaxCrossEntropy } from '../losses/softmax-cross-entropy';
import { createRng } from '../math/prng';
import { forwardScorer } from '../scorer/forward';
import { packScorerBatch, type ScorerPairTokens } from '../scorer/pack-token-slots';
import { TRAINABLE_PARAM_NAMES } from '../scorer/param-names';
import { flattenTrainable, initParams, type ScorerParams } from '../scorer/params';
import { randomEmbeddings } from '../scorer/test-fixtures';
import { createScorerConfig } from '../scorer/types';
import type { IndexedScorerLoss, ScorerLoss } from './evaluate';
import { trainScorer, type EpochInfo } from './trainer';
import type { TrainingSet } from './training-set';

const CONFIG = createScorerConfig({
  embeddingDim: 8,
  slots: 2,
  maxQueryTokens: 3,
  maxItemTokens: 6,
  projectionDim: 6,
  hidden1: 16,
  hidden2: 8,
  lexicalDim: 2,
});
const VOCAB = 40;
const ce: ScorerLoss = (logits, labels) => softmaxCrossEntropy(logits, labels);

/**
 * A separable task: grade 2 when every query word is in the item, 1 when some are, 0 when none are.
 * The term-match signal (maxSim = 1 for a shared word) decides the grade; lexical features are noise.
 */
function synthetic(n: number, seed: number): TrainingSet {
  const rng = createRng(seed);
  const pairs: ScorerPairTokens[] = [];
  const labels: number[] = [];
  const groups: number[] = [];
  for (let p = 0; p < n; p++) {
    const query = Array.from({ length: 2 + rng.int(2) }, () => rng.int(VOCAB));
    const grade = rng.int(3);
    const shared = grade === 2 ? query : grade === 1 ? query.slice(0, 1) : [];
    const item = [...shared];
    while (item.length < 5) {
      const w = rng.int(VOCAB);
      if (!query.includes(w)) item.push(w);
    }
    pairs.push({
      query: query.map((w) => [w]),
      item: item.map((w) => [w]),
      lexical: [rng.next(), rng.next()],
    });
    labels.push(grade);
    groups.push(Math.floor(p / 4));
  }
  return { batch: packScorerBatch(pairs, CONFIG), labels, groups };
}

function freshParams(seed = 1): ScorerParams {
  return initParams(CONFIG, randomEmbeddings(VOCAB, CONFIG.embeddingDim, 99), createRng(seed));
}

const TRAIN = synthetic(600, 1);
const VALIDATION = synthetic(200, 2);

async function accuracy(params: ScorerParams, set: TrainingSet): Promise<number> {
  const { logits } = await forwardScorer(params, set.batch);
  let hits = 0;
  for (let i = 0; i < logits.rows; i++) {
    const row = Array.from(logits.data.subarray(i * 3, i * 3 + 3));
    if (row.indexOf(Math.max(...row)) === set.labels[i]) hits++;
  }
  return hits / logits.rows;
}

describe('trainScorer', () => {
  it('learns the separable task (validation accuracy > 0.9) and reports every epoch', async () => {
    const epochs: EpochInfo[] = [];
    let clock = 0;
    const result = await trainScorer({
      params: freshParams(),
      train: TRAIN,
      validation: VALIDATION,
      loss: ce,
      epochs: 25,
      batchSize: 32,
      learningRate: 1e-2,
      patience: 25,
      onEpoch: (info) => epochs.push(info),
      now: () => (clock += 500),
    });
    expect(await accuracy(result.params, VALIDATION)).toBeGreaterThan(0.9);
    expect(epochs).toHaveLength(25);
    expect(result.history).toEqual(epochs);
    expect(epochs[0]!.trainLoss).toBeGreaterThan(epochs[24]!.trainLoss);
    expect(epochs[0]!.seconds).toBe(0.5);
    expect(epochs[0]!.etaSeconds).toBe(0.5 * 24);
    const best = Math.max(...epochs.map((e) => e.valMetric ?? 0));
    expect(epochs[result.bestEpoch - 1]!.valMetric).toBe(best);
  });

  it('is reproducible: the same seed gives bit-identical weights, another seed different ones', async () => {
    const run = (seed: number) =>
      trainScorer({
        params: freshParams(),
        train: TRAIN,
        loss: ce,
        epochs: 2,
        batchSize: 64,
        seed,
      });
    const [a, b, c] = await Promise.all([run(5), run(5), run(6)]);
    expect(flattenTrainable(a.params)).toEqual(flattenTrainable(b.params));
    expect(flattenTrainable(a.params)).not.toEqual(flattenTrainable(c.params));
    expect(a.bestEpoch).toBe(2); // without validation the last epoch is kept
  });

  it("'head' mode changes only W3 and b3, and leaves the input params untouched", async () => {
    const params = freshParams();
    const before = flattenTrainable(params);
    const result = await trainScorer({
      params,
      train: TRAIN,
      validation: VALIDATION,
      loss: ce,
      epochs: 3,
      trainable: 'head',
      learningRate: 1e-2,
    });
    expect(flattenTrainable(params)).toEqual(before);
    for (const name of TRAINABLE_PARAM_NAMES) {
      if (name === 'W3' || name === 'b3')
        expect(result.params[name].data, name).not.toEqual(params[name].data);
      else expect(result.params[name].data, name).toEqual(params[name].data);
    }
    expect(result.history[0]!.valLoss).toBeDefined();
  });

  it('stops early after `patience` epochs without improvement and returns the best weights', async () => {
    // A learning rate of 0 never improves after epoch 1.
    const result = await trainScorer({
      params: freshParams(),
      train: TRAIN,
      validation: VALIDATION,
      loss: ce,
      epochs: 10,
      learningRate: 0,
      patience: 2,
      monitor: 'loss',
    });
    expect(result.stoppedEarly).toBe(true);
    expect(result.history).toHaveLength(3);
    expect(result.bestEpoch).toBe(1);
  });

  it('passes ratings as the loss labels and query groups as its groups', async () => {
    const seen: { labels: number[]; groups: readonly (number | string)[] | undefined }[] = [];
    const spy: ScorerLoss = (logits, labels, groups) => {
      seen.push({ labels: Array.from(labels), groups });
      return softmaxCrossEntropy(logits, Array.from(labels, Math.round));
    };
    const ratings = Array.from(TRAIN.labels, (y) => y * 0.9);
    await trainScorer({
      params: freshParams(),
      train: { ...TRAIN, ratings },
      loss: spy,
      epochs: 1,
      batchSize: 600,
    });
    expect(seen[0]!.labels.slice().sort()).toEqual(ratings.slice().sort());
    expect(seen[0]!.groups).toHaveLength(600);
  });

  it("passes each batch's row indices to trainLoss, and reads loss on the validation set", async () => {
    const ratings = Array.from(TRAIN.labels, (y, i) => y * 0.5 + (i % 7) / 100);
    const trainRows: number[] = [];
    const trainLoss: IndexedScorerLoss = (logits, { labels, groups, rows }) => {
      // The row indices name the pairs whose targets and groups the batch carries.
      rows.forEach((r, i) => {
        expect(labels[i]).toBe(ratings[r]);
        expect(groups?.[i]).toBe(TRAIN.groups?.[r]);
      });
      trainRows.push(...rows);
      return softmaxCrossEntropy(logits, Array.from(labels, Math.round));
    };
    let validationPairs = 0;
    const onValidation: ScorerLoss = (logits, labels) => {
      validationPairs += logits.rows;
      return ce(logits, labels, undefined);
    };
    const result = await trainScorer({
      params: freshParams(),
      train: { ...TRAIN, ratings },
      validation: VALIDATION,
      loss: onValidation,
      trainLoss,
      epochs: 2,
      batchSize: 64,
      monitor: 'loss',
    });
    // Every training pair once per epoch through trainLoss; the validation pairs once per epoch through loss.
    expect(trainRows.slice().sort((a, b) => a - b)).toEqual(
      Array.from({ length: 1200 }, (_, i) => Math.floor(i / 2)),
    );
    expect(validationPairs).toBe(2 * VALIDATION.labels.length);
    expect(result.history[0]?.valLoss).toBeGreaterThan(0);
  });

  it('rejects labels, ratings and groups that do not match the batch, and bad hyperparameters', async () => {
    const base = { params: freshParams(), loss: ce, epochs: 1 };
    await expect(trainScorer({ ...base, train: { ...TRAIN, labels: [0, 1] } })).rejects.toThrow(
      /train\.labels must have one entry per pair \(got 2 for 600 pairs\)/,
    );
    await expect(
      trainScorer({ ...base, train: { ...TRAIN, labels: Array.from(TRAIN.labels, () => 3) } }),
    ).rejects.toThrow(/train\.labels\[0\] must be an integer grade in \[0, 2\]/);
    await expect(
      trainScorer({
        ...base,
        train: { ...TRAIN, ratings: Array.from(TRAIN.labels, () => Number.NaN) },
      }),
    ).rejects.toThrow(/train\.ratings\[0\] must be a grade in \[0, 2\] \(got NaN\)/);
    await expect(
      trainScorer({ ...base, train: TRAIN, validation: { ...VALIDATION, groups: [1] } }),
    ).rejects.toThrow(/validation\.groups must have one entry per pair \(got 1 for 200 pairs\)/);
    await expect(trainScorer({ ...base, train: TRAIN, batchSize: 0 })).rejects.toThrow(
      /options\.batchSize/,
    );
  });
});
