/**
 * The run's 2-D map (`map.json`): a principal-component projection of the content space, fitted once at
 * pipeline time on a sample of ID-train pairs, with up to `maxPerGroup` points of each test group (ID test, near
 * OOD, far OOD, the unlabelled pool) projected onto its two first axes. The dashboard draws it as is; nothing is
 * projected per request.
 *
 * PCA is centred and unscaled (the content features are unit directions, already on one scale): ml-pca
 * decomposes the fit sample's covariance matrix, and each point is projected as (x − mean) · axis, the same
 * transform as scikit-learn's `PCA.transform`. Samples are drawn without replacement by a seeded Fisher–Yates shuffle (mulberry32) and kept
 * in their input order, so the same inputs and seed give the same file.
 * @see https://en.wikipedia.org/wiki/Principal_component_analysis
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

import {
  columnMeans,
  covariance,
  createRng,
  shuffledIndices,
  type MatrixLike,
} from '@gradeshift/core/math';
import { PCA } from 'ml-pca';

import { readJsonFile } from '../contract/read-json-file';
import { describeZodError } from '../contract/zod-issue';
import { MAP_GROUPS, shiftMapSchema, type MapGroup, type ShiftMap } from '../contract/shift-schema';
import { writeFileAtomic } from '../io/atomic-write';
import { RunFolderError } from '../run-folder/run-folder-error';

/** The points of one group, in any order (a sample is kept in this order). */
export interface ShiftMapGroupInput {
  /** Pair ids, one per row of `content` (as in predictions.jsonl; the dashboard opens them in Samples). */
  readonly ids: readonly string[];
  /** The pairs' content features, `ids.length × cols` (the columns of `ShiftMapInput.fit`). */
  readonly content: MatrixLike;
  /** The fused OOD score's ID percentile of each pair, in [0, 1]. */
  readonly fusedPercentile: ArrayLike<number>;
  /** |decided grade − true grade| of each pair; null (or omitted) for a group without labels (the pool). */
  readonly error?: ArrayLike<number> | null;
}

/** Input of {@link computeShiftMap}. */
export interface ShiftMapInput {
  /** Content features of ID-train pairs (rows × cols): the PCA is fitted on up to `maxFitRows` of them. */
  readonly fit: MatrixLike;
  /** The groups to project; a group left out is absent from the map. */
  readonly groups: Partial<Readonly<Record<MapGroup, ShiftMapGroupInput>>>;
  /** Points kept per group (a seeded sample when a group has more). @default 2500 */
  readonly maxPerGroup?: number;
  /** ID-train rows the PCA is fitted on (a seeded sample when `fit` has more). @default 5000 */
  readonly maxFitRows?: number;
  /** Seed of both samples. @default 0 */
  readonly seed?: number;
}

const MAP_HINT = 'map.json is damaged or was edited by hand: run the pipeline again to rebuild it';

/** Default cap of points per group. */
export const MAP_MAX_PER_GROUP = 2500;
/** Default cap of ID-train rows the PCA is fitted on. */
export const MAP_MAX_FIT_ROWS = 5000;

/**
 * `k` of `n` indices drawn without replacement (seeded), in increasing order; all of them when `k ≥ n`.
 * @param n - the population size
 * @param k - the sample size
 * @param seed - the PRNG seed
 */
export function sampleIndices(n: number, k: number, seed: number): number[] {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`sample size must be ≥ 1 (got ${k})`);
  if (k >= n) return Array.from({ length: n }, (_, i) => i);
  return Array.from(shuffledIndices(n, createRng(seed)).subarray(0, k)).sort((a, b) => a - b);
}

/** Rows `rows` of a matrix as arrays (ml-matrix's input). */
function pickRows(m: MatrixLike, rows: readonly number[]): number[][] {
  return rows.map((r) => Array.from(m.data.subarray(r * m.cols, (r + 1) * m.cols)));
}

function checkGroup(name: MapGroup, g: ShiftMapGroupInput, cols: number): void {
  const n = g.ids.length;
  const where = `shift map group "${name}"`;
  if (g.content.rows !== n || g.content.cols !== cols)
    throw new RangeError(
      `${where}: content must be ${n} × ${cols} (got ${g.content.rows} × ${g.content.cols})`,
    );
  if (g.content.data.length !== n * cols)
    throw new RangeError(`${where}: content.data must hold ${n * cols} values`);
  if (g.fusedPercentile.length !== n)
    throw new RangeError(`${where}: fusedPercentile must have ${n} entries`);
  if (g.error != null && g.error.length !== n)
    throw new RangeError(`${where}: error must have ${n} entries`);
}

/** The two first principal axes of the fit sample: its column means, the unit axes and their variance shares. */
interface FittedAxes {
  readonly means: Float64Array;
  readonly axes: readonly [Float64Array, Float64Array];
  readonly explained: readonly [number, number];
}

/**
 * Fits the PCA on a seeded sample of the ID-train rows: the sample's covariance (core's two-pass kernel, n − 1),
 * then ml-pca's symmetric eigen-decomposition of it (ml-matrix's own product over the rows is ~30× slower here).
 */
