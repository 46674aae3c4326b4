/**
 * Reading a model bundle with every check a server needs before it trusts it: the folder and both files exist,
 * the manifest parses and validates, model.onnx is the file the manifest was written for (sha256), and it loads
 * in onnxruntime with exactly the inputs and outputs the manifest names. Each failure is a {@link BundleError}
 * naming the path, what is wrong and what to do.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

import {
  BUNDLE_FILES,
  isCoreError,
  parseManifest,
  bundleOutputNames,
  roleNames,
  type BundleManifest,
  type InferenceBackend,
  type InferenceSessionLike,
  type InferenceSessionOptions,
} from '@gradeshift/core';
import { createNodeBackend } from '@gradeshift/core/node';

import { BundleError } from './bundle-error';
import { sha256Hex } from '@gradeshift/core/node';

/** Options for {@link readBundle}. */
export interface ReadBundleOptions {
  /** The runtime that loads model.onnx. @default createNodeBackend() (onnxruntime-node, CPU) */
  backend?: InferenceBackend;
  /** Session options for the model. @default {} */
  sessionOptions?: InferenceSessionOptions;
}

/** A checked bundle with its model loaded. */
export interface LoadedBundle {
  /** The absolute bundle folder. */
  readonly dir: string;
  readonly manifest: BundleManifest;
  /** model.onnx, loaded (dispose it when done). */
  readonly session: InferenceSessionLike;
}

/** The sibling a replacement in progress moved the previous bundle to, if a crash left one behind. */
function interruptedReplacement(dir: string): string | undefined {
  const parent = dirname(dir);
  if (!existsSync(parent)) return undefined;
  const prefix = `.${basename(dir)}.old-`;
  const found = readdirSync(parent).find((name) => name.startsWith(prefix));
  return found === undefined ? undefined : join(parent, found);
}

function checkFolder(dir: string): { manifestPath: string; modelPath: string } {
  if (!existsSync(dir)) {
    const old = interruptedReplacement(dir);
    throw new BundleError(
      'NOT_FOUND',
      { path: dir, reason: 'no bundle folder here' },
      old === undefined
        ? {}
        : {
            hint: `a replacement was interrupted: the previous bundle is at ${old}; rename it to ${dir} or export again`,
          },
    );
  }
  if (!statSync(dir).isDirectory())
    throw new BundleError('NOT_A_BUNDLE', { path: dir, reason: 'is a file, not a bundle folder' });
  const manifestPath = join(dir, BUNDLE_FILES.manifest);
  const modelPath = join(dir, BUNDLE_FILES.model);
  const hasManifest = existsSync(manifestPath);
  const hasModel = existsSync(modelPath);
  if (!hasManifest && !hasModel)
    throw new BundleError('NOT_A_BUNDLE', {
      path: dir,
      reason: 'holds neither manifest.json nor model.onnx, so it is not a gradeshift bundle',
    });
  if (!hasManifest && existsSync(join(dir, 'tokenizer.json')))
    throw new BundleError(
      'NOT_A_BUNDLE',
      {
        path: dir,
        reason:
          'holds a model and its tokenizer but no manifest.json: a Hugging Face model folder, not a gradeshift bundle',
      },
      {
        hint: 'write a bundle from it: gradeshift encoder --model <dir> --out <run> (serve <run>/bundle) for an encoder, gradeshift evaluate --cross-encoder <dir> … --bundle-out <bundle> for a cross-encoder',
      },
    );
  if (!hasManifest)
    throw new BundleError('MISSING_FILE', { path: manifestPath, reason: 'is missing' });
  if (!hasModel) throw new BundleError('MISSING_FILE', { path: modelPath, reason: 'is missing' });
  return { manifestPath, modelPath };
}

