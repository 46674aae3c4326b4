/**
 * vitest global setup: with `GRADESHIFT_TEST_STORE=postgres` (`npm run test:postgres`), a throwaway PostgreSQL
 * cluster for the run, named to every API the tests start by `GRADESHIFT_STORE`, stopped at the end. Without it,
 * nothing.
 */
import { postgresGlobalSetup } from '@gradeshift/pipeline/testing';

export default postgresGlobalSetup('GRADESHIFT_STORE');
