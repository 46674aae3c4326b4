import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { RouterOutputs } from './index';
import { postJson, rejection, startTestServer, type TestServer } from './testing/test-server';

type Job = RouterOutputs['jobs']['get'];
type Row = RouterOutputs['runs']['predictions']['rows'][number];

async function waitFor(server: TestServer, id: string): Promise<Job> {
  const client = server.client();
  for (let i = 0; i < 600; i++) {
    const job = await client.jobs.get.query({ id });
    if (job.status !== 'running') return job;
    await new Promise((done) => setTimeout(done, 50));
  }
  throw new Error(`job ${id} did not finish`);
}

/** Every row of a run through `runs.predictions`, in file order. */
async function allRows(server: TestServer, id: string): Promise<Row[]> {
  const client = server.client();
  const rows: Row[] = [];
  let cursor: number | null = 0;
  while (cursor !== null) {
    const page = await client.runs.predictions.query({ id, cursor, limit: 500 });
    rows.push(...page.rows);
    cursor = page.nextCursor;
  }
  return rows;
}

describe('runs.scores over a real server', () => {
  let server: TestServer;
  let evaluated: string;
  let pipelineFile: string;

  beforeAll(async () => {
    server = await startTestServer({ env: { GRADESHIFT_MAX_SCORE_ROWS: '50' } });
    const client = server.client();
    const started = await client.evaluate.mutate({
      dataset: {
        path: 'judged.csv',
        columns: { id: 'id', query: 'query', item: 'title', label: 'label' },
        grades: { kind: 'values', grades: [['0'], ['1'], ['2']] },
      },
      name: 'judged',
      resamples: 20,
    });
    const job = await waitFor(server, started.id);
    if (job.status !== 'succeeded' || job.kind !== 'evaluate' || job.result === null)
      throw new Error(`evaluate failed: ${job.error ?? job.status}`);
    evaluated = job.result.runId;

    // The evaluated rows relabelled as a pipeline run's: ID test, OOD test and an unlabelled pool.
    const detail = await client.runs.get.query({ id: evaluated });
    const source = detail.artifacts.find((a) => a.kind === 'predictions')?.path;
    if (source === undefined) throw new Error('the evaluated run has no predictions artifact');
    const splits = ['id_test', 'ood_test', 'pool'];
    // Answers show paths relative to the runs folder.
    expect(isAbsolute(source)).toBe(false);
    const lines = readFileSync(join(server.dirs.runs, source), 'utf8')
      .trim()
      .split('\n')
      .map((line, i) => {
        const row = JSON.parse(line) as Record<string, unknown>;
        const split = splits[i % 3] ?? 'pool';
        return JSON.stringify({
          ...row,
          split,
          grade: split === 'pool' ? null : row['grade'],
          slice: i % 4 === 0 ? 'paint' : 'tools',
        });
      });
    const outDir = join(server.dirs.runs, 'pipeline-like');
    mkdirSync(outDir, { recursive: true });
    pipelineFile = join(outDir, 'predictions.jsonl');
    writeFileSync(pipelineFile, `${lines.join('\n')}\n`);
    writeFileSync(
      join(outDir, 'report.json'),
      JSON.stringify({ ...detail.report, ood_thresholds: { mahalanobis: 1.5, knn: 0.25 } }),
    );
    const store = server.api.services.runs.store;
    const run = store.createRun({ name: 'pipeline-like', kind: 'pipeline', outDir, config: {} });
    store.putArtifacts(run.id, [{ kind: 'predictions', path: pipelineFile }]);
    store.finishRun(run.id, { status: 'succeeded' });
  });
  afterAll(() => server.close());

  it("returns a run's splits, grades and OOD scores as columns equal to its prediction rows", async () => {
    const client = server.client();
    const rows = await allRows(server, evaluated);
    expect(rows).toHaveLength(80);
    const columns: { split: number[]; grade: (number | null)[]; predicted: number[] } = {
      split: [],
      grade: [],
      predicted: [],
    };
    const scores: Record<string, (number | null)[]> = {};
    let cursor: number | null = 0;
    let pages = 0;
    let detectors: string[] = [];
    while (cursor !== null) {
      const page = await client.runs.scores.query({ id: evaluated, splits: ['external'], cursor });
      pages += 1;
      expect(page.total).toBe(80);
      expect(page.splits).toEqual(['external']);
      detectors = page.detectors;
      columns.split.push(...page.split);
      columns.grade.push(...page.grade);
      columns.predicted.push(...page.predicted);
      for (const name of page.detectors) (scores[name] ??= []).push(...(page.scores[name] ?? []));
      for (const name of page.detectors) expect(page.scores[name]).toHaveLength(page.split.length);
      cursor = page.nextCursor;
    }
    // maxScoreRows is 50 on this server: two pages by default.
    expect(pages).toBe(2);
    expect(detectors.sort()).toEqual(Object.keys(rows[0]?.ood ?? {}).sort());
    expect(columns.split).toEqual(rows.map(() => 0));
    expect(columns.grade).toEqual(rows.map((r) => r.grade));
    expect(columns.predicted).toEqual(rows.map((r) => r.predicted));
    for (const name of detectors) expect(scores[name]).toEqual(rows.map((r) => r.ood[name]));
  });

  it('keeps the requested splits in file order, ID and OOD test by default, with the thresholds', async () => {
    const client = server.client();
    const rows = (await allRows(server, 'pipeline-like')).filter((r) => r.split !== 'pool');
    const first = await client.runs.scores.query({ id: 'pipeline-like' });
    expect(first.splits).toEqual(['id_test', 'ood_test']);
    expect(first.total).toBe(rows.length);
    expect(first.thresholds).toEqual({ mahalanobis: 1.5, knn: 0.25 });
    const rest = await client.runs.scores.query({ id: 'pipeline-like', cursor: 50, limit: 50 });
    expect(rest.nextCursor).toBeNull();
    expect([...first.split, ...rest.split]).toEqual(
      rows.map((r) => (r.split === 'id_test' ? 0 : 1)),
    );
    expect([...(first.scores['knn'] ?? []), ...(rest.scores['knn'] ?? [])]).toEqual(
      rows.map((r) => r.ood['knn']),
    );

    const reversed = await client.runs.scores.query({
      id: 'pipeline-like',
      splits: ['pool', 'ood_test'],
      limit: 5,
    });
    expect(reversed.split.every((s) => s === 0 || s === 1)).toBe(true);
    const pool = await client.runs.scores.query({ id: 'pipeline-like', splits: ['pool'] });
    expect(pool.grade.every((g) => g === null)).toBe(true);
    const none = await client.runs.scores.query({ id: 'pipeline-like', splits: ['nope'] });
    expect(none).toMatchObject({ total: 0, split: [], nextCursor: null });
    const past = await client.runs.scores.query({ id: 'pipeline-like', cursor: 10_000 });
    expect(past).toMatchObject({ total: rows.length, split: [], nextCursor: null });
  });

  it('filters predictions by slice and by pair id', async () => {
    const client = server.client();
    const rows = await allRows(server, 'pipeline-like');
    const paint = await client.runs.predictions.query({
      id: 'pipeline-like',
      slice: 'paint',
      limit: 500,
    });
    expect(paint.total).toBe(rows.filter((r) => r.slice === 'paint').length);
    expect(paint.total).toBeGreaterThan(0);
    expect(paint.total).toBeLessThan(rows.length);
    expect(new Set(paint.rows.map((r) => r.slice))).toEqual(new Set(['paint']));
    const target = rows[7]!;
    const one = await client.runs.predictions.query({
      id: 'pipeline-like',
      split: target.split,
      pairId: target.id,
    });
    expect(one.rows).toEqual([expect.objectContaining({ id: target.id, split: target.split })]);
  });

  it('reads the file again when it changes', async () => {
    const client = server.client();
    const before = await client.runs.scores.query({ id: 'pipeline-like', limit: 1 });
    const lines = readFileSync(pipelineFile, 'utf8').trim().split('\n');
    const row = JSON.parse(lines[0] ?? '{}') as { ood: Record<string, number> };
    row.ood['knn'] = 1234.5;
    lines[0] = JSON.stringify(row);
    writeFileSync(pipelineFile, `${lines.join('\n')}\n`);
    const after = await client.runs.scores.query({ id: 'pipeline-like', limit: 1 });
    expect(before.scores['knn']?.[0]).not.toBe(1234.5);
    expect(after.scores['knn']?.[0]).toBe(1234.5);
  });

  it('refuses bad requests with the status and limit conventions of the other procedures', async () => {
    const client = server.client();
    const tooBig = await rejection(client.runs.scores.query({ id: 'pipeline-like', limit: 51 }));
    expect(tooBig.data?.httpStatus).toBe(400);
    expect(tooBig.data?.limit).toMatchObject({
      name: 'maxScoreRows',
      value: 50,
      env: 'GRADESHIFT_MAX_SCORE_ROWS',
    });
    const repeated = await rejection(
      client.runs.scores.query({ id: 'pipeline-like', splits: ['id_test', 'id_test'] }),
    );
    expect(repeated.data?.httpStatus).toBe(400);
    expect(repeated.data?.issues?.[0]?.message).toContain('repeat');
    const empty = await rejection(client.runs.scores.query({ id: 'pipeline-like', splits: [] }));
    expect(empty.data?.httpStatus).toBe(400);
    const missing = await rejection(client.runs.scores.query({ id: 'no-such-run' }));
    expect(missing.data?.httpStatus).toBe(404);
    // A plain GET, as a service in another language would send it.
    const input = encodeURIComponent(JSON.stringify({ id: 'pipeline-like', limit: 2 }));
    const response = await fetch(`${server.url}/trpc/runs.scores?input=${input}`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { result: { data: { split: number[] } } };
    expect(body.result.data.split).toHaveLength(2);
    const bad = await postJson(`${server.url}/trpc/runs.scores`, {
      id: 'pipeline-like',
      cursor: -1,
    });
    expect(bad.status).toBe(400);
  });
});
