import { defineConfig } from 'vitest/config';

// For IDE and watch use; CI runs each package's own config through turbo.
export default defineConfig({
  test: { projects: ['packages/*', 'apps/cli', 'tests'] },
});
