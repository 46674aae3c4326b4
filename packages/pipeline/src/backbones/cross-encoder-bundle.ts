/**
 * The cross-encoder bundle: a folder that scores pairs with a cross-encoder as `evaluate --cross-encoder` judged
 * it, without the evaluation. It holds the cross-encoder's files as they were scored (model.onnx, tokenizer.json,
 * config.json when there was one) and `manifest.json` (core's `CrossEncoderBundleManifest`: the files' sha256,
 * the truncation length, the inputs fed and the outputs read, the logit mapping, and the decision rule and OOD
 * detectors fitted on the reference with their ID percentiles and thresholds). It is written whole into a
 * temporary folder beside the target and renamed into place. Opening it checks the manifest (zod), every file's
 * sha256, the rule and every detector state, and loads the files as a cross-encoder folder (`loadCrossEncoder`);
 * each refusal says what to do.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

import {
  CROSS_ENCODER_BUNDLE_FORMAT,
  crossEncoderBundleFiles,
  isCrossEncoderBundleManifest,
  parseCrossEncoderBundleManifest,
  type CrossEncoderBundleManifest,
  type CrossEncoderLogitMapping,
} from '@gradeshift/core';
import type { Gemm } from '@gradeshift/core/math';
import { sha256Hex } from '@gradeshift/core/node';

import { BundleError } from '../bundle/bundle-error';
import { moveFolderIntoPlace } from '../bundle/write-bundle';
import type { FittedReference } from '../external/fit-reference';
import { writeFileAtomic } from '../io/atomic-write';
import { loadCrossEncoder, type CrossEncoderBackbone } from './cross-encoder';
import { loadEncoderBundleDecisions, oodEntriesOf } from './encoder-bundle-ood';

const AGAIN =
  'export the bundle again: gradeshift evaluate --cross-encoder <dir> --data … --reference … --bundle-out <dir>';

/**
 * Refuses a folder a bundle may not be written to: one that is neither absent, empty nor a cross-encoder bundle.
 * @param out - the folder, absolute
 * @throws BundleError `NOT_A_BUNDLE` naming the folder
 */
export function checkBundleTarget(out: string): void {
  if (!existsSync(out)) return;
  if (!statSync(out).isDirectory())
    throw new BundleError(
      'NOT_A_BUNDLE',
      { path: out, reason: 'is a file, not a folder' },
      {
        hint: 'give --bundle-out a new or empty folder (an existing cross-encoder bundle is replaced)',
      },
    );
  if (readdirSync(out).length === 0) return;
  const manifest = join(out, 'manifest.json');
  let ours = false;
  try {
    ours = isCrossEncoderBundleManifest(JSON.parse(readFileSync(manifest, 'utf8')));
  } catch {
    ours = false;
  }
  if (!ours)
    throw new BundleError(
      'NOT_A_BUNDLE',
      { path: out, reason: 'the folder is not empty and holds no cross-encoder bundle' },
      {
        hint: 'give --bundle-out a new or empty folder (an existing cross-encoder bundle is replaced)',
      },
    );
}

/** What {@link writeCrossEncoderBundle} writes. */
export interface CrossEncoderBundleInput {
  /** The cross-encoder scored (its files are copied). */
  readonly backbone: CrossEncoderBackbone;
  /** The model's logits per pair and how they map to the grades. */
  readonly logits: number;
  readonly mapping: CrossEncoderLogitMapping;
  /** Grade names, worst first. */
  readonly grades: readonly string[];
  /** The rule and detectors fitted on the reference (`evaluatePredictions`' `onReferenceFitted`). */
  readonly fitted: FittedReference;
}

/**
 * Writes a cross-encoder bundle into `outDir` (a temporary folder beside it, renamed into place).
 * @returns the manifest
 * @throws BundleError `NOT_A_BUNDLE` when `outDir` is a non-empty folder without a cross-encoder bundle;
 *   `CHECKSUM_MISMATCH` when a file of the cross-encoder changed since it was scored
 */
export function writeCrossEncoderBundle(
  input: CrossEncoderBundleInput,
  outDir: string,
): CrossEncoderBundleManifest {
  const out = resolve(outDir);
  checkBundleTarget(out);
  mkdirSync(dirname(out), { recursive: true });
  const tmp = join(dirname(out), `.${basename(out)}.tmp-${process.pid}-${Date.now()}`);
  mkdirSync(tmp);
  try {
    const manifest = manifestOf(input, (file, scored) => {
      const bytes = readFileSync(join(input.backbone.dir, file));
      const sha256 = sha256Hex(bytes);
      if (scored !== undefined && sha256 !== scored)
        throw new BundleError(
          'CHECKSUM_MISMATCH',
          {
            path: join(input.backbone.dir, file),
            reason: `sha256 ${sha256} differs from the ${scored} scored: the file changed during the evaluation`,
          },
          { hint: 'leave the cross-encoder folder unchanged while it is evaluated; run it again' },
        );
      writeFileAtomic(join(tmp, file), bytes);
      return { file, sha256 };
    });
    writeFileAtomic(join(tmp, 'manifest.json'), `${JSON.stringify(manifest)}\n`);
    moveFolderIntoPlace(tmp, out);
    return manifest;
  } catch (error) {
    rmSync(tmp, { recursive: true, force: true });
    throw error;
  }
}

