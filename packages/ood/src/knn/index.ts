export { fitKnn, type FitKnnOptions } from './fit-knn';
export {
  createKnnDetector,
  KNN_MAX_CHUNK_ENTRIES,
  type KnnComputeOptions,
} from './create-knn-detector';
export { KNN_STATE_VERSION, type KnnState } from './knn-state';
export { kthNeighbourDistance, type KthNeighbourDistanceOptions } from './kth-neighbour-distance';
export { kthSmallestInPlace } from './kth-smallest';
export { l2NormalizeRows, L2_NORM_EPSILON } from './l2-normalize';
