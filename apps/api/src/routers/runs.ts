/**
 * `runs.list`, `runs.get`, `runs.compare`, `runs.predictions`, `runs.scores`, `runs.map`: the run store and the runs' report
 * and prediction files, read-only; one procedure per file in `runs/`.
 */
import type { Limits } from '../limits';
import { router } from '../trpc';
import { compareRuns } from './runs/compare-runs';
import { getRun } from './runs/get-run';
import { listRuns } from './runs/list-runs';
import { runMap } from './runs/run-map';
import { runPredictions } from './runs/run-predictions';
import { runScores } from './runs/run-scores';

/** The runs router, with the page-size limits baked in. */
export function runsRouter(limits: Limits) {
  return router({
    list: listRuns,
    get: getRun,
    compare: compareRuns,
    predictions: runPredictions(limits),
    scores: runScores(limits),
    map: runMap,
  });
}
