/**
 * `gradeshift score --queue` (the producer: chunk jobs queued, a progress bar of rows and chunks, the merged
 * file) and `gradeshift worker` (chunk jobs taken until SIGINT / SIGTERM, one log line each on stderr).
 */
import type { ScoreArgs, ScoreQueueArgs, WorkerArgs } from '../parsed-command';
import { InterruptedError } from '../cli-errors';
import type { CommandContext } from '../command-context';
import { EXIT_CODES, type ExitCode } from '../exit-codes';
import { createProgressBar } from '../progress-bar';
import { backendOf } from './step-commands';

/** The process's peak resident memory so far, in MB (`getrusage` ru_maxrss). */
const peakRssMb = (): number => Math.round(process.resourceUsage().maxRSS / 1024);

/**
 * `gradeshift score --queue`: the bundle, file and output already resolved to absolute paths.
 * @throws InterruptedError on SIGINT / SIGTERM, once the chunks nobody had taken are off the queue
 */
export async function runQueuedScoreCommand(
  args: ScoreArgs,
  queue: ScoreQueueArgs,
  ctx: CommandContext,
): Promise<ExitCode> {
  const queueScoreFile = backendOf(ctx, 'queueScoreFile', 'score --queue');
  const bar = createProgressBar({
    stream: ctx.stderr,
    env: ctx.env,
    ...(ctx.now ? { now: ctx.now } : {}),
  });
  let result: Awaited<ReturnType<typeof queueScoreFile>>;
  try {
    result = await queueScoreFile({ ...args, queue, progress: bar.sink, signal: ctx.signal });
  } catch (error) {
    if (ctx.signal.aborted)
      throw new InterruptedError(
        `interrupted; nothing more is queued, and chunks already queued but not yet taken were removed from the queue (those in a worker's hand finish into ${args.out}.parts, which can be deleted)`,
      );
    throw error;
  } finally {
    bar.finish();
  }
  const rate = Math.round(result.pairs / (result.queuedMs / 1000));
  ctx.stdout.write(
    `${result.pairs} pairs scored in ${result.chunks} chunks on the queue (${rate} pairs/s, peak RSS ${peakRssMb()} MB) → ${args.out}\n`,
  );
  return EXIT_CODES.OK;
}

/** `gradeshift worker`: runs until SIGINT / SIGTERM, finishing the chunk in hand. */
export async function runWorkerCommand(args: WorkerArgs, ctx: CommandContext): Promise<ExitCode> {
  const runWorker = backendOf(ctx, 'runWorker', 'worker');
  const { chunks } = await runWorker({
    ...args,
    signal: ctx.signal,
    onReady: () =>
      ctx.stderr.write(
        `worker ready on ${args.url} (pid ${process.pid}, threads ${args.threads})\n`,
      ),
    onStart: (e) => ctx.stderr.write(`chunk ${e.jobId}: pairs ${e.start}–${e.end - 1} taken\n`),
    onChunk: (e) =>
      ctx.stderr.write(
        e.error === undefined
          ? `chunk ${e.jobId}: pairs ${e.start}–${e.end - 1} in ${Math.round(e.ms)} ms\n`
          : `chunk ${e.jobId}: pairs ${e.start}–${e.end - 1} failed: ${e.error}\n`,
      ),
    onError: (message) => ctx.stderr.write(`worker: queue connection: ${message}\n`),
  });
  ctx.stdout.write(`worker stopped after ${chunks} chunks (peak RSS ${peakRssMb()} MB)\n`);
  return EXIT_CODES.OK;
}
