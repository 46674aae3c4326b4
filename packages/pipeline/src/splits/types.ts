/**
 * Split vocabulary: split names, labelled splits, shift strategies and fractions.
 */
import type { LabeledPair } from '../data/dataset';
import type { Taxonomy } from './taxonomy';

/** The five splits, in report order. */
export const SPLIT_NAMES = Object.freeze([
  'id_train',
  'id_validation',
  'id_test',
  'pool',
  'ood_test',
] as const);

/** A split name. */
export type SplitName = (typeof SPLIT_NAMES)[number];

/** The far-OOD test split: a second dataset's held-out queries (runs with a far-OOD set only). */
export const FAR_TEST = 'far_test';

/** Any split's name, the far-OOD test split included. */
export type AnySplitName = SplitName | typeof FAR_TEST;

/** A split whose labels are visible. */
export interface LabeledSplit {
  readonly name: Exclude<AnySplitName, 'pool'>;
  /** Pairs in dataset order. */
  readonly pairs: readonly LabeledPair[];
}

/** Hold out values of the dataset's category column. */
export interface CategoryShift {
  readonly kind: 'category';
  /** Category values whose queries form the shifted side (exact match after NFC and trimming). */
  readonly heldOut: readonly string[];
}

/** Hold out product departments derived from item titles by a keyword taxonomy. */
export interface DepartmentShift {
  readonly kind: 'department';
  /** The taxonomy. @default HOMEDEPOT_TAXONOMY */
  readonly taxonomy?: Taxonomy;
  /** Department ids whose queries form the shifted side. @default the taxonomy's `defaultHeldOut` */
  readonly heldOut?: readonly string[];
}

/** Hold out query-topic clusters (seeded k-means on hashed character trigrams of the query). */
export interface QueryClusterShift {
  readonly kind: 'query-cluster';
  /** Number of clusters. */
  readonly k: number;
  /** Cluster numbers held out; clusters are numbered by size, 0 the largest. */
  readonly heldOutClusters: readonly number[];
  /** Hashed feature dimensions. @default 1024 */
  readonly dims?: number;
  /** Lloyd iterations at most. @default 50 */
  readonly maxIterations?: number;
}

/** How the shifted (out-of-distribution) side is chosen. */
export type ShiftStrategy = CategoryShift | DepartmentShift | QueryClusterShift;

/** Fractions of the in-distribution queries. They must be ≥ 0 and sum to 1. */
export interface IdFractions {
  readonly train: number;
  readonly validation: number;
  readonly test: number;
}

/** Fractions of the out-of-distribution queries. They must be ≥ 0 and sum to 1. */
export interface OodFractions {
  readonly pool: number;
  readonly test: number;
}
