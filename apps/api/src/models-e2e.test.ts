import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { writeTestBundle } from './testing/create-test-bundle';
import { postJson, rejection, startTestServer, type TestServer } from './testing/test-server';

const TOKEN = 'test-token-0123456789abcdef';

describe('models over a real server', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { GRADESHIFT_API_TOKEN: TOKEN } });
  });
  afterAll(() => server.close());

  it('lists and describes the served models', async () => {
    const client = server.client();
    const models = await client.models.list.query();
    expect(models.map((m) => [m.id, m.isDefault, m.version])).toEqual([
      ['default', true, 1],
      ['alt', false, 1],
    ]);
    const one = await client.models.get.query({ id: 'alt' });
    expect(one.path).toBe('alt');
    expect(one.ood.map((o) => o.name).sort()).toEqual(['energy', 'knn', 'mahalanobis']);
    expect(one.grades.map((g) => g.name)).toEqual(['irrelevant', 'weak', 'strong']);
    await expect(client.models.get.query({ id: 'nope' })).rejects.toMatchObject({
      data: { httpStatus: 404 },
    });
  });

  it('needs the bearer token to reload, and reloads to a new version', async () => {
    const anonymous = await postJson(`${server.url}/trpc/models.reload`, { id: 'default' });
    expect(anonymous.status).toBe(401);
    const wrong = await postJson(
      `${server.url}/trpc/models.reload`,
      { id: 'default' },
      { authorization: 'Bearer wrong-token-0123456789ab' },
    );
    expect(wrong.status).toBe(401);
    const client = server.client({ token: TOKEN });
    const reloaded = await client.models.reload.mutate({ id: 'default' });
    expect(reloaded.previousVersion).toBe(1);
    expect(reloaded.model.version).toBe(2);
    // Reads stay open without a token.
    expect((await server.client().models.get.query({ id: 'default' })).version).toBe(2);
  });

  it('swaps in another bundle from the models folder', async () => {
    const client = server.client({ token: TOKEN });
    await writeTestBundle({ dir: join(server.dirs.models, 'next'), seed: 9 });
    const before = await client.score.mutate({
      query: 'deck',
      items: [{ id: 'a', text: 'deck paint' }],
    });
    const reloaded = await client.models.reload.mutate({ id: 'default', path: 'next' });
    const after = await client.score.mutate({
      query: 'deck',
      items: [{ id: 'a', text: 'deck paint' }],
    });
    expect(after.model.version).toBe(reloaded.model.version);
    expect(after.model.sha256).not.toBe(before.model.sha256);
    expect(reloaded.model.path).toBe('next');
  });

  it('refuses a broken bundle and keeps serving the old model', async () => {
    const client = server.client({ token: TOKEN });
    const broken = join(server.dirs.models, 'broken');
    cpSync(join(server.dirs.models, 'alt'), broken, { recursive: true });
    writeFileSync(join(broken, 'model.onnx'), 'not a model');
    const before = await client.models.get.query({ id: 'alt' });
    const error = await rejection(client.models.reload.mutate({ id: 'alt', path: 'broken' }));
    expect(error.data?.httpStatus).toBe(422);
    expect(error.message).toContain('CHECKSUM_MISMATCH');
    const after = await client.models.get.query({ id: 'alt' });
    expect(after).toEqual(before);
    const scored = await client.score.mutate({
      query: 'deck',
      items: [{ id: 'a', text: 'x' }],
      model: 'alt',
    });
    expect(scored.model.version).toBe(before.version);
  });

  it('confines reload paths to the models folder', async () => {
    const client = server.client({ token: TOKEN });
    const outside = await rejection(client.models.reload.mutate({ id: 'alt', path: '../data' }));
    expect(outside.data?.httpStatus).toBe(403);
    const absolute = await rejection(client.models.reload.mutate({ id: 'alt', path: '/etc' }));
    expect(absolute.data?.httpStatus).toBe(400);
    const missing = await rejection(
      client.models.reload.mutate({ id: 'alt', path: 'nothing-here' }),
    );
    expect(missing.data?.httpStatus).toBe(404);
  });
});
