/**
 * The encoder bundle: a folder that scores pairs with the encoder backbone without its run. `manifest.json`
 * names the backbone (the encoder model file and the tokenizer file with their sha256, the output read, the
 * embedding width and the truncation length), the head (`head.onnx`, the head as its own ONNX graph, with its
 * input blocks and term-match width; `term-statistics.json`, the IDF source of those features), the decision rule
 * fitted on ID validation and the OOD scores (detector states with their calibration and threshold,
 * `encoder-bundle-ood.ts`). Opening a bundle checks every file's sha256, the decision rule and every detector
 * state, that the model declares the named output, and (through `openEncoder`) that the tokenizer has its special
 * tokens and fits the model's vocabulary; each refusal says what to do.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import {
  encoderBundleFiles,
  encoderHeadOnnx,
  ENCODER_BUNDLE_FORMAT,
  parseEncoderBundleManifest,
  scoreEncoderBundleHead,
  termStatisticsFromJson,
  type EncoderBundleFile,
  type EncoderBundleManifest,
  type EncoderBundleScores,
  type GradeHeadParams,
  type TermStatistics,
} from '@gradeshift/core';
import type { Gemm } from '@gradeshift/core/math';
import { createNodeBackend, sha256Hex } from '@gradeshift/core/node';

import { BundleError } from '../bundle/bundle-error';
import { writeFileAtomic } from '../io/atomic-write';
import type { Backbone, BackbonePair, BackboneScoreOptions } from './backbone';
import { loadEncoderBundleDecisions, type EncoderBundleDecisions } from './encoder-bundle-ood';
import type { EmbeddingBlock } from './encoder-features';
import { openEncoder, type OpenEncoder } from './open-encoder';

/** The manifest's format name and shape: core's, which the browser reads too. */
export { ENCODER_BUNDLE_FORMAT, type EncoderBundleManifest };

type FileEntry = EncoderBundleFile;

/** Writes bytes into the bundle and returns the file's manifest entry. */
function put(outDir: string, file: string, bytes: Uint8Array | string): FileEntry {
  const data = typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes;
  writeFileAtomic(join(outDir, file), data);
  return { file, sha256: sha256Hex(data) };
}

/**
 * Writes an encoder bundle: the encoder's files copied, the head as ONNX, the term statistics, the manifest last.
 * @returns the manifest
 */
export function writeEncoderBundle(options: {
  readonly encoder: OpenEncoder;
  readonly head: GradeHeadParams;
  readonly lexical: TermStatistics | null;
  readonly blocks: readonly EmbeddingBlock[];
  readonly dim: number;
  readonly grades: readonly string[];
  readonly decisions: EncoderBundleDecisions;
  readonly outDir: string;
}): EncoderBundleManifest {
  const { encoder, head, lexical, blocks, dim, outDir } = options;
  mkdirSync(outDir, { recursive: true });
  const copy = (file: string) => put(outDir, file, readFileSync(join(encoder.folder, file)));
  const lexicalCols =
    lexical === null ? 0 : head.inputs - blocks.reduce((w, b) => w + (b === 'cosine' ? 1 : dim), 0);
  const manifest: EncoderBundleManifest = {
    format: ENCODER_BUNDLE_FORMAT,
    version: 1,
    grades: options.grades,
    backbone: {
      kind: 'encoder',
      name: encoder.name,
      model: copy('model.onnx'),
      tokenizer: { ...copy('tokenizer.json'), vocabSize: encoder.vocabSize },
      config: existsSync(join(encoder.folder, 'config.json')) ? copy('config.json') : null,
      output: encoder.output,
      dim,
      maxLength: encoder.maxLength,
    },
    head: {
      ...put(outDir, 'head.onnx', encoderHeadOnnx(head, { dim, blocks, lexical: lexicalCols })),
      blocks,
      lexical: lexicalCols,
      hidden: head.hidden,
      termStatistics:
        lexical === null ? null : put(outDir, 'term-statistics.json', JSON.stringify(lexical)),
    },
    decision: options.decisions.decision,
    ood: options.decisions.ood,
  };
  // Compact: the KNN states hold their banks (thousands of rows of embeddings).
  writeFileAtomic(join(outDir, 'manifest.json'), `${JSON.stringify(manifest)}\n`);
  return manifest;
}

/** What to do about an encoder bundle's missing or changed file. */
const EXPORT_AGAIN = 'export the bundle again (gradeshift encoder)';

/**
 * Reads the manifest and checks every file's sha256.
 * @throws BundleError `NOT_A_BUNDLE` without manifest.json, `MISSING_FILE`, `CHECKSUM_MISMATCH`
 */
