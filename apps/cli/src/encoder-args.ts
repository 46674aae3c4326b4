/** The options of `gradeshift encoder` → {@link EncoderArgs}. */
import { readDataSource, readFar, readShift } from './data-args';
import type { OptionReader } from './option-reader';
import type { EncoderArgs } from './parsed-command';
import { SEED } from './step-args';

/** Reads `gradeshift encoder`'s options. */
export function readEncoder(r: OptionReader): EncoderArgs {
  const data = readDataSource(r);
  const shift = readShift(r, data);
  const far = readFar(r);
  const seed = r.integer('seed', 0, SEED);
  return {
    json: r.flag('json'),
    cacheDir: r.string('cache'),
    options: {
      data,
      ...(shift === undefined ? {} : { shift }),
      ...(far === undefined ? {} : { far }),
      encoder: r.string('model') ?? r.fail('missing --model <dir>'),
      outDir: r.string('out') ?? r.fail('missing --out <dir>'),
      splitSeed: seed,
      seed,
      maxLength: r.integer('max-length', 128, { min: 8, max: 4096 }),
      threads: r.integer('threads', 1, { min: 0, max: 64 }),
      epochs: r.integer('epochs', 30, { min: 1 }),
      lexical: !r.flag('no-lexical'),
      resamples: r.integer('resamples', 1000, { min: 1 }),
    },
  };
}
