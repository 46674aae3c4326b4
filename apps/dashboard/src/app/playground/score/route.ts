/**
 * `GET /playground/score?query=&items=`: the API's scores of a Playground input as JSON, for the Playground's
 * own form (which keeps the browser's loaded model by not navigating). The browser still never calls the API:
 * this route does, on the server.
 */
import { readPlaygroundInput } from '../../../lib/playground-input';
import { scorePlayground } from '../../../lib/playground-score';

export const dynamic = 'force-dynamic';

export async function GET(request: Request): Promise<Response> {
  const params = Object.fromEntries(new URL(request.url).searchParams);
  const result = await scorePlayground(readPlaygroundInput(params));
  return Response.json(result, {
    status: result.ok ? 200 : result.problem.kind === 'unreachable' ? 502 : 500,
    headers: { 'cache-control': 'no-store' },
  });
}
