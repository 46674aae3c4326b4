/**
 * Option tables of distributed scoring: the options `score` takes to run on a queue, and `gradeshift worker`.
 */
import { requiredOption, stringOption, type CommandSpec } from '../option-table';

/** `--queue <url>` of `score`: score on the queue's workers instead of in this process. */
export const SCORE_QUEUE_OPTIONS = [
  stringOption({
    name: 'queue',
    placeholder: '<redis-url>',
    description:
      'score on the workers of this queue (redis://host:port[/db]) instead of in this process; --data, --model and --out must be on a folder every worker sees at the same path',
  }),
  stringOption({
    name: 'chunk',
    placeholder: '<pairs>',
    description: 'with --queue: pairs per chunk job (a multiple of 128)',
    defaultText: '16384',
  }),
];

/** `gradeshift worker`. */
export const WORKER_SPEC: CommandSpec = {
  name: 'worker',
  summary: 'Score chunk jobs from a queue until stopped (start any number, on any machine).',
  usage: 'gradeshift worker --queue <redis-url> [options]',
  details: [
    'Takes chunk jobs queued by `gradeshift score --queue` one at a time and writes each chunk beside the output. Needs only the queue and the shared folder. SIGINT / SIGTERM: finishes the chunk in hand, then exits; a worker killed outright loses its lock, and another worker takes its chunk again after --lock-ms plus at most --stalled-ms.',
  ],
  options: [
    requiredOption(
      stringOption({
        name: 'queue',
        placeholder: '<redis-url>',
        description: 'the queue (redis://host:port[/db])',
      }),
    ),
    stringOption({
      name: 'threads',
      placeholder: '<n>',
      description: 'scoring threads, one onnxruntime session each; 0: the main thread',
      defaultText: '0',
    }),
    stringOption({
      name: 'lock-ms',
      placeholder: '<ms>',
      description: "a chunk's lock, renewed every half of it while the worker lives",
      defaultText: '30000',
    }),
    stringOption({
      name: 'stalled-ms',
      placeholder: '<ms>',
      description: 'how often this worker looks for chunks whose worker died',
      defaultText: '15000',
    }),
  ],
  examples: [
    'redis-server --port 6379 --save "" --appendonly no &',
    'gradeshift worker --queue redis://127.0.0.1:6379 &',
    'gradeshift score --queue redis://127.0.0.1:6379 --model runs/default/bundle --data pairs.csv --query-col q --item-col title --out scored.jsonl',
  ],
};
