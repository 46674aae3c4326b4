/**
 * Pure formatting of pipeline progress events: the terminal line (bar, done/total, ETA) and the plain log line.
 * No I/O here; `progress-bar.ts` decides when to write what, and where.
 */
import type { ProgressEvent } from '@gradeshift/pipeline';

const ANSI = {
  reset: '\u001b[0m',
  bold: '\u001b[1m',
  cyan: '\u001b[36m',
  green: '\u001b[32m',
  dim: '\u001b[2m',
};

/**
 * Seconds as `m:ss` (minutes are not capped: 3725 s → `62:05`); `-:--` when unknown.
 * @param seconds - seconds left, ≥ 0
 */
export function formatEta(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return '-:--';
  const total = Math.round(seconds);
  const m = Math.floor(total / 60);
  const s = total % 60;
  return `${m}:${String(s).padStart(2, '0')}`;
}

/**
 * A bar of `width` cells, filled in proportion to `done / total` (clamped to [0, 1]).
 * @param done - units done
 * @param total - units in all (> 0)
 * @param width - cells
 */
export function formatBar(done: number, total: number, width: number): string {
  const fraction = total > 0 ? Math.min(1, Math.max(0, done / total)) : 0;
  const filled = Math.round(fraction * width);
  return `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
}

/**
 * Seconds left by linear extrapolation of the rate since the segment started, or `undefined` before any progress.
 * @param progress - units done now and at the start, the total, and the seconds elapsed since the start
 */
export function estimateEtaSeconds(progress: {
  done: number;
  startDone: number;
  total: number;
  elapsedSeconds: number;
}): number | undefined {
  const { done, startDone, total, elapsedSeconds } = progress;
  const rate = (done - startDone) / elapsedSeconds;
  if (!(rate > 0) || !Number.isFinite(rate)) return undefined;
  return Math.max(0, (total - done) / rate);
}

/** Options of {@link formatTtyLine}. */
export interface TtyLineOptions {
  /** Terminal columns; the line is cut to `width − 1` visible characters so it never wraps. */
  readonly width: number;
  /** ANSI colours (off under NO_COLOR). */
  readonly color: boolean;
  /** Bar cells. @default 20 */
  readonly barWidth?: number;
}

function cut(text: string, room: number): string {
  if (room <= 0) return '';
  return text.length <= room ? text : `${text.slice(0, Math.max(0, room - 1))}…`;
}

/**
 * The single updating terminal line of a stage: `stage  ████░░░░ 3/8  eta 1:05  message`.
 * @param event - the progress event
 * @param options - width and colour
 * @returns the line, without a line break
 */
export function formatTtyLine(event: ProgressEvent, options: TtyLineOptions): string {
  const { width, color } = options;
  const room = Math.max(10, width - 1);
  // Narrow terminals get a shorter bar before anything else is cut.
  const barWidth = Math.min(options.barWidth ?? 20, Math.max(5, Math.floor(room / 4)));
  const parts: { text: string; code: string }[] = [
    { text: cut(event.stage, 28), code: ANSI.bold + ANSI.cyan },
  ];
  const { done, total } = event;
  if (done !== undefined && total !== undefined && total > 0) {
    parts.push({ text: formatBar(done, total, barWidth), code: ANSI.green });
    parts.push({ text: `${done}/${total}`, code: '' });
  } else if (done !== undefined) {
    parts.push({ text: String(done), code: '' });
  }
  if (event.etaSeconds !== undefined)
    parts.push({ text: `eta ${formatEta(event.etaSeconds)}`, code: '' });
  const head = parts.map((p) => p.text).join(' ');
  // Cutting through escape codes would corrupt the terminal, so a line this narrow stays uncoloured.
  if (head.length >= room) return cut(head, room);
  const message = cut(event.message, room - head.length - 2);
  const paint = (code: string, text: string) =>
    color && code !== '' && text !== '' ? `${code}${text}${ANSI.reset}` : text;
  const painted = parts.map((p) => paint(p.code, p.text)).join(' ');
  return message === '' ? painted : `${painted}  ${paint(ANSI.dim, message)}`;
}

/**
 * One plain log line for non-terminal output (CI logs): `[stage] message (3/8, 38%, eta 1:05)`.
 * @param event - the progress event
 */
export function formatPlainLine(event: ProgressEvent): string {
  const details: string[] = [];
  const { done, total } = event;
  if (done !== undefined && total !== undefined && total > 0) {
    details.push(`${done}/${total}`, `${Math.floor((Math.min(done, total) / total) * 100)}%`);
  } else if (done !== undefined) {
    details.push(String(done));
  }
  if (event.etaSeconds !== undefined) details.push(`eta ${formatEta(event.etaSeconds)}`);
  const suffix = details.length === 0 ? '' : ` (${details.join(', ')})`;
  return `[${event.stage}] ${event.message}${suffix}`;
}

/**
 * Whether to colour terminal output: never when `NO_COLOR` is set to a non-empty value or `TERM` is `dumb`.
 * @see https://no-color.org/
 */
export function shouldUseColor(env: Readonly<Record<string, string | undefined>>): boolean {
  const noColor = env['NO_COLOR'];
  return (noColor === undefined || noColor === '') && env['TERM'] !== 'dumb';
}
