import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { ScorePairsOptions } from '@gradeshift/core';
import { loadBundleScorer } from '@gradeshift/pipeline';

import { testItem } from './testing/create-test-bundle';
import { postJson, startTestServer, type TestServer } from './testing/test-server';

const TOKEN = 'resilience-token-0123456789';
const PROCEDURES = [
  'score',
  'rank',
  'models.get',
  'models.reload',
  'runs.get',
  'runs.predictions',
  'runs.scores',
  'runs.compare',
  'evaluate',
  'select',
  'jobs.get',
  'jobs.export',
];

/** Inputs near the real shapes, with every field liable to be the wrong type, empty, huge or missing. */
const text = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme', maxLength: 50 }),
  fc.constant(''),
  fc.constant('../../etc/passwd'),
);
const anything = fc.oneof(fc.anything(), text, fc.integer(), fc.double(), fc.constant(null));
const item = fc.record(
  { id: fc.oneof(text, anything), text: fc.oneof(text, anything) },
  { requiredKeys: [] },
);
const scoreLike = fc.record(
  {
    query: fc.oneof(text, anything),
    items: fc.oneof(fc.array(item, { maxLength: 30 }), anything),
    model: fc.oneof(text, anything),
    topN: fc.oneof(fc.integer(), anything),
    id: fc.oneof(text, anything),
    path: fc.oneof(text, anything),
    dataset: anything,
    pool: anything,
    budget: fc.oneof(fc.integer(), anything),
    limit: fc.oneof(fc.integer(), anything),
    sort: anything,
  },
  { requiredKeys: [] },
);

