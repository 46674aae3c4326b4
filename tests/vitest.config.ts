import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['integration/**/*.test.ts', 'e2e/**/*.spec.ts'],
    environment: 'node',
    setupFiles: ['@gradeshift/vitest-config/setup'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
