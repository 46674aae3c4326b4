/**
 * vitest global setup: with `GRADESHIFT_TEST_STORE=postgres` (`npm run test:postgres`), a throwaway PostgreSQL
 * cluster for the run, named to every API the tests start by `GRADESHIFT_STORE`, stopped at the end. Without it,
 * nothing.
 */
import { postgresBinDir, startPostgresCluster } from '@gradeshift/pipeline/testing';

export default async function setup(): Promise<(() => void) | undefined> {
  if (process.env['GRADESHIFT_TEST_STORE'] !== 'postgres') return undefined;
  if (postgresBinDir() === undefined)
    throw new Error(
      'GRADESHIFT_TEST_STORE=postgres: PostgreSQL is not installed (no /usr/lib/postgresql/*/bin; apt-get install postgresql)',
    );
  const cluster = await startPostgresCluster();
  process.env['GRADESHIFT_STORE'] = cluster.url;
  return () => cluster.stop();
}
