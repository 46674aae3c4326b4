/**
 * vitest global setup: with `GRADESHIFT_TEST_STORE=postgres`, one throwaway PostgreSQL cluster for the run (its URL
 * in `GRADESHIFT_TEST_POSTGRES`, where every test server makes a database of its own), stopped at the end. Without
 * it, nothing.
 * @internal
 */
import { postgresBinDir, startPostgresCluster } from '@gradeshift/pipeline/testing';

export default async function setup(): Promise<(() => void) | undefined> {
  if (process.env['GRADESHIFT_TEST_STORE'] !== 'postgres') return undefined;
  if (postgresBinDir() === undefined)
    throw new Error(
      'GRADESHIFT_TEST_STORE=postgres: PostgreSQL is not installed (no /usr/lib/postgresql/*/bin; apt-get install postgresql)',
    );
  const cluster = await startPostgresCluster();
  process.env['GRADESHIFT_TEST_POSTGRES'] = cluster.url;
  return () => cluster.stop();
}
