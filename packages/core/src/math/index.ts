/**
 * `@gradeshift/core/math`: numeric kernels shared by `core` and `ood`. Pure, platform-neutral, Float64.
 */
export {
  assertFinite,
  assertFiniteNumber,
  assertInteger,
  assertLabels,
  assertMatrix,
  assertNonEmpty,
  assertNumericArray,
  assertSameLength,
  assertSquare,
} from './check';
export { cholesky, type CholeskyResult } from './cholesky';
export { columnMeans, covariance, trace, type CovarianceOptions } from './covariance';
export { gemmShape, gemmSync, jsGemm, type Gemm, type GemmOptions } from './gemm';
export { logSigmoid, logSumExp, sigmoid, softplus } from './log-sum-exp';
export {
  createMatrix,
  getRow,
  matrixFromFlat,
  matrixFromRows,
  matrixToRows,
  selectRows,
  type Matrix,
  type MatrixLike,
  type NumericArray,
} from './matrix';
export { rightEcdf, upperBound } from './ecdf';
export { L2_NORM_EPSILON } from './l2-norm-epsilon';
export { createRng, shuffledIndices, type Rng } from './prng';
export { argsort, averageRanks, quantileSorted, type ArgsortOptions } from './rank';
export { logSoftmax, softmax, softmaxVector } from './softmax';
export { dot, mean, sum } from './sum';
export { invertLower, solveLower, solveUpperTransposed } from './triangular';
export { fuseScores, type FuseMethod, type FuseScoresOptions } from './fuse-scores';
