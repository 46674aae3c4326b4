/**
 * The command-line tool spawned as a user runs it, for the integration tests.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

import { expect } from 'vitest';

import { REPO_ROOT } from './home-depot-slice';

/** How a command ended. */
export interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

const BIN = join(REPO_ROOT, 'apps/cli/bin/gradeshift.js');

/** Runs `gradeshift …` in `cwd`. */
export function gradeshift(cwd: string, args: readonly string[]): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd,
      env: { ...process.env, NO_COLOR: '1', GRADESHIFT_DEBUG: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Runs a step that must succeed, with its output in the failure message. */
export async function step(cwd: string, args: readonly string[]): Promise<Outcome> {
  const out = await gradeshift(cwd, args);
  expect(out.code, `gradeshift ${args.join(' ')}\n${out.stdout}\n${out.stderr}`).toBe(0);
  return out;
}

/** `gradeshift prepare` of the Home Depot slice (`slice.csv` in the working folder) into `run`, sharing the cache. */
export function prepareSliceArgs(run: string): string[] {
  const cache = join(REPO_ROOT, 'runs', '.cache');
  return [
    'prepare',
    '--preset',
    'homedepot',
    '--data',
    'slice.csv',
    '--out',
    run,
    '--cache',
    cache,
  ];
}

/** A `gradeshift` process in its own process group, its stderr kept. */
export interface Spawned {
  readonly child: ChildProcess;
  stderr(): string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Starts `gradeshift …` in `cwd` in its own process group (kill the group to end it and its children).
 * @param prefix - a command to run it under (e.g. a network namespace's `ip netns exec`)
 */
export function spawnGradeshift(
  cwd: string,
  args: readonly string[],
  prefix: readonly string[] = [],
): Spawned {
  const [command = process.execPath, ...rest] = [...prefix, process.execPath];
  const child = spawn(command, [...rest, BIN, ...args], {
    cwd,
    detached: true,
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
  child.stdout?.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, stderr: () => err, exited };
}
