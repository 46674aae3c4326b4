/**
 * The encoder bundle's `manifest.json` (format `gradeshift-encoder-bundle`), read the same way by the pipeline
 * (`gradeshift score`, onnxruntime-node) and the dashboard's Playground (onnxruntime-web): the backbone (the
 * encoder model file and the tokenizer file with their sha256, the output read, the embedding width, the
 * truncation length), the head (`head.onnx` with its input blocks and term-match width, and the term statistics
 * of those features), the decision rule fitted on ID validation and the OOD scores. Platform-neutral: the reader
 * of the files checks their sha256, this module the manifest's shape and the rule and detector entries.
 */
import { assertGradeDecision, type GradeDecision } from '../decision/grade-decision';
import type { EncoderHeadBlock } from './encoder-head-graph';
import type { BundleOodScore } from './manifest';
import { parseOodScores } from './manifest-ood';

/** The manifest's format name. */
export const ENCODER_BUNDLE_FORMAT = 'gradeshift-encoder-bundle';

/** A file of the bundle and its sha256 (hex). */
export interface EncoderBundleFile {
  readonly file: string;
  readonly sha256: string;
}

/** The decision rule and OOD scores an encoder bundle carries beside its backbone and head. */
export interface EncoderBundleDecisions {
  readonly decision: GradeDecision;
  readonly ood: Readonly<Record<string, BundleOodScore>>;
}

/** `manifest.json` of an encoder bundle. */
export interface EncoderBundleManifest {
  readonly format: typeof ENCODER_BUNDLE_FORMAT;
  readonly version: 1;
  readonly grades: readonly string[];
  readonly backbone: {
    readonly kind: 'encoder';
    readonly name: string;
    readonly model: EncoderBundleFile;
    readonly tokenizer: EncoderBundleFile & { readonly vocabSize: number };
    readonly config: EncoderBundleFile | null;
    readonly output: string;
    readonly dim: number;
    readonly maxLength: number;
  };
  readonly head: EncoderBundleFile & {
    readonly blocks: readonly EncoderHeadBlock[];
    readonly lexical: number;
    readonly hidden: number;
    readonly termStatistics: EncoderBundleFile | null;
  };
  /** How probabilities become the grade (absent in bundles written before: arg-max). */
  readonly decision?: GradeDecision;
  /** OOD scores by name, as the word-vector manifest's (absent in bundles written before: none). */
  readonly ood?: Readonly<Record<string, BundleOodScore>>;
}

/**
 * Whether parsed JSON names the encoder bundle format (a word-vector manifest does not).
 * @param json - a parsed `manifest.json`
 */
export function isEncoderBundleManifest(json: unknown): boolean {
  return (
    typeof json === 'object' &&
    json !== null &&
    (json as { format?: unknown }).format === ENCODER_BUNDLE_FORMAT
  );
}

/**
 * Checks the shape of a parsed encoder manifest (its files' sha256 are the reader's to check).
 * @param json - the parsed `manifest.json`
 * @param path - where it was read, named in errors
 * @returns the manifest
 * @throws Error `<path>: not a version 1 gradeshift-encoder-bundle manifest`
 */
export function parseEncoderBundleManifest(json: unknown, path: string): EncoderBundleManifest {
  const manifest = (typeof json === 'object' && json !== null ? json : {}) as Partial<
    Record<keyof EncoderBundleManifest, unknown>
  >;
  if (
    manifest.format !== ENCODER_BUNDLE_FORMAT ||
    manifest.version !== 1 ||
    !manifest.backbone ||
    !manifest.head
  )
    throw new Error(`${path}: not a version 1 ${ENCODER_BUNDLE_FORMAT} manifest`);
  const checked = manifest as unknown as EncoderBundleManifest;
  assertFileNames(checked, path);
  return checked;
}

/** The one name each file of an encoder bundle has (the loader opens the encoder's files by these names). */
const FILE_NAMES = {
  model: 'model.onnx',
  tokenizer: 'tokenizer.json',
  config: 'config.json',
  head: 'head.onnx',
  termStatistics: 'term-statistics.json',
} as const;

/**
 * Refuses a manifest that names a file other than its fixed name: its checksum would be checked on a file that is not
 * the one loaded, or on a path out of the bundle folder.
 */
function assertFileNames(manifest: EncoderBundleManifest, path: string): void {
  const { backbone, head } = manifest;
  const entries: [keyof typeof FILE_NAMES, EncoderBundleFile | null | undefined][] = [
    ['model', backbone.model],
    ['tokenizer', backbone.tokenizer],
    ['config', backbone.config],
    ['head', head],
    ['termStatistics', head.termStatistics],
  ];
  for (const [key, entry] of entries)
    if (entry !== null && entry !== undefined && entry.file !== FILE_NAMES[key])
      throw new Error(
        `${path}: the ${key} file must be ${FILE_NAMES[key]} in the bundle folder (the manifest names ${JSON.stringify(entry.file)}): the manifest was changed after export; export the bundle again (gradeshift encoder)`,
      );
}

/**
 * The bundle's files the manifest lists with a sha256, in the order the reader checks them: the model, the
 * tokenizer, the config (when copied), the head, the term statistics (when the head reads term-match features).
 * @param manifest - a checked manifest
 */
export function encoderBundleFiles(manifest: EncoderBundleManifest): EncoderBundleFile[] {
  const { backbone, head } = manifest;
  return [backbone.model, backbone.tokenizer, backbone.config, head, head.termStatistics]
    .filter((entry): entry is EncoderBundleFile => entry !== null)
    .map(({ file, sha256 }) => ({ file, sha256 }));
}

/**
 * Checks the decision rule and OOD entries of an encoder manifest and restores its detectors. A manifest written
 * before bundles carried them (neither field) gives the arg-max and no OOD scores.
 * @param manifest - the parsed manifest's `decision`, `ood` and grades
 * @param source - the manifest's path, named in errors, or the path and what to do instead of exporting the
 *   encoder bundle again (e.g. for a cross-encoder bundle)
 * @param restore - restores the detectors of the checked OOD entries (`@gradeshift/ood`'s `loadBundleDetectors`)
 * @returns the rule, the entries and the restored detectors
 * @throws Error naming the manifest, the field and what to do
 */
export function checkEncoderBundleDecisions<TDetectors>(
  manifest: { decision?: unknown; ood?: unknown; grades: readonly string[] },
  source: string | { readonly path: string; readonly again: string },
  restore: (ood: Readonly<Record<string, BundleOodScore>>) => TDetectors,
): EncoderBundleDecisions & { detectors: TDetectors } {
  const { path, again } =
    typeof source === 'string'
      ? {
          path: source,
          again:
            'the manifest was changed after export; export the bundle again (gradeshift encoder)',
        }
      : source;
  try {
    const decision = (manifest.decision ?? { kind: 'argmax' }) as GradeDecision;
    assertGradeDecision(decision, manifest.grades.length);
    const ood = parseOodScores(manifest.ood ?? {}, []);
    for (const [name, score] of Object.entries(ood))
      if (score.source.kind !== 'detector')
        throw new Error(
          `manifest.ood.${name}.source.kind is "${score.source.kind}": an encoder bundle's OOD scores are detector states`,
        );
    return { decision, ood, detectors: restore(ood) };
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new Error(`${path}: ${detail}: ${again}`, { cause: error });
  }
}
