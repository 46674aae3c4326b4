/**
 * vitest global setup: with `GRADESHIFT_TEST_STORE=postgres`, one throwaway PostgreSQL cluster for the run (its URL
 * in `GRADESHIFT_TEST_POSTGRES`, where every test server makes a database of its own), stopped at the end. Without
 * it, nothing.
 * @internal
 */
import { postgresGlobalSetup } from '@gradeshift/pipeline/testing';

export default postgresGlobalSetup('GRADESHIFT_TEST_POSTGRES');
