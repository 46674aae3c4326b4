/**
 * A cross-encoder bundle served by a real server on loopback: the tiny BERT-shaped cross-encoder's bundle
 * (`writeTinyCrossEncoderBundle`: fixture model with three logits reordered by id2label, committed WordPiece
 * tokenizer, decision rule and OOD scores fitted on a reference, written by `evaluate --cross-encoder …
 * --bundle-out`) as the default model beside a word-vector bundle. `score`, `rank`, `/v2/rerank`, `/v1/rerank`
 * and `/rerank` must give `gradeshift score --model <bundle>`'s figures (`scoreCrossEncoderBundlePairs`) within
 * 1e-6, the same decided grades, ranks, OOD flags and rule, in scoring threads and on the HTTP thread alike;
 * `models.list` and `models.get` name the kind, the model and the manifest's sha256; evaluate and select jobs on
 * it are refused with what to do instead. A reload swaps in another cross-encoder bundle (one scoring a single
 * relevance score), and a changed model.onnx or a damaged manifest is refused with 422 and the old model kept.
 */
import { appendFileSync, cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { scoreCrossEncoderBundlePairs, type ScoredPairs } from '@gradeshift/pipeline';
import {
  writeTinyCrossEncoderBundle,
  type TinyCrossEncoderOptions,
} from '@gradeshift/pipeline/testing';
import { describe, expect, it } from 'vitest';

import {
  CLI_PAIRS,
  expectCliFigures,
  expectRerankAsCli,
  ITEMS,
  QUERY,
} from './testing/cli-figures';
import {
  expectScoreAndRankAsCli,
  manifestSha256,
  servedBundleSuite,
  TOKEN,
} from './testing/served-bundle-suite';
import { rejection } from './testing/test-server';

/** `gradeshift score --model <bundle>`'s answer for the test pairs. */
function cliScores(bundle: string): Promise<ScoredPairs> {
  return scoreCrossEncoderBundlePairs(bundle, CLI_PAIRS);
}

/** The tiny cross-encoder bundle under `<dir>/bundle`, its manifest and rule, and its manifest.json's sha256. */
async function tinyBundle(dir: string, options: TinyCrossEncoderOptions = {}) {
  const { dir: bundle, manifest } = await writeTinyCrossEncoderBundle(dir, options);
  return { bundle, manifest, sha256: manifestSha256(bundle), decision: manifest.decision };
}

describe.each([
  ['scoring threads', '2'],
  ['the HTTP thread', '0'],
])('a cross-encoder bundle served on %s', (_, threads) => {
  const suite = servedBundleSuite({
    prefix: 'gradeshift-api-cross-encoder-',
    write: (dir) => tinyBundle(dir),
    cli: scoreCrossEncoderBundlePairs,
    threads,
    models: (bundle) => `ce=${bundle},words=models/default`,
  });

  it('lists the cross-encoder model with its kind, model, manifest sha256 and OOD scores', async () => {
    const { server, tiny, cli } = suite;
    const client = server.client();
    const models = await client.models.list.query();
    const ce = models.find((m) => m.id === 'ce')!;
    const { backbone } = tiny.manifest;
    expect(ce).toMatchObject({
      kind: 'cross-encoder',
      isDefault: true,
      version: 1,
      sha256: tiny.sha256,
      encoder: null,
      crossEncoder: {
        name: backbone.name,
        maxLength: backbone.maxLength,
        logits: 3,
        mapping: 'columns',
      },
      createdAt: null,
      training: null,
    });
    expect(ce.bytes).toBeGreaterThan(readFileSync(join(tiny.bundle, 'model.onnx')).byteLength);
    expect(ce.grades.map((g) => g.name)).toEqual([...cli.grades]);
    expect(ce.ood.map((o) => o.name).sort()).toEqual([...cli.ood.keys()].sort());
    expect(cli.ood.size).toBeGreaterThan(0);
    expect(await client.models.get.query({ id: 'ce' })).toEqual(ce);
    expect(models.find((m) => m.id === 'words')).toMatchObject({
      kind: 'scorer',
      crossEncoder: null,
    });
  });

  it("score and rank give gradeshift score's figures", async () => {
    const scored = await expectScoreAndRankAsCli(
      suite.server,
      { id: 'ce', ...suite.tiny },
      suite.cli,
    );
    // The pairs get different answers: the comparison is not of constants.
    expect(new Set(scored.items.map((row) => row.expected)).size).toBeGreaterThan(3);
  });

  it('the rerank endpoints rank and score as gradeshift score', async () => {
    await expectRerankAsCli(suite.server, { id: 'ce', sha256: suite.tiny.sha256 }, suite.cli);
  });

  it('refuses evaluate and select jobs on the cross-encoder model, saying what to do', async () => {
    const client = suite.server.client({ token: TOKEN });
    const evaluate = await rejection(
      client.evaluate.mutate({
        dataset: { pairs: [{ query: QUERY, item: 'drill bit', grade: 1 }] },
        name: 'cross-encoder',
        model: 'ce',
      }),
    );
    expect(evaluate.data?.httpStatus).toBe(400);
    expect(evaluate.message).toMatch(
      /model ce is a cross-encoder bundle: evaluate jobs run with a word-vector scorer bundle .*gradeshift evaluate --cross-encoder/,
    );
    const select = await rejection(
      client.select.mutate({ pool: { pairs: [{ query: QUERY, item: 'drill bit' }] }, budget: 1 }),
    );
    expect(select.data?.httpStatus).toBe(400);
    expect(select.message).toMatch(/model ce is a cross-encoder bundle: select jobs run with/);
  });
});

describe('reloading a cross-encoder model', () => {
  const suite = servedBundleSuite({
    prefix: 'gradeshift-api-cross-encoder-reload-',
    write: (dir) => tinyBundle(dir),
    cli: scoreCrossEncoderBundlePairs,
    threads: '2',
    models: (bundle) => `words=models/default,ce=${bundle}`,
  });

  it('swaps in another cross-encoder bundle, then refuses a changed model.onnx or manifest and keeps it', async () => {
    const { server, tiny: first } = suite;
    const client = server.client({ token: TOKEN });
    const next = await tinyBundle(join(server.dirs.models, 'next'), { head: 1, seed: 7 });
    expect(next.sha256).not.toBe(first.sha256);
    const reloaded = await client.models.reload.mutate({ id: 'ce', path: 'next/bundle' });
    expect(reloaded).toMatchObject({
      previousVersion: 1,
      model: {
        kind: 'cross-encoder',
        version: 2,
        sha256: next.sha256,
        crossEncoder: { logits: 1, mapping: 'single-score' },
      },
    });
    const scored = await client.score.mutate({ query: QUERY, items: ITEMS, model: 'ce' });
    expect(scored.model).toEqual({ id: 'ce', version: 2, sha256: next.sha256 });
    expectCliFigures(scored, await cliScores(next.bundle), next.decision);

    const before = await client.models.get.query({ id: 'ce' });
    const changed = join(server.dirs.models, 'changed');
    cpSync(next.bundle, changed, { recursive: true });
    appendFileSync(join(changed, 'model.onnx'), new Uint8Array([0]));
    const checksum = await rejection(client.models.reload.mutate({ id: 'ce', path: 'changed' }));
    expect(checksum.data?.httpStatus).toBe(422);
    expect(checksum.message).toMatch(
      /CHECKSUM_MISMATCH: .*changed.*model\.onnx: sha256 [0-9a-f]{64} differs from the manifest's [0-9a-f]{64}/,
    );

    const damaged = join(server.dirs.models, 'damaged');
    cpSync(next.bundle, damaged, { recursive: true });
    const manifest = JSON.parse(readFileSync(join(damaged, 'manifest.json'), 'utf8')) as {
      logitMapping: unknown;
    };
    writeFileSync(
      join(damaged, 'manifest.json'),
      JSON.stringify({ ...manifest, logitMapping: { kind: 'softmax' } }),
    );
    const invalid = await rejection(client.models.reload.mutate({ id: 'ce', path: 'damaged' }));
    expect(invalid.data?.httpStatus).toBe(422);
    expect(invalid.message).toMatch(/INVALID_MANIFEST: .*damaged.*manifest\.json.*logitMapping/);

    expect(await client.models.get.query({ id: 'ce' })).toEqual(before);
    const after = await client.score.mutate({ query: QUERY, items: ITEMS, model: 'ce' });
    expect({ ...after, timing: null }).toEqual({ ...scored, timing: null });
  });
});
