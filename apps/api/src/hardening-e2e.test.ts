/**
 * HTTP hardening over a real server: the Host allow-list without a token (DNS rebinding), `Vary: Origin` kept
 * beside tRPC's own Vary, invalid UTF-8 bodies refused, symbolic links inside a bundle folder refused, and
 * start-up checks that never print the token and refuse a non-loopback address without one.
 */
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { ConfigError, readConfig } from './env';
import { postJson, rejection, startTestServer, type TestServer } from './testing/test-server';

/** A raw request with any Host header (fetch does not let a caller set one). */
function get(url: string, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { host } }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('HTTP hardening', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it('answers loopback Host names only when no token is set', async () => {
    const port = new URL(server.url).port;
    expect((await get(`${server.url}/healthz`, `localhost:${port}`)).status).toBe(200);
    expect((await get(`${server.url}/healthz`, `127.0.0.1:${port}`)).status).toBe(200);
    const rebound = await get(`${server.url}/healthz`, `evil.example:${port}`);
    expect(rebound.status).toBe(403);
    expect(rebound.body).toContain('DNS rebinding');
  });

  it('keeps Vary: Origin beside the Vary tRPC sets', async () => {
    const response = await fetch(`${server.url}/trpc/models.list`, {
      headers: { origin: 'http://localhost:3000' },
    });
    expect(response.status).toBe(200);
    const vary = (response.headers.get('vary') ?? '').split(',').map((v) => v.trim());
    expect(vary).toContain('Origin');
    expect(vary).toContain('trpc-accept');
  });

  it('refuses a body that is not valid UTF-8 with 400', async () => {
    const body = Buffer.concat([
      Buffer.from('{"query":"angle '),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('","items":[{"id":"1","text":"bracket"}]}'),
    ]);
    const response = await fetch(`${server.url}/trpc/score`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('not valid UTF-8');
    const fine = await postJson(`${server.url}/trpc/score`, {
      query: 'angle bräcket',
      items: [{ id: '1', text: 'bracket' }],
    });
    expect(fine.status).toBe(200);
  });

  it('refuses a bundle folder holding a symbolic link that leads out, naming it', async () => {
    const dir = join(server.dirs.models, 'linked');
    mkdirSync(dir);
    writeFileSync(
      join(server.root, 'outside.onnx'),
      readFileSync(join(server.dirs.models, 'default', 'model.onnx')),
    );
    symlinkSync(join(server.root, 'outside.onnx'), join(dir, 'model.onnx'));
    writeFileSync(
      join(dir, 'manifest.json'),
      readFileSync(join(server.dirs.models, 'default', 'manifest.json')),
    );
    const error = await rejection(
      server.client().models.reload.mutate({ id: 'alt', path: 'linked' }),
    );
    expect(error.data?.httpStatus).toBe(403);
    expect(error.message).toContain('model.onnx, a symbolic link leading outside');
    expect(error.message).not.toContain(server.root);
  });

  it('names the missing file of an incomplete bundle', async () => {
    const dir = join(server.dirs.models, 'incomplete');
    mkdirSync(dir);
    writeFileSync(
      join(dir, 'manifest.json'),
      readFileSync(join(server.dirs.models, 'default', 'manifest.json')),
    );
    const error = await rejection(
      server.client().models.reload.mutate({ id: 'alt', path: 'incomplete' }),
    );
    expect(error.message).toMatch(/MISSING_FILE: incomplete\/model\.onnx: is missing/);
  });
});

describe('start-up checks', () => {
  const config = (env: Record<string, string>) => () => readConfig(env, '/srv/repo');

  it('never prints the token it rejects', () => {
    let message = '';
    try {
      config({ GRADESHIFT_API_TOKEN: 'short-secret' })();
    } catch (error) {
      if (error instanceof ConfigError) message = error.message;
    }
    expect(message).toContain('GRADESHIFT_API_TOKEN=(12 characters, not shown)');
    expect(message).not.toContain('short-secret');
  });

  it('refuses a non-loopback address without a token', () => {
    expect(config({ HOST: '0.0.0.0' })).toThrow(
      /HOST="0\.0\.0\.0": listening beyond loopback needs GRADESHIFT_API_TOKEN/,
    );
    expect(config({ HOST: '0.0.0.0', GRADESHIFT_API_TOKEN: 'x'.repeat(16) })().host).toBe(
      '0.0.0.0',
    );
    expect(config({ HOST: '127.0.0.1' })().host).toBe('127.0.0.1');
  });
});
