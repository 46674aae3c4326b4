/**
 * A tiny encoder bundle for tests of other workspaces (the dashboard's browser test, parity tests): core's
 * BERT-shaped fixture encoder (`tinyEncoderModel`, hidden width 8) with the committed tiny WordPiece tokenizer, a
 * grade head with random weights over the default blocks and the term-match features, and the decision rule and
 * seven OOD scores fitted on a made-up ID-validation set, written by {@link writeEncoderBundle} as `gradeshift
 * encoder` writes a real one. Kilobytes; built in about a second.
 * @internal
 */
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { createGradeHead } from '@gradeshift/core';
import { createRng } from '@gradeshift/core/math';
import { loadTokenizerFile } from '@gradeshift/core/node';
import { tinyEncoderModel } from '@gradeshift/core/testing';

import { loadDataset } from '../data/load-dataset';
import { createEncoderBackbone } from './encoder-backbone';
import { writeEncoderBundle, type EncoderBundleManifest } from './encoder-bundle';
import { fitEncoderBundleDecisions } from './encoder-bundle-ood';
import { DEFAULT_EMBEDDING_BLOCKS, encodePairs } from './encoder-features';
import { trainingTermStatistics } from './encoder-splits';
import { openEncoder } from './open-encoder';

/** The committed tiny WordPiece tokenizer. */
export const TINY_TOKENIZER_PATH = fileURLToPath(
  new URL('../../../../tests/fixtures/tokenizer/tiny-wordpiece.json', import.meta.url),
);

/** Per query of the made-up ID validation: an exact item (grade 2), a related one (1), an unrelated one (0). */
export const TINY_REFERENCE_PRODUCTS: readonly (readonly [string, string, string, string])[] = [
  ['drill', 'cordless drill 18 v', 'drill bracket', 'garden hose 50 ft'],
  ['garden hose', 'garden hose 50ft', 'outdoor hose fitting', 'porcelain tile'],
  ['led bulb', 'brightline led bulb 60w', 'solar light', 'copper pipe'],
  ['paint', 'satin wall paint 1 gal', 'matte creme', 'thermostat'],
  ['tile', 'porcelain floor tile 12x24', 'floor mat', 'cordless drill'],
  ['copper pipe', 'copper pipe elbow', 'steel pipe fitting', 'led light'],
  ['chair', 'outdoor chair grey', 'chair mat', 'battery pack'],
  ['thermostat', 'smart thermostat 24vac', 'thermos', 'wall paint'],
  ['battery', 'nimh battery pack', 'battery light', 'garden chair'],
  ['bracket', 'steel angle bracket', 'wall bracket', 'beige paint'],
  ['elbow', 'copper elbow 90°', 'pipe fitting', 'solar path light'],
  ['floor mat', 'outdoor floor mat', 'floor tile', 'drill'],
  ['solar light', 'solar path light', 'outdoor light', 'grey chair'],
  ['wall paint', 'white wall paint', 'satin paint', 'hose'],
  ['steel pipe', 'steel pipe 2 in', 'copper pipe', 'matte tile'],
  ['smart light', 'smart led light', 'bright bulb', 'steel bracket'],
  ['hose reel', 'garden hose reel', 'hose nozzle', 'floor lamp'],
  ['floor lamp', 'brass floor lamp', 'desk lamp', 'pipe elbow'],
];

/**
 * Writes the tiny encoder bundle into `<dir>/bundle` (the encoder folder it copies from goes to `<dir>/encoder`,
 * the reference CSV to `<dir>/reference.csv`).
 * @param dir - an empty temporary folder
 * @param options - the encoder's weight seed @default 3
 * @returns the bundle folder and its manifest
 */
export async function writeTinyEncoderBundle(
  dir: string,
  options: { readonly seed?: number } = {},
): Promise<{ dir: string; manifest: EncoderBundleManifest }> {
  const folder = join(dir, 'encoder');
  mkdirSync(folder, { recursive: true });
  const tokenizer = await loadTokenizerFile(TINY_TOKENIZER_PATH);
  writeFileSync(
    join(folder, 'model.onnx'),
    tinyEncoderModel({ vocab: tokenizer.vocabSize, seed: options.seed ?? 3 }).bytes,
  );
  copyFileSync(TINY_TOKENIZER_PATH, join(folder, 'tokenizer.json'));
  const csv = join(dir, 'reference.csv');
  const lines = TINY_REFERENCE_PRODUCTS.flatMap(([q, ...items]) =>
    items.map((item, i) => `${q},${item},${2 - i}`),
  );
  writeFileSync(csv, `query,title,label\n${lines.join('\n')}\n`);
  const reference = await loadDataset(csv, {
    columns: { query: 'query', item: 'title', label: 'label' },
    grades: { kind: 'values', grades: [['0'], ['1'], ['2']] },
  });
  const encoder = await openEncoder(folder, { cacheDir: null });
  try {
    const lexical = trainingTermStatistics(reference.pairs);
    const blocks = DEFAULT_EMBEDDING_BLOCKS;
    const cols = (await encodePairs(encoder, reference.pairs, { lexical, blocks })).source.cols;
    const head = createGradeHead(
      { inputs: cols, hidden: 4, grades: 3 },
      { mean: new Float64Array(cols), scale: new Float64Array(cols).fill(1) },
      createRng(2),
    );
    const scores = await createEncoderBackbone(encoder, { head, lexical, blocks }).score(
      reference.pairs,
    );
    const out = join(dir, 'bundle');
    const manifest = writeEncoderBundle({
      encoder,
      head,
      lexical,
      blocks,
      dim: (scores.spaces['content']?.dim ?? 0) / 2,
      grades: ['irrelevant', 'weak', 'strong'],
      decisions: await fitEncoderBundleDecisions({ pairs: reference.pairs, scores }, reference),
      outDir: out,
    });
    return { dir: out, manifest };
  } finally {
    await encoder.dispose();
  }
}
