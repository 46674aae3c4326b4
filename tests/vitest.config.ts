import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['integration/**/*.test.ts', 'e2e/**/*.spec.ts'],
    environment: 'node',
    setupFiles: ['@gradeshift/vitest-config/setup'],
    // GRADESHIFT_TEST_STORE=postgres (npm run test:postgres): the APIs started run on a throwaway PostgreSQL store.
    globalSetup: ['./integration/postgres-store-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
