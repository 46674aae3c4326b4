/**
 * Which OOD scores a bundle scorer computes and how: from a graph output, with an outside detector, or fused from
 * other scores' percentiles (whose members are then computed too, asked for or not).
 * @internal
 */
import { CoreError } from '../errors';
import type { BundleOodScore } from './manifest';
import type { ScorerRunPlan } from './run-scorer-batches';
import type { CreateBundleScorerOptions } from './score-pairs';

/** A fused score: the mean (or max) of its members' ID percentiles. */
export interface PlannedFusedScore {
  readonly name: string;
  readonly score: BundleOodScore;
  readonly of: readonly string[];
  readonly method: 'mean' | 'max';
}

/**
 * The OOD scores to compute for `options.oodScores` (default: all of the manifest's).
 * @throws CoreError `INVALID_ARGUMENT` for an unknown score, a fused score of fused scores, or a missing detector
 * @internal
 */
export function planOod(options: CreateBundleScorerOptions): {
  run: ScorerRunPlan['ood'];
  fused: PlannedFusedScore[];
} {
  const { manifest } = options;
  const requested = options.oodScores ?? Object.keys(manifest.ood);
  const fused: PlannedFusedScore[] = [];
  const names = new Set<string>();
  for (const name of requested) {
    const score = manifest.ood[name];
    if (score?.source.kind !== 'fused') {
      names.add(name);
      continue;
    }
    // A fused score needs its members' percentiles, asked for or not.
    const { of, method } = score.source;
    for (const member of of) names.add(member);
    fused.push({ name, score, of, method });
  }
  return { run: [...names].map((name) => planOne(options, name)), fused };
}

function planOne(options: CreateBundleScorerOptions, name: string): ScorerRunPlan['ood'][number] {
  const { manifest, detectors = {} } = options;
  const score = manifest.ood[name];
  if (score === undefined) {
    throw new CoreError(
      'INVALID_ARGUMENT',
      `options.oodScores names "${name}", which the manifest does not have (it has ${Object.keys(manifest.ood).join(', ') || 'none'})`,
    );
  }
  if (score.source.kind === 'graph') return { name, score, output: score.source.output };
  if (score.source.kind === 'fused')
    throw new CoreError('INVALID_ARGUMENT', `OOD score "${name}" fuses fused scores`);
  const detector = detectors[name];
  if (detector === undefined) {
    throw new CoreError(
      'INVALID_ARGUMENT',
      `OOD score "${name}" is computed outside the graph: pass options.detectors.${name} (e.g. loadDetector(manifest.ood.${name}.source.state)) or leave it out of options.oodScores`,
    );
  }
  return { name, score, detector, reads: score.source.reads };
}
