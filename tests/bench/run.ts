/**
 * `npm run bench [-- <suite> …]`: runs the benchmark suites and prints Markdown tables for BENCHMARKS.md.
 * Suites: numeric, training, scoring, quality, api, dashboard, shift, transformer, distributed (default: all).
 */
import { cpus } from 'node:os';

import { runApiBench } from './api';
import { runDashboardBench } from './dashboard';
import { runDistributedBench } from './distributed';
import { runNumericBench } from './numeric';
import { runQualityBench } from './quality';
import { runScoringBench } from './scoring';
import { runShiftBench } from './shift';
import { runTrainingBench } from './training';
import { runTransformerBench } from './transformer';

const SUITES: Record<
  string,
  (opts: { repeats: number; log: (line: string) => void }) => Promise<unknown>
> = {
  numeric: runNumericBench,
  training: runTrainingBench,
  scoring: runScoringBench,
  quality: runQualityBench,
  api: runApiBench,
  dashboard: runDashboardBench,
  shift: runShiftBench,
  transformer: runTransformerBench,
  distributed: runDistributedBench,
};

const args = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const unknown = args.filter((a) => !(a in SUITES));
if (unknown.length > 0) {
  process.stderr.write(
    `unknown suite(s): ${unknown.join(', ')}; available: ${Object.keys(SUITES).join(', ')}\n`,
  );
  process.exit(2);
}
const selected = args.length > 0 ? args : Object.keys(SUITES);
const log = (line: string) => process.stdout.write(`${line}\n`);
log(
  `# gradeshift bench: ${new Date().toISOString()}, node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}`,
);
for (const name of selected) {
  log(`\n## ${name}`);
  await SUITES[name]!({ repeats: 3, log });
}