/** The manifest of a bundle, copying each file through `copy` (given the sha256 it was scored with). */
function manifestOf(
  input: CrossEncoderBundleInput,
  copy: (file: string, scored?: string) => { file: string; sha256: string },
): CrossEncoderBundleManifest {
  const { backbone, fitted } = input;
  return {
    format: CROSS_ENCODER_BUNDLE_FORMAT,
    version: 1,
    grades: input.grades,
    backbone: {
      kind: 'cross-encoder',
      name: backbone.name,
      model: copy('model.onnx', backbone.sha256.model),
      tokenizer: {
        ...copy('tokenizer.json', backbone.sha256.tokenizer),
        vocabSize: backbone.vocabSize,
      },
      config: existsSync(join(backbone.dir, 'config.json')) ? copy('config.json') : null,
      maxLength: backbone.maxLength,
      inputs: backbone.inputs,
      outputs: { logits: 'logits', count: input.logits, hidden: backbone.hidden },
    },
    logitMapping: input.mapping,
    decision: fitted.decision.rule,
    ood: Object.fromEntries(oodEntriesOf('relevance', fitted)),
  };
}

/** Reads the manifest (zod-checked) and checks every file's sha256. */
export function readCrossEncoderBundle(dir: string): CrossEncoderBundleManifest {
  const path = join(dir, 'manifest.json');
  if (!existsSync(path))
    throw new BundleError(
      'NOT_A_BUNDLE',
      { path, reason: 'the folder has no manifest.json' },
      { hint: `check the path; ${AGAIN}` },
    );
  let manifest: CrossEncoderBundleManifest;
  try {
    manifest = parseCrossEncoderBundleManifest(JSON.parse(readFileSync(path, 'utf8')), path);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new BundleError(
      'INVALID_MANIFEST',
      { path, reason: reason.startsWith(path) ? reason.slice(path.length + 2) : reason },
      { hint: AGAIN, cause: error },
    );
  }
  for (const entry of crossEncoderBundleFiles(manifest)) {
    const file = join(dir, entry.file);
    if (!existsSync(file))
      throw new BundleError(
        'MISSING_FILE',
        { path: file, reason: 'the bundle lacks this file' },
        { hint: `the bundle is incomplete; ${AGAIN}` },
      );
    const actual = sha256Hex(readFileSync(file));
    if (actual !== entry.sha256)
      throw new BundleError(
        'CHECKSUM_MISMATCH',
        { path: file, reason: `sha256 ${actual} differs from the manifest's ${entry.sha256}` },
        { hint: `the file changed after export; restore it or ${AGAIN}` },
      );
  }
  return manifest;
}

/** An opened cross-encoder bundle: its manifest, its cross-encoder, its rule and restored detectors. */
export interface OpenCrossEncoderBundle {
  readonly manifest: CrossEncoderBundleManifest;
  readonly backbone: CrossEncoderBackbone;
  readonly decisions: ReturnType<typeof loadEncoderBundleDecisions>;
  dispose(): Promise<void>;
}

/**
 * Opens a cross-encoder bundle (see the module comment).
 * @throws BundleError for a missing, changed or unreadable file or manifest, or a model whose hidden-state output
 *   is not the manifest's; Error naming the manifest for a bad decision rule or detector state
 */
export async function openCrossEncoderBundle(
  dir: string,
  options: { readonly threads?: number; readonly gemm?: Gemm } = {},
): Promise<OpenCrossEncoderBundle> {
  const root = resolve(dir);
  const manifest = readCrossEncoderBundle(root);
  const decisions = loadEncoderBundleDecisions(
    manifest,
    { path: join(root, 'manifest.json'), again: `the manifest was changed after export; ${AGAIN}` },
    options.gemm === undefined ? undefined : { gemm: options.gemm },
  );
  const { backbone: declared } = manifest;
  const backbone = await loadCrossEncoder(root, {
    maxLength: declared.maxLength,
    ...(options.threads === undefined ? {} : { threads: options.threads }),
  });
  if (backbone.hidden !== declared.outputs.hidden || backbone.maxLength !== declared.maxLength) {
    await backbone.dispose();
    throw new BundleError(
      'MODEL_MISMATCH',
      {
        path: join(root, declared.model.file),
        reason: `the model reads ${backbone.maxLength} tokens with hidden state ${String(backbone.hidden)} but the manifest declares ${declared.maxLength} and ${String(declared.outputs.hidden)}`,
      },
      { hint: AGAIN },
    );
  }
  return { manifest, backbone, decisions, dispose: () => backbone.dispose() };
}
