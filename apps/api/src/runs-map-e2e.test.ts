import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import {
  samplePipelineReport,
  sampleShiftMap,
  writeSampleRunFolder,
} from '@gradeshift/pipeline/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { rejection, startTestServer, type TestServer } from './testing/test-server';

/** A pipeline run folder holding report.json (naming `map`) and the given files, recorded in the run store. */
function addRun(
  server: TestServer,
  name: string,
  options: { map?: string | null; files?: Record<string, string> },
): string {
  const outDir = join(server.dirs.runs, name);
  mkdirSync(outDir, { recursive: true });
  const { map: _unused, ...old } = samplePipelineReport();
  const report = options.map === undefined ? old : { ...old, map: options.map };
  writeFileSync(join(outDir, 'report.json'), JSON.stringify(report));
  for (const [file, text] of Object.entries(options.files ?? {}))
    writeFileSync(join(outDir, file), text);
  const store = server.api.services.runs.store;
  const run = store.createRun({ name, kind: 'pipeline', outDir, config: {} });
  store.finishRun(run.id, { status: 'succeeded' });
  return run.id;
}

describe('runs.map over a real server', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
    addRun(server, 'mapped', {
      map: 'map.json',
      files: { 'map.json': JSON.stringify(sampleShiftMap()) },
    });
    addRun(server, 'old', {});
    addRun(server, 'missing-file', { map: 'map.json' });
    addRun(server, 'escapes', { map: '../mapped/map.json' });
    addRun(server, 'absolute', { map: join(server.dirs.runs, 'mapped', 'map.json') });
    addRun(server, 'broken', {
      map: 'map.json',
      files: { 'map.json': JSON.stringify({ ...sampleShiftMap(), x: [1] }) },
    });
    const sample = join(server.dirs.runs, 'sample');
    writeSampleRunFolder(sample);
    const store = server.api.services.runs.store;
    const run = store.createRun({ name: 'sample', kind: 'pipeline', outDir: sample, config: {} });
    store.finishRun(run.id, { status: 'succeeded' });
    const unmapped = join(server.dirs.runs, 'unmapped');
    writeSampleRunFolder(unmapped, { map: false });
    const other = store.createRun({
      name: 'unmapped',
      kind: 'pipeline',
      outDir: unmapped,
      config: {},
    });
    store.finishRun(other.id, { status: 'succeeded' });
    // A link inside the run folder to another run's map.
    addRun(server, 'link-out', { map: 'elsewhere.json' });
    symlinkSync(
      join(server.dirs.runs, 'mapped', 'map.json'),
      join(server.dirs.runs, 'link-out', 'elsewhere.json'),
    );
  });
  afterAll(() => server.close());

  it("returns a run's map.json, by name or id, through the contract", async () => {
    const client = server.client();
    const map = await client.runs.map.query({ id: 'mapped' });
    expect(map).toEqual(sampleShiftMap());
    const id = (await client.runs.get.query({ id: 'mapped' })).run.id;
    expect(await client.runs.map.query({ id })).toEqual(map);
  });

  it('answers 404 for a run without a map (old report, missing file, unknown run)', async () => {
    const client = server.client();
    for (const id of ['old', 'missing-file', 'no-such-run']) {
      const { message, data } = await rejection(client.runs.map.query({ id }));
      expect(data?.httpStatus, id).toBe(404);
      expect(message).not.toContain(server.root);
    }
    expect((await rejection(client.runs.map.query({ id: 'old' }))).message).toMatch(/has no map/);
  });

  it('keeps the map inside the run folder: no `..`, no absolute path, no link out', async () => {
    const client = server.client();
    expect((await rejection(client.runs.map.query({ id: 'escapes' }))).data?.httpStatus).toBe(403);
    expect((await rejection(client.runs.map.query({ id: 'absolute' }))).data?.httpStatus).toBe(400);
    const linked = await rejection(client.runs.map.query({ id: 'link-out' }));
    expect(linked.data?.httpStatus).toBe(403);
    expect(linked.message).toMatch(/symbolic link/);
  });

  it('answers 422 naming the field when map.json breaks the contract', async () => {
    const { message, data } = await rejection(server.client().runs.map.query({ id: 'broken' }));
    expect(data?.httpStatus).toBe(422);
    expect(message).toMatch(/x has 1 entries, ids has 6/);
  });

  it('filters predictions to the pairs whose map point lies in a rectangle (bounds inclusive)', async () => {
    const client = server.client();
    const all = await client.runs.predictions.query({ id: 'sample', limit: 100 });
    expect(all.total).toBe(9);
    const region = { x: [0.4, 2] as [number, number], y: [-1, 1.1] as [number, number] };
    const page = await client.runs.predictions.query({ id: 'sample', region, limit: 100 });
    // Near points 3 and 4 (ood_test), the far point far:5 (far_test); the pool point far:6 lies above.
    expect(page.rows.map((r) => `${r.split}:${r.id}`)).toEqual([
      'ood_test:3',
      'ood_test:4',
      'far_test:far:5',
    ]);
    expect(page.total).toBe(3);
    const narrowed = await client.runs.predictions.query({
      id: 'sample',
      region,
      split: 'far_test',
    });
    expect(narrowed.rows.map((r) => r.id)).toEqual(['far:5']);
    const empty = await client.runs.predictions.query({
      id: 'sample',
      region: { x: [10, 11], y: [10, 11] },
    });
    expect(empty.total).toBe(0);
    const reversed = await rejection(
      client.runs.predictions.query({ id: 'sample', region: { x: [1, 0], y: [0, 1] } }),
    );
    expect(reversed.data?.httpStatus).toBe(400);
    const unmapped = await rejection(
      client.runs.predictions.query({ id: 'unmapped', region: { x: [0, 1], y: [0, 1] } }),
    );
    expect(unmapped.data?.httpStatus).toBe(404);
    expect(unmapped.message).toMatch(/has no map/);
  });
});
