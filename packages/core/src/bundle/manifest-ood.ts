/**
 * Validator of the manifest's `ood` section: per score its source (a graph output or an outside detector
 * state), settings, percentile calibration and threshold.
 * @internal
 */
import { CoreError } from '../errors';
import {
  OOD_SPACES,
  type OodSpace,
  type BundleDetectorState,
  type BundleModel,
  type BundleOodScore,
  type BundleOodSource,
  type BundlePercentileCalibration,
} from './manifest';
import { roleNames } from './onnx-names';
import { invalidField, isJsonObject, readFields, type FieldReader } from './manifest-fields';

function parseSource(f: FieldReader): BundleOodSource {
  const kind = f.raw('kind');
  if (kind === 'graph') return { kind, output: f.string('output') };
  if (kind === 'detector') {
    const reads = f.raw('reads');
    if (reads !== 'features' && reads !== 'logits' && reads !== 'content')
      throw invalidField(`${f.path}.reads`, '"features", "logits" or "content"', reads);
    const state = f.object('state');
    state.string('kind');
    state.integer('version', 1);
    return { kind, reads, state: f.raw('state') as BundleDetectorState };
  }
  if (kind === 'fused') {
    const of = f.raw('of');
    if (!Array.isArray(of) || of.length === 0 || of.some((n) => typeof n !== 'string'))
      throw invalidField(`${f.path}.of`, 'a non-empty array of OOD score names', of);
    const method = f.raw('method');
    if (method !== 'mean' && method !== 'max')
      throw invalidField(`${f.path}.method`, '"mean" or "max"', method);
    return { kind, of: [...(of as string[])], method };
  }
  throw invalidField(`${f.path}.kind`, '"graph", "detector" or "fused"', kind);
}

function parseSpace(value: unknown, path: string): OodSpace {
  if (value === undefined) return 'relevance';
  if (!(OOD_SPACES as readonly unknown[]).includes(value))
    throw invalidField(path, OOD_SPACES.map((s) => `"${s}"`).join(', '), value);
  return value as OodSpace;
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
  return parseOodScores(value, [...roleNames(model.inputs), ...roleNames(model.outputs)]);
}

/**
 * Checks a manifest's `ood` section (the shape of every entry: source, space, settings, percentile calibration,
 * threshold; detector states only as far as their kind and version) and returns fresh entries.
 * @param value - the parsed `ood` section
 * @param reserved - names graph-sourced scores may not use (the model's own inputs and outputs)
 * @returns the OOD scores by name
 * @throws CoreError `INVALID_ARGUMENT` naming the field and what is wrong (`manifest.ood.knn.threshold.tpr …`)
 * @example parseOodScores(JSON.parse(text).ood, [])
 */
export function parseOodScores(
  value: unknown,
  reserved: readonly string[],
): Record<string, BundleOodScore> {
  if (!isJsonObject(value)) throw invalidField('manifest.ood', 'an object', value);
  const taken = new Set<string>(reserved);
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
    if (source.kind === 'fused') {
      const missing = source.of.filter(
        (n) => out[n] === undefined || out[n].source.kind === 'fused',
      );
      if (missing.length > 0)
        throw new CoreError(
          'INVALID_ARGUMENT',
          `manifest.ood.${name}.source.of names ${missing.map((n) => `"${n}"`).join(', ')}, which must be earlier, non-fused OOD scores of the manifest`,
        );
    }
    const threshold = f.object('threshold');
    out[name] = {
      source,
      space: parseSpace(f.raw('space'), `manifest.ood.${name}.space`),
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
