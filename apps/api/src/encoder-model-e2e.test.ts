/**
 * An encoder bundle served by a real server on loopback: the tiny BERT-shaped bundle (`writeTinyEncoderBundle`:
 * fixture encoder, committed WordPiece tokenizer, head.onnx, decision rule and seven OOD scores) as the default
 * model beside a word-vector bundle. `score`, `rank`, `/v2/rerank`, `/v1/rerank` and `/rerank` must give
 * `gradeshift score --model <bundle>`'s figures (`scoreEncoderBundlePairs`) within 1e-6 (the API's six decimals),
 * the same decided grades, ranks, OOD flags and rule, in scoring threads and on the HTTP thread alike; `models.list`
 * names the kind and the manifest's sha256; a reload swaps in another encoder bundle, a changed head.onnx is
 * refused with the old model kept, and an evaluate job on the encoder model is refused with what to do instead.
 */
import { appendFileSync, cpSync, existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { scoreEncoderBundlePairs, type ScoredPairs } from '@gradeshift/pipeline';
import { writeTinyEncoderBundle } from '@gradeshift/pipeline/testing';
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
  return scoreEncoderBundlePairs(bundle, CLI_PAIRS);
}

/** The tiny encoder bundle under `<dir>/bundle`, its rule, and its manifest.json's sha256. */
async function tinyBundle(dir: string, seed?: number) {
  const { dir: bundle, manifest } = await writeTinyEncoderBundle(
    dir,
    seed === undefined ? {} : { seed },
  );
  return {
    bundle,
    sha256: manifestSha256(bundle),
    decision: manifest.decision ?? { kind: 'argmax' },
  };
}

describe.each([
  ['scoring threads', '2'],
  ['the HTTP thread', '0'],
])('an encoder bundle served on %s', (_, threads) => {
  const suite = servedBundleSuite({
    prefix: 'gradeshift-api-encoder-',
    write: (dir) => tinyBundle(dir),
    cli: scoreEncoderBundlePairs,
    threads,
    models: (bundle) => `enc=${bundle},words=models/default`,
  });

  it('lists the encoder model with its kind, manifest sha256 and OOD scores', async () => {
    const { server, tiny, cli } = suite;
    const models = await server.client().models.list.query();
    const enc = models.find((m) => m.id === 'enc')!;
    expect(enc).toMatchObject({
      kind: 'encoder',
      isDefault: true,
      version: 1,
      sha256: tiny.sha256,
      encoder: { name: expect.any(String) as string, dim: 8 },
      createdAt: null,
      training: null,
    });
    expect(enc.bytes).toBeGreaterThan(readFileSync(join(tiny.bundle, 'model.onnx')).byteLength);
    expect(enc.grades.map((g) => g.name)).toEqual([...cli.grades]);
    expect(enc.ood.map((o) => o.name).sort()).toEqual([...cli.ood.keys()].sort());
    expect(models.find((m) => m.id === 'words')?.kind).toBe('scorer');
  });

  it("score and rank give gradeshift score's figures", async () => {
    const scored = await expectScoreAndRankAsCli(
      suite.server,
      { id: 'enc', ...suite.tiny },
      suite.cli,
    );
    // The far items carry the content KNN's flag, the query itself does not: the flags carry signal.
    expect(scored.items.slice(3, 6).every((row) => row.ood['content_knn']?.ood)).toBe(true);
    expect(scored.items[7]!.ood['content_knn']?.ood).toBe(false);
  });

  it('the rerank endpoints rank and score as gradeshift score', async () => {
    await expectRerankAsCli(suite.server, { id: 'enc', sha256: suite.tiny.sha256 }, suite.cli);
  });

  it('refuses an evaluate job on the encoder model, saying what to do', async () => {
    const error = await rejection(
      suite.server.client({ token: TOKEN }).evaluate.mutate({
        dataset: { pairs: [{ query: QUERY, item: 'drill bit', grade: 1 }] },
        name: 'encoder',
        model: 'enc',
      }),
    );
    expect(error.data?.httpStatus).toBe(400);
    expect(error.message).toMatch(
      /model enc is an encoder bundle: evaluate jobs run with a word-vector/,
    );
  });
});