function readManifest(path: string): BundleManifest {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new BundleError(
      'INVALID_MANIFEST',
      { path, reason: `is not valid JSON (${detail}); the file is damaged or truncated` },
      { cause: error },
    );
  }
  try {
    return parseManifest(json);
  } catch (error) {
    if (!isCoreError(error)) throw error;
    const code =
      error.code === 'VERSION_MISMATCH'
        ? 'VERSION_MISMATCH'
        : error.message.startsWith('not a gradeshift bundle manifest')
          ? 'NOT_A_BUNDLE'
          : 'INVALID_MANIFEST';
    throw new BundleError(code, { path, reason: error.message }, { cause: error });
  }
}

function sameNames(actual: readonly string[], expected: readonly string[]): boolean {
  return actual.length === expected.length && expected.every((name) => actual.includes(name));
}

function assertNames(session: InferenceSessionLike, manifest: BundleManifest, path: string): void {
  const inputs = roleNames(manifest.model.inputs);
  const outputs = bundleOutputNames(manifest);
  const show = (names: readonly string[]): string => `[${[...names].sort().join(', ')}]`;
  if (!sameNames(session.inputNames, inputs))
    throw new BundleError('MODEL_MISMATCH', {
      path,
      reason: `has inputs ${show(session.inputNames)} but the manifest lists ${show(inputs)}`,
    });
  if (!sameNames(session.outputNames, outputs))
    throw new BundleError('MODEL_MISMATCH', {
      path,
      reason: `has outputs ${show(session.outputNames)} but the manifest lists ${show(outputs)}`,
    });
}

/**
 * Reads and checks a bundle's manifest alone, without loading its model (a producer that only hands the bundle
 * to workers, which load and check it themselves).
 * @param dir - the bundle folder
 * @throws BundleError: `NOT_FOUND`, `NOT_A_BUNDLE`, `MISSING_FILE`, `INVALID_MANIFEST`, `VERSION_MISMATCH`
 */
export function readBundleManifest(dir: string): BundleManifest {
  return readManifest(checkFolder(resolve(dir)).manifestPath);
}

/**
 * Reads and checks a bundle and loads its model.
 * @param dir - the bundle folder
 * @param options - the backend (onnxruntime-node by default) and session options
 * @returns the folder, the manifest and the loaded session
 * @throws BundleError: `NOT_FOUND`, `NOT_A_BUNDLE` (a foreign folder or manifest), `MISSING_FILE`, `INVALID_MANIFEST`
 * (bad JSON or a field that does not validate), `VERSION_MISMATCH` (another bundle format), `CHECKSUM_MISMATCH`
 * (model.onnx is not the exported file), `MODEL_LOAD_FAILED`, `MODEL_MISMATCH` (names differ from the manifest)
 * @example const { manifest, session } = await readBundle('runs/default/bundle');
 * @see https://onnxruntime.ai/docs/api/js/interfaces/InferenceSession-1.html
 */
export async function readBundle(
  dir: string,
  options: ReadBundleOptions = {},
): Promise<LoadedBundle> {
  const root = resolve(dir);
  const { manifestPath, modelPath } = checkFolder(root);
  const manifest = readManifest(manifestPath);
  const model = new Uint8Array(readFileSync(modelPath));
  const sha256 = sha256Hex(model);
  if (sha256 !== manifest.model.sha256) {
    const size =
      model.length === manifest.model.bytes
        ? ''
        : ` and has ${model.length} bytes instead of ${manifest.model.bytes}`;
    throw new BundleError('CHECKSUM_MISMATCH', {
      path: modelPath,
      reason: `has sha256 ${sha256}, not the ${manifest.model.sha256} recorded in manifest.json${size}`,
    });
  }
  const backend = options.backend ?? createNodeBackend();
  let session: InferenceSessionLike;
  try {
    session = await backend.createSession(model, options.sessionOptions);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new BundleError(
      'MODEL_LOAD_FAILED',
      { path: modelPath, reason: `could not be loaded by ${backend.name} (${detail})` },
      { cause: error },
    );
  }
  try {
    assertNames(session, manifest, modelPath);
  } catch (error) {
    await session.dispose();
    throw error;
  }
  return { dir: root, manifest, session };
}
