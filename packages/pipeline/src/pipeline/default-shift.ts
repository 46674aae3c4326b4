/**
 * The default shift and far-OOD set of a data source, shared by `runPipeline`, `prepareRunFolder` and the CLI.
 */
import { HOMEDEPOT_TAXONOMY } from '../splits/homedepot-taxonomy';
import type { ShiftStrategy } from '../splits/types';
import type { DataSource, FarSource } from './types';

/** The default shift of a preset (Home Depot: three departments held out), else two query clusters of eight. */
export function defaultShift(data: DataSource): ShiftStrategy {
  if ('preset' in data && data.preset === 'homedepot') {
    return {
      kind: 'department',
      taxonomy: HOMEDEPOT_TAXONOMY,
      heldOut: ['outdoor-garden', 'appliances', 'paint'],
    };
  }
  return { kind: 'query-cluster', k: 8, heldOutClusters: [0, 1] };
}

/** The default far-OOD set of a data source: the Crowdflower file for the Home Depot preset, else none. */
export function defaultFar(data: DataSource): FarSource | null {
  if ('preset' in data && data.preset === 'homedepot')
    return { source: { preset: 'crowdflower' }, poolFraction: 0.5 };
  return null;
}
