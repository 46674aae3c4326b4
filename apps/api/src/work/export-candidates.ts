/**
 * A selection as a file for annotators: CSV (RFC 4180 quoting, a header, an empty `label` column to fill in)
 * or JSONL (one candidate object per line, with its reason).
 */
import type { SelectResult } from './select-work';

const CSV_COLUMNS = [
  'rank',
  'id',
  'query',
  'item',
  'reason',
  'expected',
  'predicted',
  'label',
] as const;

/** Quotes a CSV field when it holds a comma, quote or line break; a leading = + - @ is defused for spreadsheets. */
function csvField(value: string): string {
  const safe = /^[=+\-@]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * The export of a finished selection.
 * @param result - the selection
 * @param options - the format and the job id (for the file name)
 */
export function exportCandidates(
  result: SelectResult,
  options: { format: 'csv' | 'jsonl'; jobId: string },
): { filename: string; contentType: string; content: string } {
  const stem = `selection-${result.strategy}-${options.jobId.slice(0, 8)}`;
  if (options.format === 'jsonl') {
    return {
      filename: `${stem}.jsonl`,
      contentType: 'application/x-ndjson',
      content: result.candidates.map((c) => `${JSON.stringify(c)}\n`).join(''),
    };
  }
  const lines = [CSV_COLUMNS.join(',')];
  for (const c of result.candidates) {
    const row: Record<(typeof CSV_COLUMNS)[number], string> = {
      rank: String(c.rank),
      id: c.id,
      query: c.query,
      item: c.item,
      reason: c.reason,
      expected: String(c.expected),
      predicted: c.predicted,
      label: '',
    };
    lines.push(CSV_COLUMNS.map((col) => csvField(row[col])).join(','));
  }
  return { filename: `${stem}.csv`, contentType: 'text/csv', content: `${lines.join('\r\n')}\r\n` };
}