function readChecked(dir: string): EncoderBundleManifest {
  const path = join(dir, 'manifest.json');
  if (!existsSync(path))
    throw new BundleError(
      'NOT_A_BUNDLE',
      { path: dir, reason: 'has no manifest.json: not an encoder bundle' },
      { hint: 'pass the folder gradeshift encoder wrote (writeEncoderBundle writes one)' },
    );
  const manifest = parseEncoderBundleManifest(JSON.parse(readFileSync(path, 'utf8')), path);
  for (const entry of encoderBundleFiles(manifest)) {
    const file = join(dir, entry.file);
    if (!existsSync(file))
      throw new BundleError(
        'MISSING_FILE',
        { path: file, reason: 'the file is missing (the bundle is incomplete)' },
        { hint: EXPORT_AGAIN },
      );
    const actual = sha256Hex(readFileSync(file));
    if (actual !== entry.sha256)
      throw new BundleError(
        'CHECKSUM_MISMATCH',
        {
          path: file,
          reason: `sha256 ${actual} differs from the manifest's ${entry.sha256}: the file changed after export`,
        },
        { hint: EXPORT_AGAIN },
      );
  }
  return manifest;
}

/** An opened encoder bundle: its backbone, manifest, decision rule and restored OOD detectors. */
export interface OpenEncoderBundle extends Backbone {
  readonly manifest: EncoderBundleManifest;
  readonly decisions: ReturnType<typeof loadEncoderBundleDecisions>;
  /** Scores pairs: the head's logits, `relevance` (its hidden layer) and `content` ([q, d]). */
  score(
    pairs: readonly BackbonePair[],
    options?: BackboneScoreOptions,
  ): Promise<EncoderBundleScores>;
}

/**
 * Opens an encoder bundle as a {@link Backbone} (the head runs as its ONNX graph).
 * @throws BundleError for a missing manifest or file or a changed file; Error naming the file and what to do: a bad decision rule or detector
 *   state, a model without the declared output, a tokenizer larger than the model's vocabulary; CoreError for a
 *   tokenizer without its special tokens
 */
export async function openEncoderBundle(
  dir: string,
  options: {
    readonly cacheDir: string | null;
    readonly threads?: number;
    /** The detectors' matrix products (e.g. onnxruntime's). @default core's TypeScript gemm */
    readonly gemm?: Gemm;
  },
): Promise<OpenEncoderBundle> {
  const root = resolve(dir);
  const manifest = readChecked(root);
  const decisions = loadEncoderBundleDecisions(
    manifest,
    join(root, 'manifest.json'),
    options.gemm === undefined ? undefined : { gemm: options.gemm },
  );
  const { backbone, head } = manifest;
  const encoder = await openEncoder(root, { ...options, maxLength: backbone.maxLength });
  if (!encoder.outputs.includes(backbone.output) || encoder.output !== backbone.output) {
    await encoder.dispose();
    throw new Error(
      `${join(root, backbone.model.file)} has outputs [${encoder.outputs.join(', ')}] but the manifest declares ${backbone.output}${encoder.outputs.includes(backbone.output) ? ' beside sentence_embedding, which the encoder reads first' : ''}: export the model with that output (npm run models:minilm writes sentence_embedding and last_hidden_state)`,
    );
  }
  // Read before the head's session exists; on any failure from here the sessions already open are released
  // (in a scoring thread they would otherwise stay for the thread's life, ~90 MB per failed reload for MiniLM).
  let lexical: ReturnType<typeof termStatisticsFromJson> | null;
  let session: Awaited<ReturnType<ReturnType<typeof createNodeBackend>['createSessionFromFile']>>;
  try {
    lexical =
      head.termStatistics === null
        ? null
        : termStatisticsFromJson(
            JSON.parse(readFileSync(join(root, head.termStatistics.file), 'utf8')),
          );
    session = await createNodeBackend({
      intraOpNumThreads: options.threads ?? 1,
    }).createSessionFromFile(join(root, head.file));
  } catch (error) {
    await encoder.dispose();
    throw error;
  }
  return {
    kind: 'encoder',
    name: `encoder:${backbone.name}`,
    manifest,
    decisions,
    score: (pairs, opts: BackboneScoreOptions = {}) =>
      scoreEncoderBundleHead(pairs, {
        manifest,
        embed: (texts) => encoder.embed(texts, opts),
        head: session,
        termStatistics: lexical,
      }),
    async dispose() {
      await session.dispose();
      await encoder.dispose();
    },
  };
}
