/**
 * The in-memory dataset: labelled (query, item) pairs on a grade scale, the issues met while loading, and
 * where the data came from (path, format, sha256 fingerprint, row counts).
 */
import type { GradeScale } from '@gradeshift/core';

import type { DataIssue } from './data-issue';

/** File formats the loader reads. */
export type DatasetFormat = 'csv' | 'jsonl';

/** One (query, item) pair to score. Texts are NFC-normalised, whitespace-collapsed and trimmed. */
export interface UnlabeledPair {
  /** The id column's value, or the line number as a string when no id column is mapped. */
  readonly id: string;
  /** The search query. */
  readonly query: string;
  /** The item (product) text. */
  readonly item: string;
  /** The category column's value, when one is mapped and the row has one. */
  readonly category?: string;
  /** 1-based physical line of the row in the source file. */
  readonly line: number;
}

/** One judged (query, item) pair. */
export interface LabeledPair extends UnlabeledPair {
  /** 0-based integer grade on the dataset's {@link GradeScale}. */
  readonly grade: number;
  /** The raw numeric label when there is one (a mean rating), kept for RMSE and ranking tie-breaks. */
  readonly rating?: number;
}

/** Where a {@link Dataset} came from. */
export interface DatasetSource {
  /** The path as given to the loader. */
  readonly path: string;
  /** The format the file was read as. */
  readonly format: DatasetFormat;
  /** Hex sha256 of the file's bytes: the data fingerprint of runs and model bundles. */
  readonly sha256: string;
  /** Data rows read (header and blank lines excluded), malformed ones included. */
  readonly rows: number;
  /** Rows skipped because of an issue (`rows − skipped = pairs.length`). */
  readonly skipped: number;
  /** Query or item texts cut to `maxTextLength` (counted per text, so a row may count twice). */
  readonly truncated: number;
}

/** A loaded dataset. */
export interface Dataset {
  /** The usable pairs, in file order. */
  readonly pairs: readonly LabeledPair[];
  /** Every issue met (with `onError: 'skip'`; with `'stop'` the first one throws instead). */
  readonly issues: readonly DataIssue[];
  /** Provenance and counts. */
  readonly source: DatasetSource;
  /** The grade scale the `grade` fields refer to. */
  readonly scale: GradeScale;
  /** The declared `[min, max]` of numeric ratings, mapped linearly onto the grade axis `[0, K−1]`. */
  readonly ratingRange?: readonly [number, number];
  /** The rating edges between grades, when a threshold mapping made the grades. */
  readonly ratingEdges?: readonly number[];
}
