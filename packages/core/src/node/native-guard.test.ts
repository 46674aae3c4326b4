/**
 * The native guard against the real crash: a worker thread multiplying matrices in onnxruntime-node without pause is
 * terminated mid-run 20 times by a child process (testing/native-guard-host.mjs). Terminated plainly, the child
 * aborts ("terminate called after throwing an instance of 'Napi::Error'", exit 134 / SIGABRT); through
 * `terminateOutsideNative` (no new call starts, the thread's work fails and it ends by itself), it survives every
 * round.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

import {
  createNativeGuard,
  guardNative,
  installNativeGuard,
  terminateOutsideNative,
} from './native-guard';

const HOST = fileURLToPath(new URL('./testing/native-guard-host.mjs', import.meta.url));
const run = (mode: 'plain' | 'guarded') =>
  spawnSync(process.execPath, [HOST, mode, '20'], { encoding: 'utf8', timeout: 120_000 });

describe('native guard', () => {
  it('a thread terminated inside onnxruntime aborts the process; through the guard it never does', () => {
    const plain = run('plain');
    expect(plain.stdout).not.toContain('survived');
    expect(plain.status === 134 || plain.signal === 'SIGABRT').toBe(true);
    expect(plain.stderr).toContain('Napi::Error');
    const guarded = run('guarded');
    expect(guarded.stderr).toBe('');
    expect(guarded.status).toBe(0);
    expect(guarded.stdout).toContain('survived');
  }, 240_000);

  it('refuses new calls once the host stops the thread, and waits for the call in progress', async () => {
    const buffer = createNativeGuard();
    installNativeGuard(buffer);
    try {
      let release!: () => void;
      const inProgress = guardNative(() => new Promise<string>((r) => (release = () => r('done'))));
      let terminated = false;
      const stopping = terminateOutsideNative(
        {
          threadId: 1,
          once: () => undefined,
          terminate: () => {
            terminated = true;
            return Promise.resolve(1);
          },
        },
        buffer,
        { graceMs: 10 },
      );
      await new Promise((r) => setTimeout(r, 30));
      expect(terminated).toBe(false);
      await expect(guardNative(() => Promise.resolve('new'))).rejects.toThrow('being stopped');
      release();
      await expect(inProgress).resolves.toBe('done');
      await expect(stopping).resolves.toBe(1);
      expect(terminated).toBe(true);
    } finally {
      installNativeGuard(undefined);
    }
  });
});
