/**
 * A fresh PostgreSQL database per test server, on the server that `GRADESHIFT_TEST_POSTGRES` names (set by
 * postgres-global-setup.ts when the tests run with `GRADESHIFT_TEST_STORE=postgres`), so servers of different
 * tests never see each other's runs.
 * @internal
 */
import { randomBytes } from 'node:crypto';

import pg from 'pg';

/** A database made for one test server. @internal */
export interface TestDatabase {
  readonly url: string;
  /** Drops the database. */
  drop(): Promise<void>;
}

async function admin<T>(url: string, sql: string): Promise<T | void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * Creates an empty database on the server of `adminUrl`.
 * @internal
 */
export async function createTestDatabase(adminUrl: string): Promise<TestDatabase> {
  const name = `gs_${randomBytes(6).toString('hex')}`;
  await admin(adminUrl, `CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      await admin(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}
