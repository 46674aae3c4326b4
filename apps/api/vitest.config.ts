import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
    setupFiles: ['@gradeshift/vitest-config/setup'],
    // The end-to-end tests run real servers, ONNX sessions and hundreds of requests: generous limits keep them
    // green on a loaded 2-core CI machine (no test asserts on timing).
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});
