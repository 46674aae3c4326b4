/** `GET /selection/export?run=&format=csv|jsonl`: the annotation queue as a file. */
import { loadRun } from '../../../lib/load-run';
import { getQueue, queueCsv, queueJsonl } from '../../../lib/selection-queue';

export const dynamic = 'force-dynamic';

export async function GET(request: Request): Promise<Response> {
  const url = new URL(request.url);
  const format = url.searchParams.get('format') === 'jsonl' ? 'jsonl' : 'csv';
  const loaded = await loadRun(url.searchParams.get('run') ?? undefined);
  if (!loaded.ok)
    return new Response(`cannot export: ${loaded.problem.kind}\n`, {
      status: loaded.problem.kind === 'not-found' || loaded.problem.kind === 'no-run' ? 404 : 502,
    });
  const queue = await getQueue(loaded.id);
  const name = `${loaded.detail.run.name}-selection.${format}`.replace(/[^\w.-]/g, '_');
  return new Response(
    format === 'csv' ? queueCsv(queue, loaded.report.gradeNames) : queueJsonl(queue),
    {
      headers: {
        'content-type': format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson',
        'content-disposition': `attachment; filename="${name}"`,
      },
    },
  );
}
