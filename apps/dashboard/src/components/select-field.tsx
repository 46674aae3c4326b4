/**
 * The option list every select of the dashboard renders (filters, run picker, detector), and the labelled select
 * of a filter form with an optional first option that means "no filter".
 */

/** An option: its value and what it shows. */
export interface SelectOption {
  readonly value: string | number;
  readonly label: string;
}

/** The `<option>`s of a select. */
export function Options({ options }: { options: readonly SelectOption[] }) {
  return options.map((o) => (
    <option key={o.value} value={o.value}>
      {o.label}
    </option>
  ));
}

/** What a {@link SelectField} shows. */
export interface SelectFieldProps {
  readonly label: string;
  readonly name: string;
  /** The initially selected value ('' for the empty option). */
  readonly value: string | number;
  readonly options: readonly SelectOption[];
  /** The label of a first option with the value '' (no filter), if any. */
  readonly empty?: string;
}

/** A select of a form submitted as a whole (uncontrolled: the form reads it on submit). */
export function SelectField({ label, name, value, options, empty }: SelectFieldProps) {
  return (
    <label className="field">
      {label}
      <select name={name} defaultValue={value}>
        {empty === undefined ? null : <option value="">{empty}</option>}
        <Options options={options} />
      </select>
    </label>
  );
}

/** Options from plain strings, each its own value. */
export const optionsOf = (values: readonly string[]): SelectOption[] =>
  values.map((value) => ({ value, label: value }));

/** Grade options: the grade's index as value, its name as label. */
export const gradeOptions = (grades: readonly string[]): SelectOption[] =>
  grades.map((label, value) => ({ value, label }));
