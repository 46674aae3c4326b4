import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { PIPELINE_VERSION } from './version';

describe('PIPELINE_VERSION', () => {
  it('is the package version', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    expect(PIPELINE_VERSION).toBe(pkg.version);
  });
});
