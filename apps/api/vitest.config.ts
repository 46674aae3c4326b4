import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
    setupFiles: ['@gradeshift/vitest-config/setup'],
    // GRADESHIFT_TEST_STORE=postgres (npm run test:postgres): the servers run on a throwaway PostgreSQL store.
    globalSetup: ['./src/testing/postgres-global-setup.ts'],
    // The end-to-end tests run real servers, ONNX sessions and hundreds of requests: generous limits keep them
    // green on a loaded 2-core CI machine (no test asserts on timing).
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});
