/**
 * Shared vitest setup: a deep close-to matcher with absolute and relative tolerance, and
 * fail-on-console (library code has no console; a stray log in a test run is a bug).
 */
import { afterEach, expect } from 'vitest';

interface Tolerance {
  /** absolute tolerance @default 1e-9 */
  abs?: number;
  /** relative tolerance @default 1e-9 */
  rel?: number;
}

function flatten(value: unknown, path: string, out: [string, unknown][]): void {
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    Array.from(value as unknown as ArrayLike<number>).forEach((v, i) =>
      out.push([`${path}[${i}]`, v]),
    );
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => flatten(v, `${path}[${i}]`, out));
  } else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) flatten(v, `${path}.${k}`, out);
  } else {
    out.push([path, value]);
  }
}

expect.extend({
  toBeDeepCloseTo(received: unknown, expected: unknown, tolerance: Tolerance = {}) {
    const { abs = 1e-9, rel = 1e-9 } = tolerance;
    const a: [string, unknown][] = [];
    const b: [string, unknown][] = [];
    flatten(received, '', a);
    flatten(expected, '', b);
    if (a.length !== b.length) {
      return { pass: false, message: () => `expected ${b.length} leaves, received ${a.length}` };
    }
    for (let i = 0; i < a.length; i++) {
      const [path, x] = a[i]!;
      const [, y] = b[i]!;
      if (typeof x === 'number' && typeof y === 'number') {
        const ok =
          (Number.isNaN(x) && Number.isNaN(y)) ||
          x === y ||
          Math.abs(x - y) <= abs + rel * Math.abs(y);
        if (!ok) {
          return {
            pass: false,
            message: () =>
              `at ${path || '(root)'}: ${x} is not within abs ${abs} + rel ${rel} of ${y} (diff ${Math.abs(x - y)})`,
          };
        }
      } else if (x !== y) {
        return {
          pass: false,
          message: () => `at ${path || '(root)'}: ${String(x)} !== ${String(y)}`,
        };
      }
    }
    return { pass: true, message: () => 'expected values not to be deep close' };
  },
});

declare module 'vitest' {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- must match vitest's own declaration
  interface Matchers<T = any> {
    /** Deep numeric comparison: |x − y| ≤ abs + rel·|y| at every leaf (typed arrays included). */
    toBeDeepCloseTo(expected: unknown, tolerance?: Tolerance): T;
  }
}

const CONSOLE_METHODS = ['log', 'info', 'warn', 'error', 'debug'] as const;
const calls: string[] = [];
for (const m of CONSOLE_METHODS) {
  const original = console[m].bind(console);
  console[m] = (...args: unknown[]) => {
    calls.push(`console.${m}: ${args.map(String).join(' ').slice(0, 200)}`);
    original(...args);
  };
}
afterEach(() => {
  if (calls.length > 0) {
    const seen = calls.splice(0);
    throw new Error(`unexpected console output in a test:\n${seen.join('\n')}`);
  }
});
