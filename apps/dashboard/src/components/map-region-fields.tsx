'use client';
/** The Map view's region as four typed bounds (the keyboard way to choose one), and its conversions. */
import { parseRegion, type MapRegion } from '../lib/samples-query';

/** The four bound fields, as typed. */
export type Draft = Record<'x0' | 'x1' | 'y0' | 'y1', string>;

/** The fields of a region (empty for none). */
export const draftOf = (r: MapRegion | undefined): Draft =>
  r === undefined
    ? { x0: '', x1: '', y0: '', y1: '' }
    : {
        x0: String(r.x[0]),
        x1: String(r.x[1]),
        y0: String(r.y[0]),
        y1: String(r.y[1]),
      };

/** The region the fields describe, if they describe one. */
export const regionOf = (d: Draft): MapRegion | undefined =>
  parseRegion([d.x0, d.x1, d.y0, d.y1].map((v) => (v.trim() === '' ? 'x' : v)).join(','));

/** The four number fields of the region's bounds. */
export function RegionFields({ draft, onChange }: { draft: Draft; onChange: (d: Draft) => void }) {
  const fields: [keyof Draft, string][] = [
    ['x0', 'x from'],
    ['x1', 'x to'],
    ['y0', 'y from'],
    ['y1', 'y to'],
  ];
  return (
    <fieldset className="filters region-fields">
      <legend>Region (drag on the map, or type the bounds)</legend>
      {fields.map(([key, label]) => (
        <label key={key} className="field">
          {label}
          <input
            type="number"
            step="any"
            name={key}
            value={draft[key]}
            onChange={(e) => onChange({ ...draft, [key]: e.target.value })}
          />
        </label>
      ))}
    </fieldset>
  );
}
