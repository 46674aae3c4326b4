import { describe, expect, it } from 'vitest';

import { DashboardEnvError, readEnv } from './env';

describe('readEnv', () => {
  it('defaults to the API on 127.0.0.1:4000', () => {
    expect(readEnv({}, '/repo')).toEqual({
      apiUrl: 'http://127.0.0.1:4000',
      apiToken: undefined,
      bundleDir: '/repo/runs/default/bundle',
    });
  });

  it('drops a trailing slash and keeps the token', () => {
    expect(
      readEnv({
        GRADESHIFT_API_URL: 'http://localhost:4101/',
        GRADESHIFT_API_TOKEN: 'x'.repeat(20),
        GRADESHIFT_BUNDLE_DIR: '/models/ranker',
      }),
    ).toEqual({
      apiUrl: 'http://localhost:4101',
      apiToken: 'x'.repeat(20),
      bundleDir: '/models/ranker',
    });
  });

  it('names a variable that is not a URL', () => {
    expect(() => readEnv({ GRADESHIFT_API_URL: 'localhost:4000' })).toThrow(DashboardEnvError);
    expect(() => readEnv({ GRADESHIFT_API_URL: 'ftp://x' })).toThrow(
      /GRADESHIFT_API_URL="ftp:\/\/x"/,
    );
  });

  it('resolves a relative bundle folder against the repository root', () => {
    expect(readEnv({ GRADESHIFT_BUNDLE_DIR: 'runs/r1/bundle' }, '/repo').bundleDir).toBe(
      '/repo/runs/r1/bundle',
    );
  });
});
