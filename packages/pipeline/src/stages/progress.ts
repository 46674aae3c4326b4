/**
 * Progress events of the pipeline stages. The CLI renders them as bars with ETA; tests collect them.
 */

/** One progress event. */
export interface ProgressEvent {
  /** The stage, e.g. `prepare`, `stage1`, `select`, `stage2`, `stage3`, `evaluate`, `export`. */
  readonly stage: string;
  /** What is happening now. */
  readonly message: string;
  /** Units done so far (rows, epochs…), with `total`, for a bar. */
  readonly done?: number;
  readonly total?: number;
  /** Estimated seconds left for this step, when known. */
  readonly etaSeconds?: number;
}

/** Receives progress events. */
export type ProgressSink = (event: ProgressEvent) => void;
