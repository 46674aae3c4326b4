/**
 * The grid search behind `fitGradeOffsets`: a running best point (ties keep the point found first, and among
 * equal macro-F1 the one closer to the arg-max), grid axes, and the two ways of covering a grid (exhaustive for
 * K ≤ 3, cyclic coordinate search beyond).
 */

/** Scores below this difference count as equal. */
const TIE = 1e-12;

/** Squared Euclidean norm. */
const norm = (b: Float64Array): number => b.reduce((s, v) => s + v * v, 0);

/** The best offsets seen so far under a score to maximise. */
export class BestOffsets {
  /** The best offsets (replaced, never modified, when a better point is found). */
  offsets: Float64Array;
  /** Their score; −1 before any point is considered. */
  macroF1 = -1;
  private readonly score: (offsets: Float64Array) => number;

  /**
   * @param score - the score of offsets (e.g. `createOffsetMacroF1`)
   * @param grades - K
   */
  constructor(score: (offsets: Float64Array) => number, grades: number) {
    this.score = score;
    this.offsets = new Float64Array(grades);
  }

  /** Scores `candidate` and keeps a copy when it is better. @returns whether it was */
  consider(candidate: Float64Array): boolean {
    const f = this.score(candidate);
    const better =
      f > this.macroF1 + TIE ||
      (Math.abs(f - this.macroF1) <= TIE && norm(candidate) < norm(this.offsets) - TIE);
    if (better) {
      this.offsets = Float64Array.from(candidate);
      this.macroF1 = f;
    }
    return better;
  }
}

/** One level of the coarse-to-fine grid: points at `step` within ±`half` of a center, inside ±`range`. */
export interface GridLevel {
  readonly half: number;
  readonly step: number;
  readonly range: number;
}

/**
 * Grid values around `center` at `grid.step` within ±`grid.half`, always including the center itself, rounded
 * to 1e-9 and kept within ±`grid.range`.
 * @example gridAxis(0, { half: 1, step: 0.5, range: 4 }) // [-1, -0.5, 0, 0.5, 1]
 */
export function gridAxis(center: number, grid: GridLevel): number[] {
  const m = Math.round(grid.half / grid.step);
  const values: number[] = [];
  for (let j = -m; j <= m; j++) {
    const v = Math.round((center + j * grid.step) / 1e-9) * 1e-9;
    if (Math.abs(v) <= grid.range + 1e-9) values.push(v);
  }
  return values;
}

/** Considers every point of the grid over offsets 1 … K − 1 around the current best (b_0 stays 0). */
export function sweepGrid(best: BestOffsets, grid: GridLevel): void {
  const center = Float64Array.from(best.offsets);
  const k = center.length;
  const candidate = new Float64Array(k);
  const sweep = (c: number): void => {
    if (c === k) {
      best.consider(candidate);
      return;
    }
    for (const v of gridAxis(center[c] ?? 0, grid)) {
      candidate[c] = v;
      sweep(c + 1);
    }
  };
  sweep(1);
}

/** Moves one offset at a time (1 … K − 1) along its grid axis around the best point, until none improves. */
export function coordinateSearch(best: BestOffsets, grid: GridLevel): void {
  const k = best.offsets.length;
  for (let improved = true; improved;) {
    improved = false;
    for (let c = 1; c < k; c++) {
      const candidate = Float64Array.from(best.offsets);
      for (const v of gridAxis(best.offsets[c] ?? 0, grid)) {
        candidate[c] = v;
        if (best.consider(candidate)) improved = true;
      }
    }
  }
}
