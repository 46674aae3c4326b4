/**
 * The Samples view's state, all in the URL (so a filtered, sorted page can be shared): parsing search
 * parameters into a `runs.predictions` request, and building links that change one part of it.
 */
import type { RouterInputs } from '@gradeshift/api';

import { param } from './search-params';

export const PAGE_SIZE = 50;

/** The view's state. */
export interface SamplesState {
  run?: string | undefined;
  split?: string | undefined;
  /** Slice (department) of the query. */
  slice?: string | undefined;
  grade?: number | undefined;
  predicted?: number | undefined;
  /** Detector whose flag filters rows. */
  ood?: string | undefined;
  /** `yes` keeps flagged rows, `no` keeps the others. */
  flagged?: 'yes' | 'no' | undefined;
  q?: string | undefined;
  /** `file`, `error`, `expected`, or `ood:<detector>`. */
  sort?: string | undefined;
  order?: 'asc' | 'desc' | undefined;
  cursor?: number | undefined;
  /** The pair whose detail is open: `<split>:<id>`. */
  pair?: string | undefined;
  /** A rectangle of the run's map, `x0,x1,y0,y1` (see {@link parseRegion}): only the pairs whose point lies in it. */
  region?: string | undefined;
}

/** A rectangle of the map (bounds inclusive). */
export interface MapRegion {
  readonly x: [number, number];
  readonly y: [number, number];
}

/** Reads `x0,x1,y0,y1` (finite numbers, each range low to high); anything else is undefined. */
export function parseRegion(text: string | undefined): MapRegion | undefined {
  const parts = text?.split(',').map(Number);
  if (parts?.length !== 4 || !parts.every(Number.isFinite)) return undefined;
  const [x0, x1, y0, y1] = parts as [number, number, number, number];
  return x0 <= x1 && y0 <= y1 ? { x: [x0, x1], y: [y0, y1] } : undefined;
}

/** A region as the URL carries it, each bound with 4 significant digits widened outwards (nothing inside is lost). */
export function formatRegion(region: MapRegion): string {
  const down = (v: number) => roundOut(v, Math.floor);
  const up = (v: number) => roundOut(v, Math.ceil);
  return [down(region.x[0]), up(region.x[1]), down(region.y[0]), up(region.y[1])].join(',');
}

function roundOut(v: number, round: (v: number) => number): number {
  if (v === 0) return 0;
  const scale = 10 ** (3 - Math.floor(Math.log10(Math.abs(v))));
  return round(v * scale) / scale;
}

const int = (s: string | undefined): number | undefined => {
  if (s === undefined || !/^\d+$/.test(s)) return undefined;
  return Number(s);
};

/**
 * The filter form's one OOD select (`oodflag`): `yes:<detector>` keeps the pairs that detector flags, `no:<detector>`
 * the others, empty keeps all. It reads back into `ood` and `flagged`, which links carry.
 */
export const oodFlagValue = (state: SamplesState): string =>
  state.ood === undefined ? '' : `${state.flagged === 'no' ? 'no' : 'yes'}:${state.ood}`;

function readOodFlag(
  params: Readonly<Record<string, string | string[] | undefined>>,
): Pick<SamplesState, 'ood' | 'flagged'> {
  const combined = /^(yes|no):(.+)$/.exec(param(params, 'oodflag') ?? '');
  if (combined !== null) return { ood: combined[2], flagged: combined[1] === 'no' ? 'no' : 'yes' };
  const ood = param(params, 'ood');
  const flagged = param(params, 'flagged');
  return {
    ood,
    flagged: ood === undefined ? undefined : flagged === 'no' ? 'no' : 'yes',
  };
}

/** Reads the state from search parameters; anything malformed is dropped. */
export function readSamplesState(
  params: Readonly<Record<string, string | string[] | undefined>>,
): SamplesState {
  const order = param(params, 'order');
  const pair = param(params, 'pair');
  return {
    run: param(params, 'run'),
    split: param(params, 'split'),
    slice: param(params, 'slice')?.slice(0, 128),
    grade: int(param(params, 'grade')),
    predicted: int(param(params, 'predicted')),
    ...readOodFlag(params),
    q: param(params, 'q')?.slice(0, 200),
    sort: param(params, 'sort'),
    order: order === 'asc' || order === 'desc' ? order : undefined,
    cursor: int(param(params, 'cursor')),
    pair: pair !== undefined && /^[^:]{1,64}:.{1,128}$/.test(pair) ? pair : undefined,
    region:
      parseRegion(param(params, 'region')) === undefined ? undefined : param(params, 'region'),
  };
}

/** The `runs.predictions` request for a state. */
export function toPredictionsInput(
  id: string,
  state: SamplesState,
): RouterInputs['runs']['predictions'] {
  const order = state.order ?? 'desc';
  const region = parseRegion(state.region);
  const sort: RouterInputs['runs']['predictions']['sort'] =
    state.sort === 'error' || state.sort === 'expected'
      ? { by: state.sort, order }
      : state.sort?.startsWith('ood:') === true
        ? { by: 'ood', detector: state.sort.slice(4), order }
        : { by: 'file' };
  return {
    id,
    limit: PAGE_SIZE,
    cursor: state.cursor ?? 0,
    sort,
    ...(state.split === undefined ? {} : { split: state.split }),
    ...(state.slice === undefined ? {} : { slice: state.slice }),
    ...(state.grade === undefined ? {} : { grade: state.grade }),
    ...(state.predicted === undefined ? {} : { predicted: state.predicted }),
    ...(state.q === undefined ? {} : { text: state.q }),
    ...(region === undefined ? {} : { region }),
    ...(state.ood === undefined
      ? {}
      : { ood: { detector: state.ood, flagged: state.flagged !== 'no' } }),
  };
}

/** The `runs.predictions` request for the one pair a `<split>:<id>` names. */
export function toPairInput(id: string, pair: string): RouterInputs['runs']['predictions'] {
  const at = pair.indexOf(':');
  return { id, split: pair.slice(0, at), pairId: pair.slice(at + 1), limit: 1 };
}

/** The view's URL for a state. */
export function samplesHref(state: SamplesState): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(state))
    if (value !== undefined && value !== '' && !(key === 'cursor' && value === 0))
      search.set(key, String(value));
  const text = search.toString();
  return text === '' ? '/samples' : `/samples?${text}`;
}
