/**
 * `evaluate` with `predictions` over a real server: outputs of a model that runs elsewhere (JSONL files of the
 * data folder) judged against an ID reference file, as a job whose result is a run with the report's `external`
 * section; paths confined to the data folder, and bad input refused before or during the job.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { RouterOutputs } from './index';
import { rejection, startTestServer, type TestServer } from './testing/test-server';

type Job = RouterOutputs['jobs']['get'];

async function waitFor(server: TestServer, id: string): Promise<Job> {
  const client = server.client();
  for (let i = 0; i < 600; i++) {
    const job = await client.jobs.get.query({ id });
    if (job.status !== 'running') return job;
    await new Promise((done) => setTimeout(done, 50));
  }
  throw new Error(`job ${id} did not finish`);
}

/** `queries` × 4 pairs with logits that favour the true grade and 3-wide embeddings moved by `shift`. */
function lines(prefix: string, queries: number, shift: number): string {
  const out: string[] = [];
  for (let q = 0; q < queries; q++)
    for (let j = 0; j < 4; j++) {
      const grade = (q + j) % 3;
      const logits = [0, 1, 2].map((c) => (c === grade ? 1.5 : 0) + ((q * 7 + j * 3 + c) % 5) / 4);
      const embedding = [((q * 5 + j) % 7) / 7 + shift, ((q + j * 2) % 5) / 5, (j % 3) / 3];
      out.push(
        JSON.stringify({ query: `${prefix} ${q}`, item: `item ${j}`, grade, logits, embedding }),
      );
    }
  return `${out.join('\n')}\n`;
}

describe('evaluate predictions over a real server', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
    writeFileSync(join(server.dirs.data, 'ref.jsonl'), lines('ref', 20, 0));
    writeFileSync(join(server.dirs.data, 'eval.jsonl'), lines('new', 8, -3));
    writeFileSync(
      join(server.dirs.data, 'narrow.jsonl'),
      '{"query":"q","item":"i","grade":0,"logits":[1,2,3],"embedding":[1,2]}\n',
    );
  });
  afterAll(() => server.close());

  it('evaluates a predictions file against its reference as a job whose result is a run', async () => {
    const client = server.client();
    const started = await client.evaluate.mutate({
      predictions: { path: 'eval.jsonl', reference: 'ref.jsonl' },
      name: 'external',
      resamples: 50,
    });
    const job = await waitFor(server, started.id);
    expect(job.status, job.error ?? '').toBe('succeeded');
    if (job.kind !== 'evaluate' || job.result === null) throw new Error('no result');
    expect([job.result.pairs, job.result.queries]).toEqual([32, 8]);
    expect(Object.keys(job.result.ood).sort()).toEqual([
      'energy',
      'knn',
      'mahalanobis',
      'max_logit',
      'msp',
    ]);
    // The evaluated embeddings are moved far from the reference's: the content scores see it.
    expect(job.result.detection?.['mahalanobis']?.auroc).toBeGreaterThan(0.95);
    expect(job.result.ood['knn']?.flagRate).toBeGreaterThan(0.9);

    const run = await client.runs.get.query({ id: 'external' });
    expect(run.run).toMatchObject({ kind: 'evaluate', status: 'succeeded' });
    const report = run.report;
    if (report?.kind !== 'evaluation') throw new Error('expected an evaluation report');
    expect(report.external?.reference_split.fit.queries).toBe(10);
    expect(report.external?.embedding_width).toBe(3);
    const rows = await client.runs.predictions.query({ id: 'external', limit: 100 });
    expect(rows.total).toBe(32);
  });

  it('refuses paths outside the data folder, both inputs at once, and a file unlike its reference', async () => {
    const client = server.client();
    const outside = await rejection(
      client.evaluate.mutate({ predictions: { path: '../eval.jsonl', reference: 'ref.jsonl' } }),
    );
    expect(outside.data?.httpStatus).toBe(403);
    const both = await rejection(
      client.evaluate.mutate({
        predictions: { path: 'eval.jsonl', reference: 'ref.jsonl' },
        dataset: { pairs: [{ query: 'q', item: 'i', grade: 0 }] },
      }),
    );
    expect(both.data?.httpStatus).toBe(400);
    expect(both.message).toContain('give either dataset');

    const started = await client.evaluate.mutate({
      predictions: { path: 'narrow.jsonl', reference: 'ref.jsonl' },
      resamples: 10,
    });
    const job = await waitFor(server, started.id);
    expect(job.status).toBe('failed');
    expect(job.error).toContain(
      'narrow.jsonl:1: the embedding width differs from the reference: 2 numbers here, 3',
    );
  });

  it.skipIf(!existsSync('/usr/bin/python3'))(
    'takes the embeddings as .npy matrices beside the JSONL files, with the same result',
    async () => {
      const dir = server.dirs.data;
      // The same files without `embedding` fields, and their embeddings as float64 .npy written by NumPy 1.24.
      for (const name of ['ref', 'eval']) {
        const rows = readFileSync(join(dir, `${name}.jsonl`), 'utf8')
          .trim()
          .split('\n')
          .map((line) => JSON.parse(line) as { embedding: number[] });
        writeFileSync(
          join(dir, `${name}-bare.jsonl`),
          `${rows.map(({ embedding: _, ...rest }) => JSON.stringify(rest)).join('\n')}\n`,
        );
        execFileSync('/usr/bin/python3', [
          '-c',
          'import json, sys, numpy as np\nnp.save(sys.argv[1], np.array(json.loads(sys.argv[2]), dtype=np.float64))',
          join(dir, `${name}.npy`),
          JSON.stringify(rows.map((r) => r.embedding)),
        ]);
      }
      const client = server.client();
      const started = await client.evaluate.mutate({
        predictions: {
          path: 'eval-bare.jsonl',
          reference: 'ref-bare.jsonl',
          embeddings: 'eval.npy',
          referenceEmbeddings: 'ref.npy',
        },
        name: 'external-npy',
        resamples: 50,
      });
      const job = await waitFor(server, started.id);
      expect(job.status, job.error ?? '').toBe('succeeded');
      const inline = await client.runs.get.query({ id: 'external' });
      const npy = await client.runs.get.query({ id: 'external-npy' });
      if (inline.report?.kind !== 'evaluation' || npy.report?.kind !== 'evaluation')
        throw new Error('expected evaluation reports');
      expect(npy.report.external?.ood_detection).toEqual(inline.report.external?.ood_detection);
      const outside = await rejection(
        client.evaluate.mutate({
          predictions: {
            path: 'eval-bare.jsonl',
            reference: 'ref-bare.jsonl',
            embeddings: '../e.npy',
          },
        }),
      );
      expect(outside.data?.httpStatus).toBe(403);
    },
  );
});