describe('resilience', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { GRADESHIFT_API_TOKEN: TOKEN } });
  });
  afterAll(() => server.close());

  it('answers fuzzed input with 2xx or 4xx, never 5xx, and stays up', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...PROCEDURES),
        fc.oneof(scoreLike, anything),
        fc.boolean(),
        async (procedure, input, withToken) => {
          const res = await postJson(
            `${server.url}/trpc/${procedure}`,
            input === undefined ? '' : JSON.stringify(input),
            withToken ? { authorization: `Bearer ${TOKEN}` } : {},
          );
          expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBeLessThan(500);
        },
      ),
      { numRuns: 200, seed: 42 },
    );
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 200 }), async (raw) => {
        const res = await postJson(`${server.url}/trpc/score`, raw);
        expect(res.status).toBeLessThan(500);
      }),
      { numRuns: 100, seed: 7 },
    );
    // Texts of every kind score: the model never sees a 5xx-worthy string.
    await fc.assert(
      fc.asyncProperty(
        fc
          .string({ unit: 'grapheme', minLength: 1, maxLength: 100 })
          .filter((s) => s.trim().length > 0),
        fc.array(fc.string({ unit: 'binary', maxLength: 200 }), { minLength: 1, maxLength: 20 }),
        async (query, texts) => {
          const res = await postJson(`${server.url}/trpc/score`, {
            query,
            items: texts.map((t, i) => ({ id: String(i), text: t })),
          });
          expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBe(200);
        },
      ),
      { numRuns: 50, seed: 3 },
    );
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect(server.api.services.registry.activeLeases()).toBe(0);
  });

  it('refuses invalid job input with a 4xx naming the field, before any job starts', async () => {
    const data = server.dirs.data;
    mkdirSync(join(data, 'a-folder.csv'));
    writeFileSync(join(data, 'nul.csv'), Buffer.alloc(4 << 20));
    writeFileSync(join(data, 'one-line.csv'), 'q'.repeat(3 << 20));
    writeFileSync(
      join(data, 'wide.csv'),
      `${Array.from({ length: 20_000 }, (_, i) => i).join(',')}\n`,
    );
    writeFileSync(join(data, 'latin1.csv'), Buffer.from('id,qu\xe9ry,title,label\n', 'latin1'));
    writeFileSync(join(data, 'long.jsonl'), `{"q":"${'z'.repeat(2 << 20)}"}\n`);
    const file = (path: string) => ({
      path,
      columns: { id: 'id', query: 'query', item: 'title', label: 'label' },
      grades: { kind: 'values', grades: [['0'], ['1'], ['2']] },
    });
    const pairs = [{ query: 'angle bracket', item: testItem(1), grade: 0 }];
    const cases: [string, string, unknown, RegExp][] = [
      ['evaluate', 'resamples 0', { dataset: { pairs }, resamples: 0 }, /resamples/],
      ['evaluate', 'resamples 1', { dataset: { pairs }, resamples: 1 }, /resamples/],
      [
        'evaluate',
        'grade 5',
        { dataset: { pairs: [{ ...pairs[0], grade: 5 }] } },
        /dataset\.pairs\.0\.grade/,
      ],
      [
        'evaluate',
        'grade "nope"',
        { dataset: { pairs: [{ ...pairs[0], grade: 'nope' }] } },
        /dataset\.pairs\.0\.grade/,
      ],
      [
        'evaluate',
        'missing column',
        {
          dataset: {
            ...file('judged.csv'),
            columns: { query: 'query', item: 'title', label: 'nope' },
          },
        },
        /judged\.csv:1: columns\.label/,
      ],
      [
        'evaluate',
        'a folder',
        { dataset: file('a-folder.csv') },
        /a-folder\.csv: not a regular file/,
      ],
      [
        'evaluate',
        'NUL bytes',
        { dataset: file('nul.csv') },
        /nul\.csv:1: the record holds a NUL byte/,
      ],
      [
        'evaluate',
        'a 3 MB line',
        { dataset: file('one-line.csv') },
        /one-line\.csv:1: the record is longer than 1048576/,
      ],
      [
        'evaluate',
        '20,000 columns',
        { dataset: file('wide.csv') },
        /wide\.csv:1: the record has more than 10000 fields/,
      ],
      [
        'evaluate',
        'invalid UTF-8',
        { dataset: file('latin1.csv') },
        /latin1\.csv:1: .*columns\.query/,
      ],
      [
        'evaluate',
        'a 2 MB JSONL line',
        { dataset: { ...file('long.jsonl'), columns: { query: 'q', item: 'q', label: 'q' } } },
        /long\.jsonl:1: the line is longer/,
      ],
      [
        'evaluate',
        'wrong grade count',
        {
          dataset: {
            ...file('judged.csv'),
            grades: { kind: 'values', grades: [['0'], ['1', '2']] },
          },
        },
        /dataset\.grades: the mapping has 2 grades/,
      ],
      [
        'select',
        'unknown detector',
        { pool: { pairs }, budget: 1, detectors: ['nope'] },
        /detectors\.0: "nope"/,
      ],
      [
        'select',
        'missing column',
        { pool: { ...file('judged.csv'), columns: { query: 'nope', item: 'title' } }, budget: 1 },
        /judged\.csv:1: columns\.query/,
      ],
    ];
    const auth = { authorization: `Bearer ${TOKEN}` };
    for (const [procedure, name, input, message] of cases) {
      const res = await postJson(`${server.url}/trpc/${procedure}`, input, auth);
      expect(
        res.status,
        `${name}: ${JSON.stringify(res.body).slice(0, 300)}`,
      ).toBeGreaterThanOrEqual(400);
      expect(res.status, name).toBeLessThan(500);
      expect(res.body.error.message, name).toMatch(message);
      expect(res.body.error.message.length, name).toBeLessThan(1000);
      expect(res.body.error.message, name).not.toContain(server.root);
    }
    const jobs = await postJson(`${server.url}/trpc/jobs.list`, '', auth);
    expect(jobs.body.result.data).toEqual([]);
    expect((await postJson(`${server.url}/trpc/jobs.list`, '')).status).toBe(401);
  });

  it('loses no request while the model is reloaded under load', async () => {
    const client = server.client({ token: TOKEN });
    const items = Array.from({ length: 50 }, (_, i) => ({ id: String(i), text: testItem(i) }));
    let stop = false;
    const versions = new Set<number>();
    let ok = 0;
    const failures: string[] = [];
    const worker = async () => {
      while (!stop) {
        const res = await postJson(`${server.url}/trpc/score`, { query: 'deck paint', items });
        if (res.status === 200) {
          ok += 1;
          versions.add(res.body.result.data.model.version as number);
        } else failures.push(`${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
      }
    };
    const workers = Array.from({ length: 6 }, () => worker());
    for (let i = 0; i < 6; i++) {
      await client.models.reload.mutate({ id: 'default', path: i % 2 === 0 ? 'alt' : 'default' });
      await new Promise((done) => setTimeout(done, 30));
    }
    stop = true;
    await Promise.all(workers);
    expect(failures).toEqual([]);
    expect(ok).toBeGreaterThan(6);
    expect(versions.size).toBeGreaterThan(1);
    expect(server.api.services.registry.activeLeases()).toBe(0);
  });
});

describe('graceful shutdown', () => {
  it('finishes requests in flight, refuses new ones, then stops', async () => {
    // A model that takes its time, so the requests are surely in flight when shutdown starts.
    let release: () => void = () => undefined;
    const gate = new Promise<void>((done) => {
      release = done;
    });
    const server = await startTestServer({
      load: async (dir) => {
        const loaded = await loadBundleScorer(dir);
        const { scorer } = loaded;
        return {
          ...loaded,
          scorer: {
            ...scorer,
            scorePairs: async (query, texts, options?: ScorePairsOptions) => {
              await gate;
              return scorer.scorePairs(query, texts, options);
            },
          },
        };
      },
    });
    const items = Array.from({ length: 50 }, (_, i) => ({ id: String(i), text: testItem(i) }));
    const inFlight = Array.from({ length: 4 }, () =>
      postJson(`${server.url}/trpc/score`, { query: 'deck paint', items }),
    );
    while (server.api.services.registry.activeLeases() < 4)
      await new Promise((done) => setTimeout(done, 5));
    const closing = server.close();
    await new Promise((done) => setTimeout(done, 20));
    expect((await fetch(`${server.url}/healthz`).catch(() => ({ status: 0 }))).status).not.toBe(
      200,
    );
    release();
    const results = await Promise.all(inFlight);
    for (const r of results) expect(r.status).toBe(200);
    await closing;
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
  });
});
