/**
 * Map: where ID test, near-OOD, far-OOD and pool traffic sit in the content space (a PCA computed once at
 * pipeline time and stored as map.json; `runs.map`), coloured by group, fused OOD percentile or error; a region
 * of it opens its pairs in Samples.
 */
import { Glossary } from '../../components/glossary';
import { RunView } from '../../components/run-view';
import { ShiftMapExplorer } from '../../components/shift-map-explorer';
import { MissingSection } from '../../components/states';
import { param, type SearchParams } from '../../lib/load-run';
import { toMapPoints } from '../../lib/map-points';
import { apiErrorCode, getApi } from '../../trpc/server';

/** The run's map, or null when it has none (404). */
async function loadMap(id: string) {
  try {
    return toMapPoints(await getApi().api.runs.map.query({ id }));
  } catch (error) {
    if (apiErrorCode(error) === 'NOT_FOUND') return null;
    throw error;
  }
}

export default async function MapPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const run = param(params, 'run');
  return (
    <RunView
      title="Map"
      lead="Where does shifted traffic sit? ID test, near and far OOD and the pool on one 2-D map of what the pairs are about."
      run={run}
      load={({ id }) => loadMap(id)}
    >
      {(_loaded, points) => (
        <section className="panel" aria-labelledby="map-h">
          <h2 id="map-h">Content space, first two principal axes of ID train</h2>
          {points === null ? (
            <MissingSection what="2-D map (map.json)" />
          ) : (
            <ShiftMapExplorer points={points} run={run} initialRegion={param(params, 'region')} />
          )}
          <p className="note">
            Computed once by the pipeline (PCA fitted on ID-train content features, up to 2,500
            pairs a group), never per request. A region&apos;s bounds are rounded outwards to four
            digits in the link, so Samples shows every pair the count includes.
          </p>
          <Glossary terms={['fused percentile', 'expected grade']} />
        </section>
      )}
    </RunView>
  );
}