/**
 * A real encoder bundle when one is there (`gradeshift encoder --preset homedepot --model models/minilm --out
 * runs/minilm`; or GRADESHIFT_E2E_ENCODER_BUNDLE): all-MiniLM-L6-v2 with its head, rule and
 * seven OOD scores, served by real scoring threads, gives `gradeshift score`'s figures too.
 */
const REAL_BUNDLE = resolve(
  process.env['GRADESHIFT_E2E_ENCODER_BUNDLE'] ??
    join(import.meta.dirname, '..', '..', '..', 'runs', 'minilm', 'bundle'),
);
const HAS_REAL = existsSync(join(REAL_BUNDLE, 'manifest.json'));

// Without it the suite is reported skipped (the test setup refuses console output, so no message here).
describe.skipIf(!HAS_REAL)(
  'a real encoder bundle (MiniLM, from gradeshift encoder … --out runs/minilm) served in scoring threads',
  () => {
    const suite = servedBundleSuite({
      prefix: 'gradeshift-api-real-encoder-',
      write: () => {
        const manifest = JSON.parse(readFileSync(join(REAL_BUNDLE, 'manifest.json'), 'utf8')) as {
          decision?: Parameters<typeof expectScoreAndRankAsCli>[1]['decision'];
        };
        return Promise.resolve({
          bundle: REAL_BUNDLE,
          sha256: manifestSha256(REAL_BUNDLE),
          decision: manifest.decision ?? { kind: 'argmax' },
        });
      },
      cli: scoreEncoderBundlePairs,
      threads: '2',
      models: (bundle) => `minilm=${bundle}`,
    });

    it("score, rank and the rerank endpoints give gradeshift score's figures", async () => {
      const scored = await expectScoreAndRankAsCli(
        suite.server,
        { id: 'minilm', ...suite.tiny },
        suite.cli,
      );
      expect(Object.keys(scored.items[0]!.ood).sort()).toEqual([...suite.cli.ood.keys()].sort());
      await expectRerankAsCli(suite.server, { id: 'minilm', sha256: suite.tiny.sha256 }, suite.cli);
    }, 120_000);
  },
);

describe('reloading an encoder model', () => {
  const suite = servedBundleSuite({
    prefix: 'gradeshift-api-encoder-reload-',
    write: (dir) => tinyBundle(dir),
    cli: scoreEncoderBundlePairs,
    threads: '2',
    models: (bundle) => `words=models/default,enc=${bundle}`,
  });

  it('swaps in another encoder bundle, then refuses a changed head.onnx and keeps it', async () => {
    const { server, tiny: first } = suite;
    const client = server.client({ token: TOKEN });
    const next = await tinyBundle(join(server.dirs.models, 'next'), 7);
    expect(next.sha256).not.toBe(first.sha256);
    const reloaded = await client.models.reload.mutate({ id: 'enc', path: 'next/bundle' });
    expect(reloaded).toMatchObject({
      previousVersion: 1,
      model: { version: 2, sha256: next.sha256 },
    });
    const scored = await client.score.mutate({ query: QUERY, items: ITEMS, model: 'enc' });
    expect(scored.model).toEqual({ id: 'enc', version: 2, sha256: next.sha256 });
    expectCliFigures(scored, await cliScores(next.bundle), next.decision);

    const broken = join(server.dirs.models, 'broken');
    cpSync(next.bundle, broken, { recursive: true });
    appendFileSync(join(broken, 'head.onnx'), new Uint8Array([0]));
    const before = await client.models.get.query({ id: 'enc' });
    const error = await rejection(client.models.reload.mutate({ id: 'enc', path: 'broken' }));
    expect(error.data?.httpStatus).toBe(422);
    expect(error.message).toMatch(
      /CHECKSUM_MISMATCH: .*broken.*head\.onnx: sha256 [0-9a-f]{64} differs from the manifest's [0-9a-f]{64}/,
    );
    expect(await client.models.get.query({ id: 'enc' })).toEqual(before);
    const after = await client.score.mutate({ query: QUERY, items: ITEMS, model: 'enc' });
    expect({ ...after, timing: null }).toEqual({ ...scored, timing: null });

    // A scorer bundle reloads in place of an encoder bundle too (the id serves whatever folder it is given).
    const words = await client.models.reload.mutate({ id: 'enc', path: 'default' });
    expect(words.model.kind).toBe('scorer');
  });
});