function fitAxes(fit: MatrixLike, maxRows: number, seed: number): FittedAxes {
  if (fit.rows < 3 || fit.cols < 2)
    throw new RangeError(
      `shift map: fit needs at least 3 rows and 2 columns (got ${fit.rows} × ${fit.cols})`,
    );
  if (fit.data.length !== fit.rows * fit.cols)
    throw new RangeError(`shift map: fit.data must hold ${fit.rows * fit.cols} values`);
  const rows = sampleIndices(fit.rows, maxRows, seed);
  const sample = {
    rows: rows.length,
    cols: fit.cols,
    data: new Float64Array(pickRows(fit, rows).flat()),
  };
  const means = columnMeans(sample);
  const cov = covariance(sample, { means, ddof: 1 });
  const square = Array.from({ length: fit.cols }, (_, i) =>
    Array.from(cov.data.subarray(i * fit.cols, (i + 1) * fit.cols)),
  );
  const pca = new PCA(square, { isCovarianceMatrix: true });
  const u = pca.getEigenvectors();
  const axis = (k: number) => Float64Array.from({ length: fit.cols }, (_, j) => u.get(j, k));
  const variance = pca.getExplainedVariance();
  return {
    means,
    axes: [axis(0), axis(1)],
    explained: [variance[0] ?? 0, variance[1] ?? 0],
  };
}

/** [(row − means) · axis 1, (row − means) · axis 2] for one row of a matrix. */
function project(m: MatrixLike, row: number, fitted: FittedAxes): [number, number] {
  const [a, b] = fitted.axes;
  let x = 0;
  let y = 0;
  for (let j = 0; j < m.cols; j++) {
    const v = (m.data[row * m.cols + j] ?? 0) - (fitted.means[j] ?? 0);
    x += v * (a[j] ?? 0);
    y += v * (b[j] ?? 0);
  }
  return [x, y];
}

/**
 * Projects the groups' content features onto the first two principal axes of ID train.
 * @param input - see {@link ShiftMapInput}
 * @returns the map, ready for {@link writeShiftMap}
 * @throws RangeError when a shape disagrees, a cap is not a positive integer, or no group has a point
 * @example computeShiftMap({ fit: trainContent, groups: { id_test: { ids, content, fusedPercentile, error } } })
 */
export function computeShiftMap(input: ShiftMapInput): ShiftMap {
  const seed = input.seed ?? 0;
  const cap = input.maxPerGroup ?? MAP_MAX_PER_GROUP;
  const fitted = fitAxes(input.fit, input.maxFitRows ?? MAP_MAX_FIT_ROWS, seed);
  const present = MAP_GROUPS.flatMap((name) => {
    const g = input.groups[name];
    return g !== undefined && g.ids.length > 0 ? [{ name, g }] : [];
  });
  if (present.length === 0) throw new RangeError('shift map: no group has a point');
  const map: ShiftMap = {
    format: 'gradeshift-map',
    version: 1,
    method: 'pca',
    explained_variance: [fitted.explained[0], fitted.explained[1]],
    groups: present.map((p) => p.name),
    ids: [],
    group: [],
    x: [],
    y: [],
    fused_percentile: [],
    error: [],
  };
  present.forEach(({ name, g }, index) => {
    checkGroup(name, g, input.fit.cols);
    // Each group draws from its own stream (by its place in MAP_GROUPS): adding a group leaves the others' samples.
    const picked = sampleIndices(g.ids.length, cap, seed + MAP_GROUPS.indexOf(name) + 1);
    for (const row of picked) {
      map.ids.push(g.ids[row] ?? '');
      map.group.push(index);
      const [x, y] = project(g.content, row, fitted);
      map.x.push(x);
      map.y.push(y);
      map.fused_percentile.push(g.fusedPercentile[row] ?? Number.NaN);
      map.error.push(g.error == null ? null : (g.error[row] ?? null));
    }
  });
  return map;
}

/**
 * Checks a map against the contract and writes it as `<dir>/map.json` (temporary file, then rename).
 * @returns the file's path
 * @throws RunFolderError `INVALID_REPORT` naming the first bad field, before anything is written
 */
export function writeShiftMap(dir: string, map: ShiftMap): string {
  const path = join(dir, 'map.json');
  const text = `${JSON.stringify(map)}\n`;
  parseShiftMap(JSON.parse(text), path);
  writeFileAtomic(path, text);
  return path;
}

/** Checks parsed map.json. @throws RunFolderError `INVALID_REPORT` naming the first bad field */
export function parseShiftMap(json: unknown, path: string): ShiftMap {
  const parsed = shiftMapSchema.safeParse(json);
  if (!parsed.success)
    throw new RunFolderError(
      'INVALID_REPORT',
      { path, reason: describeZodError(parsed.error) },
      { hint: MAP_HINT },
    );
  const map = parsed.data;
  const n = map.ids.length;
  for (const key of ['group', 'x', 'y', 'fused_percentile', 'error'] as const)
    if (map[key].length !== n)
      throw new RunFolderError(
        'INVALID_REPORT',
        { path, reason: `${key} has ${map[key].length} entries, ids has ${n}` },
        { hint: MAP_HINT },
      );
  const bad = map.group.findIndex((g) => g < 0 || g >= map.groups.length);
  if (bad >= 0)
    throw new RunFolderError(
      'INVALID_REPORT',
      { path, reason: `group.${bad}: ${map.group[bad]} is not an index of groups` },
      { hint: MAP_HINT },
    );
  return map;
}

/**
 * Reads a map.json through the contract.
 * @returns the map, or null when the file does not exist
 * @throws RunFolderError `INVALID_REPORT` (not JSON, malformed, columns of unequal length)
 */
export function readShiftMap(path: string): ShiftMap | null {
  if (!existsSync(path)) return null;
  return parseShiftMap(readJsonFile(path, MAP_HINT), path);
}
