/**
 * The detectors of a model bundle's OOD scores computed outside the graph: every score whose source is a
 * `detector` state, restored with {@link loadDetector}. The server's bundle loader and the dashboard's browser
 * worker both assemble a bundle scorer's detectors with it, so the two read a manifest the same way.
 */
import type { DetectorComputeOptions, DetectorInput } from './detector';
import { OodError } from './errors';
import { loadDetector } from './load-detector';

/** A bundle manifest's OOD entry, as far as its detector goes (the manifest's `ood.<name>`). */
export interface BundleDetectorEntry {
  readonly source: { readonly kind: string; readonly state?: unknown };
}

/** A restored detector, scoring with the compute options it was assembled with. */
export interface BundleDetector {
  score(input: DetectorInput): Promise<Float64Array>;
}

/** Options of {@link loadBundleDetectors}. */
export interface LoadBundleDetectorsOptions {
  /** The scores wanted, by name. @default every score of `ood` */
  readonly names?: readonly string[];
  /** Passed to every detector's `score` (e.g. a faster gemm for the KNN bank product). */
  readonly computeOptions?: DetectorComputeOptions;
}

/**
 * Restores the detector of every wanted score whose source is a detector state (graph and fused scores have none).
 * @param ood - the manifest's OOD entries by score name
 * @param options - the scores wanted and the compute options
 * @returns the detectors by score name
 * @throws OodError `INVALID_STATE` / `VERSION_MISMATCH` naming the score (`ood.<name>`) whose state does not load
 * @example const detectors = loadBundleDetectors(manifest.ood);
 */
export function loadBundleDetectors(
  ood: Readonly<Record<string, BundleDetectorEntry>>,
  options: LoadBundleDetectorsOptions = {},
): Record<string, BundleDetector> {
  const { computeOptions } = options;
  const detectors: Record<string, BundleDetector> = {};
  for (const name of options.names ?? Object.keys(ood)) {
    const source = ood[name]?.source;
    if (source?.kind !== 'detector') continue;
    let detector;
    try {
      detector = loadDetector(source.state);
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      const code = error instanceof OodError ? error.code : 'INVALID_STATE';
      throw new OodError(code, `ood.${name}.source.state does not load (${detail})`, {
        cause: error,
      });
    }
    detectors[name] =
      computeOptions === undefined
        ? detector
        : { score: (input) => detector.score(input, computeOptions) };
  }
  return detectors;
}
