import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'e2e/**/*.spec.ts'],
    environment: 'node',
    setupFiles: ['@gradeshift/vitest-config/setup'],
    testTimeout: 120_000,
    hookTimeout: 600_000,
    // One browser and one pair of servers at a time on CI's two cores.
    fileParallelism: false,
  },
});
