/**
 * Validator of the manifest's `ood` section: per score its source (a graph output or an outside detector
 * state), settings, percentile calibration and threshold.
 * @internal
 */
import { CoreError } from '../errors';
import type {
  BundleDetectorState,
  BundleModel,
  BundleOodScore,
  BundleOodSource,
  BundlePercentileCalibration,
} from './manifest';
import { roleNames } from './onnx-names';
import { invalidField, isJsonObject, readFields, type FieldReader } from './manifest-fields';

function parseSource(f: FieldReader): BundleOodSource {
  const kind = f.raw('kind');
  if (kind === 'graph') return { kind, output: f.string('output') };
  if (kind === 'detector') {
    const reads = f.raw('reads');
    if (reads !== 'features' && reads !== 'logits')
      throw invalidField(`${f.path}.reads`, '"features" or "logits"', reads);
    const state = f.object('state');
    state.string('kind');
    state.integer('version', 1);
    return { kind, reads, state: f.raw('state') as BundleDetectorState };
  }
  throw invalidField(`${f.path}.kind`, '"graph" or "detector"', kind);
}

function parseSettings(value: unknown, path: string): Record<string, number | string | boolean> {
  if (!isJsonObject(value)) throw invalidField(path, 'an object', value);
  const out: Record<string, number | string | boolean> = {};
  for (const [key, v] of Object.entries(value)) {
    const ok =
      typeof v === 'string' ||
      typeof v === 'boolean' ||
      (typeof v === 'number' && Number.isFinite(v));
    if (!ok) throw invalidField(`${path}.${key}`, 'a finite number, a string or a boolean', v);
    out[key] = v;
  }
  return out;
}

function parseCalibration(f: FieldReader): BundlePercentileCalibration {
  if (f.raw('kind') !== 'percentile-calibration')
    throw invalidField(`${f.path}.kind`, '"percentile-calibration"', f.raw('kind'));
  if (f.raw('version') !== 1) throw invalidField(`${f.path}.version`, '1', f.raw('version'));
  const sorted = f.raw('sorted');
  if (!Array.isArray(sorted) || sorted.length === 0)
    throw invalidField(`${f.path}.sorted`, 'a non-empty array of held-out ID scores', sorted);
  let previous = -Infinity;
  const values = sorted.map((v: unknown, i) => {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < previous)
      throw invalidField(
        `${f.path}.sorted[${i}]`,
        `a finite number ≥ the previous score ${previous}`,
        v,
      );
    previous = v;
    return v;
  });
  return { kind: 'percentile-calibration', version: 1, sorted: values };
}

/**
 * `manifest.ood`: OOD scores by name. Graph outputs must be distinct and differ from the head's names.
 * @internal
 */
export function parseOod(value: unknown, model: BundleModel): Record<string, BundleOodScore> {
  if (!isJsonObject(value)) throw invalidField('manifest.ood', 'an object', value);
  const taken = new Set<string>([...roleNames(model.inputs), ...roleNames(model.outputs)]);
  const out: Record<string, BundleOodScore> = {};
  for (const name of Object.keys(value)) {
    const f = readFields(value[name], `manifest.ood.${name}`);
    const source = parseSource(f.object('source'));
    if (source.kind === 'graph') {
      if (taken.has(source.output))
        throw new CoreError(
          'INVALID_ARGUMENT',
          `manifest.ood.${name}.source.output "${source.output}" is already used by another model input or output`,
        );
      taken.add(source.output);
    }
    const threshold = f.object('threshold');
    out[name] = {
      source,
      settings: parseSettings(f.raw('settings'), `manifest.ood.${name}.settings`),
      calibration: parseCalibration(f.object('calibration')),
      threshold: {
        tpr: threshold.number('tpr', (v) => v > 0 && v <= 1, 'a number in (0, 1]'),
        value: threshold.number('value'),
      },
    };
  }
  return out;
}
