/**
 * The Samples view's filter form: a plain GET form (a document navigation, see `lib/views.ts`) over split,
 * slice, true and predicted grade, one OOD select (which detector's flag, and whether flagged), and text.
 */
import { oodFlagValue, samplesHref, type SamplesState } from '../lib/samples-query';
import {
  gradeOptions,
  optionsOf,
  SelectField,
  type SelectFieldProps,
  type SelectOption,
} from './select-field';

const SPLIT_LABELS: Readonly<Record<string, string>> = {
  id_test: 'ID test',
  ood_test: 'OOD test',
  near_ood_test: 'Near-OOD test',
  far_ood_test: 'Far-OOD test',
  far_test: 'Far-OOD test',
  pool: 'Pool (unlabelled)',
};

/** A split's readable name. */
export const splitLabel = (split: string): string => SPLIT_LABELS[split] ?? split;

export function SamplesFilters({
  state,
  grades,
  splits,
  slices,
  detectors,
}: {
  state: SamplesState;
  grades: readonly string[];
  /** The run's test splits (the pool is added). */
  splits: readonly string[];
  slices: readonly string[];
  detectors: readonly string[];
}) {
  const oodOptions: SelectOption[] = detectors.flatMap((d) => [
    { value: `yes:${d}`, label: `flagged by ${d}` },
    { value: `no:${d}`, label: `not flagged by ${d}` },
  ]);
  const fields: SelectFieldProps[] = [
    {
      label: 'Split',
      name: 'split',
      value: state.split ?? '',
      empty: 'all',
      options: [...splits, 'pool'].map((s) => ({ value: s, label: splitLabel(s) })),
    },
    {
      label: 'Slice (department)',
      name: 'slice',
      value: state.slice ?? '',
      empty: 'all',
      options: optionsOf(slices),
    },
    {
      label: 'True grade',
      name: 'grade',
      value: state.grade ?? '',
      empty: 'any',
      options: gradeOptions(grades),
    },
    {
      label: 'Predicted grade',
      name: 'predicted',
      value: state.predicted ?? '',
      empty: 'any',
      options: gradeOptions(grades),
    },
    {
      label: 'OOD flag (calibrated threshold)',
      name: 'oodflag',
      value: oodFlagValue(state),
      empty: 'any',
      options: oodOptions,
    },
  ];
  return (
    <section className="panel" aria-labelledby="filters-h">
      <h2 id="filters-h">Filters</h2>
      <form className="filters" method="get" action="/samples" role="search">
        {state.run === undefined ? null : <input type="hidden" name="run" value={state.run} />}
        {state.sort === undefined ? null : <input type="hidden" name="sort" value={state.sort} />}
        {state.region === undefined ? null : (
          <input type="hidden" name="region" value={state.region} />
        )}
        {state.order === undefined ? null : (
          <input type="hidden" name="order" value={state.order} />
        )}
        {fields.map((field) => (
          <SelectField key={field.name} {...field} />
        ))}
        <label className="field">
          Text in query or item
          <input type="search" name="q" defaultValue={state.q ?? ''} placeholder="e.g. shower" />
        </label>
        <button type="submit">Apply</button>
        <a className="button secondary" href={samplesHref({ run: state.run })}>
          Reset
        </a>
      </form>
    </section>
  );
}
