/**
 * Opening the PostgreSQL run store on a real server (a throwaway cluster; skipped without Debian's postgresql): once
 * the schema is complete, an open runs no DDL, so it neither waits behind a long reader of `runs` (a `pg_dump`) nor
 * needs to own the tables.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { openRunStoreBackend } from './open-run-store-backend';
import { postgresBinDir, startPostgresCluster, type PostgresCluster } from './postgres-cluster';

describe.skipIf(postgresBinDir() === undefined)('opening the PostgreSQL run store', () => {
  let cluster: PostgresCluster;
  let admin: pg.Client;
  beforeAll(async () => {
    cluster = await startPostgresCluster();
    admin = new pg.Client({ connectionString: cluster.url });
    await admin.connect();
    await (await openRunStoreBackend(cluster.url)).close(); // creates the schema
  }, 60_000);
  afterAll(async () => {
    await admin?.end();
    cluster?.stop();
  });

  it('does not wait behind a long reader of runs', async () => {
    const reader = new pg.Client({ connectionString: cluster.url });
    await reader.connect();
    try {
      // A transaction that has read runs holds its ACCESS SHARE lock until it ends, as pg_dump's does.
      await reader.query('BEGIN');
      await reader.query('SELECT count(*) FROM runs');
      const started = Date.now();
      const store = await openRunStoreBackend(cluster.url);
      expect(Date.now() - started).toBeLessThan(5000);
      expect(await store.listRuns({ limit: 1 })).toEqual(expect.any(Array));
      await store.close();
    } finally {
      await reader.query('ROLLBACK');
      await reader.end();
    }
  }, 30_000);

  it('opens for a role that may write the rows but does not own the tables', async () => {
    await admin.query('CREATE ROLE writer LOGIN');
    await admin.query(
      'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO writer',
    );
    await admin.query('GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO writer');
    const url = cluster.url.replace('postgres@', 'writer@');
    const store = await openRunStoreBackend(url);
    expect(store.kind).toBe('postgres');
    await store.close();
  }, 30_000);
});
