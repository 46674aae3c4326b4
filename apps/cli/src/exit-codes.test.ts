import { describe, expect, it } from 'vitest';

import { CoreError } from '@gradeshift/core';
import { OodError } from '@gradeshift/ood';
import { BundleError, DataError, RunFolderError } from '@gradeshift/pipeline';

import { InputMissingError, InterruptedError, NotAvailableError, UsageError } from './cli-errors';
import { describeFailure, EXIT_CODES } from './exit-codes';

describe('EXIT_CODES', () => {
  it('follows sysexits.h and the 128 + signal convention', () => {
    expect(EXIT_CODES).toEqual({
      OK: 0,
      UNEXPECTED: 1,
      USAGE: 2,
      DATA_ERROR: 65,
      NO_INPUT: 66,
      INTERNAL: 70,
      CANT_CREATE: 73,
      INTERRUPTED: 130,
    });
  });
});

describe('describeFailure', () => {
  it('run-folder errors: missing input → 66, existing output → 73, damaged or changed files → 65', () => {
    const missing = new RunFolderError(
      'STEP_MISSING',
      { path: '/runs/a', reason: 'stage 2 needs a selection' },
      { hint: 'run gradeshift select --run <dir>' },
    );
    expect(describeFailure(missing)).toEqual({
      code: 66,
      message: '/runs/a: stage 2 needs a selection [STEP_MISSING]',
      hint: 'run gradeshift select --run <dir>',
    });
    expect(
      describeFailure(
        new RunFolderError('NOT_FOUND', { path: '/runs/b', reason: 'no such folder' }),
      ).code,
    ).toBe(66);
    expect(
      describeFailure(
        new RunFolderError('ALREADY_EXISTS', { path: '/runs/a/bundle', reason: 'exists' }),
      ),
    ).toMatchObject({ code: 73, hint: 'pass --overwrite to replace it, or choose another folder' });
    for (const code of [
      'DATA_CHANGED',
      'INVALID_PARAMS',
      'INVALID_SELECTION',
      'INVALID_RUN',
    ] as const)
      expect(describeFailure(new RunFolderError(code, { path: 'p', reason: 'r' })).code).toBe(65);
  });

  it('usage error → 2, pointing at the command help', () => {
    const error = new UsageError('unknown option --foo', {
      usage: 'gradeshift runs',
      command: 'runs',
    });
    expect(describeFailure(error)).toEqual({
      code: 2,
      message: 'unknown option --foo',
      hint: 'see `gradeshift runs --help`',
    });
    expect(describeFailure(new UsageError('x', { usage: 'u' })).hint).toBe(
      'see `gradeshift --help`',
    );
  });

  it('row-level DataError → 65 with file:line: reason and what to do', () => {
    const error = new DataError(
      'BAD_RATING',
      { file: 'pairs.csv', reason: 'label "high" is not a number' },
      { line: 12 },
    );
    const failure = describeFailure(error);
    expect(failure.code).toBe(65);
    expect(failure.message).toBe('pairs.csv:12: label "high" is not a number [BAD_RATING]');
    expect(failure.hint).toBe(error.hint);
    expect(failure.hint).toMatch(/decimal numbers/);
  });

  it('whole-file DataError → 65 without a line; an unreadable file → 66', () => {
    const missingColumn = new DataError('MISSING_COLUMN', {
      file: 'p.csv',
      reason: 'no column "q"',
    });
    expect(describeFailure(missingColumn)).toMatchObject({
      code: 65,
      message: 'p.csv: no column "q" [MISSING_COLUMN]',
    });
    const unreadable = new DataError('FILE_NOT_READABLE', {
      file: 'gone.csv',
      reason: 'cannot read',
    });
    expect(describeFailure(unreadable).code).toBe(66);
  });

  it('missing input → 66, including Node ENOENT / EACCES errors', () => {
    expect(
      describeFailure(new InputMissingError('run store', { path: '/x.sqlite', hint: 'run it' })),
    ).toEqual({ code: 66, message: 'run store not found: /x.sqlite', hint: 'run it' });
    const enoent = Object.assign(new Error("ENOENT: no such file or directory, open 'a'"), {
      code: 'ENOENT',
    });
    expect(describeFailure(enoent)).toMatchObject({ code: 66, message: enoent.message });
    const eacces = Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
    expect(describeFailure(eacces).code).toBe(66);
  });

  it('a missing bundle → 66, a damaged one → 65, each with the path, the reason and what to do', () => {
    const missing = describeFailure(
      new BundleError('NOT_FOUND', { path: '/m/bundle', reason: 'no such folder' }),
    );
    expect(missing).toMatchObject({ code: 66, message: '/m/bundle: no such folder [NOT_FOUND]' });
    expect(missing.hint).toMatch(/check the path/);
    const damaged = describeFailure(
      new BundleError('CHECKSUM_MISMATCH', {
        path: '/m/bundle/model.onnx',
        reason: 'sha256 differs',
      }),
    );
    expect(damaged).toMatchObject({
      code: 65,
      message: '/m/bundle/model.onnx: sha256 differs [CHECKSUM_MISMATCH]',
    });
    expect(damaged.hint).toMatch(/export the bundle again/);
  });

  it('a backend that is not available yet → 70, naming what is missing', () => {
    const failure = describeFailure(new NotAvailableError('score', 'no bundle reader'));
    expect(failure).toMatchObject({
      code: 70,
      message: 'gradeshift score is not available yet: no bundle reader',
    });
  });

  it('library domain errors → 70 with their code', () => {
    expect(describeFailure(new CoreError('MODEL_RUN_FAILED', 'session failed'))).toMatchObject({
      code: 70,
      message: 'session failed [MODEL_RUN_FAILED]',
    });
    expect(describeFailure(new OodError('NOT_FITTED', 'fit first'))).toMatchObject({
      code: 70,
      message: 'fit first [NOT_FITTED]',
    });
  });

  it('interrupt → 130', () => {
    expect(describeFailure(new InterruptedError('interrupted (SIGINT)'))).toEqual({
      code: 130,
      message: 'interrupted (SIGINT)',
    });
  });

  it('anything else → 1, one line only, with a hint to rerun with GRADESHIFT_DEBUG=1', () => {
    const bug = describeFailure(new TypeError('x is not a function\n    at foo'));
    expect(bug).toMatchObject({ code: 1, message: 'x is not a function' });
    expect(bug.hint).toMatch(/bug.*GRADESHIFT_DEBUG=1/);
    expect(
      describeFailure(new RangeError('k must be an integer in [1, 90] (got 500)')),
    ).toMatchObject({
      code: 1,
      hint: expect.stringMatching(/^check the options against the data/) as unknown,
    });
    const plain = describeFailure(new Error('cannot open run store /s: locked'));
    expect(plain).toMatchObject({ code: 1, message: 'cannot open run store /s: locked' });
    expect(plain.hint).toMatch(/GRADESHIFT_DEBUG=1/);
    expect(describeFailure('a string')).toMatchObject({
      code: 1,
      message: 'non-error thrown: a string',
    });
  });
});
