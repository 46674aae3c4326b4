import { describe, expect, it } from 'vitest';

import { ConfigError, readConfig } from './env';
import { DEFAULT_LIMITS } from './limits';

describe('readConfig', () => {
  it('has documented defaults, with paths against the given root', () => {
    const config = readConfig({}, '/repo');
    expect(config).toMatchObject({
      port: 4000,
      host: '127.0.0.1',
      models: [{ id: 'default', dir: '/repo/runs/default/bundle' }],
      dataDir: '/shared/data',
      runStorePath: '/repo/runs/runs.sqlite',
      token: undefined,
      corsOrigins: ['http://localhost:3000', 'http://127.0.0.1:3000'],
      limits: DEFAULT_LIMITS,
    });
    expect(config.limits.maxItems).toBe(1000);
  });

  it('reads every limit and setting from its variable', () => {
    const config = readConfig(
      {
        PORT: '0',
        GRADESHIFT_MODELS: 'a=/m/a, b=rel/b',
        GRADESHIFT_MAX_ITEMS: '50',
        GRADESHIFT_MAX_BODY_BYTES: '1024',
        GRADESHIFT_API_TOKEN: 'x'.repeat(16),
        GRADESHIFT_CORS_ORIGINS: 'https://dash.example.com,*',
        LOG_LEVEL: 'warn',
      },
      '/repo',
    );
    expect(config.port).toBe(0);
    expect(config.models).toEqual([
      { id: 'a', dir: '/m/a' },
      { id: 'b', dir: '/repo/rel/b' },
    ]);
    expect(config.limits).toMatchObject({ maxItems: 50, maxBodyBytes: 1024 });
    expect(config.corsOrigins).toEqual(['https://dash.example.com', '*']);
    expect(config.logLevel).toBe('warn');
  });

  it('names every bad variable with its value and what is expected', () => {
    let error: unknown;
    try {
      readConfig({
        PORT: 'eighty',
        GRADESHIFT_MAX_ITEMS: '0',
        GRADESHIFT_API_TOKEN: 'short',
        GRADESHIFT_MODELS: 'a=/x,a=/y',
        GRADESHIFT_CORS_ORIGINS: 'http://x.test/path',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const lines = (error as ConfigError).issues;
    expect(lines.find((l) => l.startsWith('PORT="eighty"'))).toContain('whole number');
    expect(lines.find((l) => l.startsWith('GRADESHIFT_MAX_ITEMS="0"'))).toBeDefined();
    expect(lines.find((l) => l.startsWith('GRADESHIFT_API_TOKEN'))).toContain('16');
    expect(lines.find((l) => l.startsWith('GRADESHIFT_MODELS'))).toContain('unique');
    expect(lines.find((l) => l.startsWith('GRADESHIFT_CORS_ORIGINS'))).toContain('origin');
  });

  it('takes a PostgreSQL URL as the shared store, never showing it in a message', () => {
    const url = 'postgres://gs:pw@db.internal:5432/gradeshift';
    expect(readConfig({ GRADESHIFT_STORE: url }, '/repo')).toMatchObject({
      sharedStore: url,
      storeSyncMs: 2000,
      runStorePath: '/repo/runs/runs.sqlite',
    });
    expect(readConfig({}, '/repo').sharedStore).toBeUndefined();
    expect(() => readConfig({ GRADESHIFT_STORE: 'mysql://gs:pw@db/x' })).toThrow(
      'GRADESHIFT_STORE=(18 characters, not shown): expected a PostgreSQL URL, postgres://user:password@host:port/database',
    );
  });
});
