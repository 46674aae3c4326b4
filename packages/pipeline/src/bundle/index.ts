/**
 * Model bundles on disk: a folder with model.onnx and manifest.json, written atomically and read with every
 * check (files, manifest, checksum, model interface) before it is trusted.
 */
export {
  BundleError,
  isBundleError,
  type BundleErrorCode,
  type BundleErrorOptions,
} from './bundle-error';
export { calibrateOodScore, type CalibrateOodScoreOptions } from './calibrate-ood-score';
export {
  loadBundleScorer,
  scorerOfBundle,
  type LoadBundleScorerOptions,
  type LoadedBundleScorer,
} from './load-bundle-scorer';
export { readBundle, type LoadedBundle, type ReadBundleOptions } from './read-bundle';
export { writeBundle, type WriteBundleOptions, type WrittenBundle } from './write-bundle';
