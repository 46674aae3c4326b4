/** Shared helpers for the benchmark scripts: median timing and a Markdown table with ratios. */

/** One measured task, side by side with its peer. */
export interface BenchRow {
  task: string;
  variant: string;
  ms: number;
  peerMs?: number;
  peer?: string;
}

/** Median of a non-empty list. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Prints the rows as a Markdown table (ratio = gradeshift time / peer time; below 2 meets the target). */
export function printTable(rows: readonly BenchRow[], log: (line: string) => void): void {
  log('| task | gradeshift | ms | peer | peer ms | ratio |');
  log('| --- | --- | ---: | --- | ---: | ---: |');
  for (const r of rows) {
    const ratio = r.peerMs === undefined ? '' : (r.ms / r.peerMs).toFixed(2);
    log(
      `| ${r.task} | ${r.variant} | ${r.ms.toFixed(1)} | ${r.peer ?? ''} | ${r.peerMs?.toFixed(1) ?? ''} | ${ratio} |`,
    );
  }
}
