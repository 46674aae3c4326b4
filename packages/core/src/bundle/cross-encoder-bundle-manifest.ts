/**
 * The cross-encoder bundle's `manifest.json` (format `gradeshift-cross-encoder-bundle`), read the same way by the
 * pipeline (`gradeshift score`, onnxruntime-node) and the dashboard's Playground (onnxruntime-web): the backbone
 * (the cross-encoder's model file and tokenizer file with their sha256, the optional config.json, the truncation
 * length, the inputs fed and the outputs read), the logit mapping (the model's columns reordered to the grades
 * by config.json's `id2label`, or a single relevance score s mapped to the grade logits c·s), and the decision
 * rule and OOD detectors fitted on the reference by `evaluate --cross-encoder`. The shape is checked with zod;
 * the files' sha256 are the reader's to check, the rule and the detector states `checkEncoderBundleDecisions`'.
 */
import { z } from 'zod';

import type { GradeDecision } from '../decision/grade-decision';
import type { EncoderBundleFile } from './encoder-bundle-manifest';
import type { BundleOodScore } from './manifest';

/** The manifest's format name. */
export const CROSS_ENCODER_BUNDLE_FORMAT = 'gradeshift-cross-encoder-bundle';

/** How the model's logit columns become the grades' K logits. */
export type CrossEncoderLogitMapping =
  | { readonly kind: 'columns'; readonly columns: readonly number[] }
  | { readonly kind: 'single-score' };

/** `manifest.json` of a cross-encoder bundle. */
export interface CrossEncoderBundleManifest {
  readonly format: typeof CROSS_ENCODER_BUNDLE_FORMAT;
  readonly version: 1;
  readonly grades: readonly string[];
  readonly backbone: {
    readonly kind: 'cross-encoder';
    readonly name: string;
    readonly model: EncoderBundleFile;
    readonly tokenizer: EncoderBundleFile & { readonly vocabSize: number };
    readonly config: EncoderBundleFile | null;
    /** Truncation length of a (query, item) pair, special tokens included. */
    readonly maxLength: number;
    /** The model inputs fed: input_ids, attention_mask and, when the model has it, token_type_ids. */
    readonly inputs: readonly string[];
    /** The outputs read: the logits (and their count) and the hidden state of the `relevance` space. */
    readonly outputs: {
      readonly logits: 'logits';
      readonly count: number;
      readonly hidden: 'pooled_output' | 'last_hidden_state' | null;
    };
  };
  readonly logitMapping: CrossEncoderLogitMapping;
  readonly decision: GradeDecision;
  readonly ood: Readonly<Record<string, BundleOodScore>>;
}

const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex digits');
/**
 * A bundle file at its one fixed name: the loader always opens `model.onnx`, `tokenizer.json` and `config.json` in
 * the bundle folder, so a manifest naming another file (or a path out of the folder) would have its checksum checked
 * on a file that is not the one served.
 */
const file = <T extends string>(name: T) => z.object({ file: z.literal(name), sha256 });

const SCHEMA = z.object({
  format: z.literal(CROSS_ENCODER_BUNDLE_FORMAT),
  version: z.literal(1),
  grades: z.array(z.string().min(1)).min(2),
  backbone: z.object({
    kind: z.literal('cross-encoder'),
    name: z.string(),
    model: file('model.onnx'),
    tokenizer: file('tokenizer.json').extend({ vocabSize: z.number().int().positive() }),
    config: file('config.json').nullable(),
    maxLength: z.number().int().min(2),
    inputs: z.array(z.enum(['input_ids', 'attention_mask', 'token_type_ids'])).min(2),
    outputs: z.object({
      logits: z.literal('logits'),
      count: z.number().int().positive(),
      hidden: z.enum(['pooled_output', 'last_hidden_state']).nullable(),
    }),
  }),
  logitMapping: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('columns'), columns: z.array(z.number().int().min(0)) }),
    z.object({ kind: z.literal('single-score') }),
  ]),
  // Checked by checkEncoderBundleDecisions, which restores the detectors.
  decision: z.object({ kind: z.string() }).loose(),
  ood: z.record(z.string(), z.unknown()),
});

/**
 * Whether parsed JSON names the cross-encoder bundle format.
 * @param json - a parsed `manifest.json`
 */
export function isCrossEncoderBundleManifest(json: unknown): boolean {
  return (
    typeof json === 'object' &&
    json !== null &&
    (json as { format?: unknown }).format === CROSS_ENCODER_BUNDLE_FORMAT
  );
}

/** The mapping's columns against the model's logit count and the grades. */
function checkMapping(manifest: CrossEncoderBundleManifest): string | null {
  const { logitMapping: mapping, grades } = manifest;
  const count = manifest.backbone.outputs.count;
  if (mapping.kind === 'single-score')
    return count === 1 ? null : `logitMapping is single-score but the model gives ${count} logits`;
  if (mapping.columns.length !== grades.length)
    return `logitMapping.columns has ${mapping.columns.length} entries for ${grades.length} grades`;
  const bad = mapping.columns.find((c) => c >= count);
  return bad === undefined ? null : `logitMapping.columns names column ${bad} of ${count} logits`;
}

/**
 * Checks the shape of a parsed cross-encoder manifest (its files' sha256 are the reader's to check; the decision
 * rule and the OOD entries `checkEncoderBundleDecisions`').
 * @param json - the parsed `manifest.json`
 * @param path - where it was read, named in errors
 * @returns the manifest
 * @throws Error `<path>: <field>: <problem>: export the bundle again (…)`
 */
export function parseCrossEncoderBundleManifest(
  json: unknown,
  path: string,
): CrossEncoderBundleManifest {
  const again =
    'export the bundle again (gradeshift evaluate --cross-encoder <dir> … --bundle-out <dir>)';
  const parsed = SCHEMA.safeParse(json);
  if (!parsed.success) {
    const [first] = parsed.error.issues;
    const field =
      first === undefined ? '(root)' : ['manifest', ...first.path.map(String)].join('.');
    throw new Error(
      `${path}: ${field}: ${first?.message ?? 'invalid'}: not a version 1 ${CROSS_ENCODER_BUNDLE_FORMAT} manifest; ${again}`,
    );
  }
  const manifest = parsed.data as unknown as CrossEncoderBundleManifest;
  const problem = checkMapping(manifest);
  if (problem !== null) throw new Error(`${path}: ${problem}; ${again}`);
  return manifest;
}

/**
 * The bundle's files the manifest lists with a sha256, in the order the reader checks them: the model, the
 * tokenizer, the config (when copied).
 * @param manifest - a checked manifest
 */
export function crossEncoderBundleFiles(manifest: CrossEncoderBundleManifest): EncoderBundleFile[] {
  const { model, tokenizer, config } = manifest.backbone;
  return [model, tokenizer, config]
    .filter((entry): entry is EncoderBundleFile => entry !== null)
    .map(({ file: name, sha256: sum }) => ({ file: name, sha256: sum }));
}
