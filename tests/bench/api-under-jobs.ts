/**
 * Two rows of the API benchmark (`npm run bench -- api`): latency while the server does other heavy work.
 *
 * 1. `/healthz` (1 connection) and `score` (the suite's 50-item requests) while an evaluate job of the whole Home
 *    Depot file with 10,000 bootstrap resamples runs (the job is in its own thread; targets: health p99 < 50 ms,
 *    score p99 < 100 ms).
 * 2. `score` while `models.reload` swaps the model every 500 ms (target: p99 < 100 ms, 0 failed).
 */
import autocannon from 'autocannon';

const JOB_SECONDS = Number(process.env['API_JOB_BENCH_SECONDS'] ?? 20);

async function post(url: string, body: unknown): Promise<{ status: number; json: unknown }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: await response.json() };
}

function scoreLoad(url: string, bodies: string[], load: { seconds: number; connections: number }) {
  return autocannon({
    url,
    connections: load.connections,
    duration: load.seconds,
    requests: bodies.map((body) => ({
      method: 'POST' as const,
      path: '/trpc/score',
      headers: { 'content-type': 'application/json' },
      body,
    })),
  });
}

/** Waits until the job reports the bootstrap (scoring done); returns false if it ended first. */
async function untilBootstrap(url: string, id: string): Promise<boolean> {
  for (let i = 0; i < 1200; i++) {
    const got = await fetch(
      `${url}/trpc/jobs.get?input=${encodeURIComponent(JSON.stringify({ id }))}`,
    );
    const job = (
      (await got.json()) as {
        result?: { data: { status: string; progress: { message?: string } } };
      }
    ).result?.data;
    if (job?.status !== 'running') return false;
    if (job.progress.message?.startsWith('bootstrap') === true) return true;
    await new Promise((done) => setTimeout(done, 250));
  }
  return false;
}

/**
 * Runs the two rows and logs them.
 * @param options - the server's URL (its data folder is ../shared/data), the score bodies, connections, log
 */
export async function runJobRows(options: {
  url: string;
  bodies: string[];
  connections: number;
  log: (line: string) => void;
}): Promise<boolean> {
  const { url, bodies, connections, log } = options;
  const started = await post(`${url}/trpc/evaluate`, {
    dataset: {
      path: 'homedepot/train.csv',
      columns: { id: 'id', query: 'search_term', item: 'product_title', label: 'relevance' },
      grades: { kind: 'thresholds', edges: [1.75, 2.33], range: [1, 3] },
    },
    resamples: 10_000,
  });
  const id = (started.json as { result?: { data: { id: string } } }).result?.data.id;
  let pass = true;
  if (started.status !== 200 || id === undefined) {
    log(
      `| evaluate job (whole Home Depot file) | not started: ${JSON.stringify(started.json).slice(0, 200)} | |`,
    );
    pass = false;
  } else {
    const inBootstrap = await untilBootstrap(url, id);
    const [health, score] = await Promise.all([
      autocannon({ url: `${url}/healthz`, connections: 1, duration: JOB_SECONDS }),
      scoreLoad(url, bodies, { seconds: JOB_SECONDS, connections }),
    ]);
    await post(`${url}/trpc/jobs.cancel`, { id });
    log(
      `| during an evaluate job (74,067 pairs, 10,000 resamples${inBootstrap ? ', in its bootstrap' : ''}): /healthz p50 / p99 (ms) | ${health.latency.p50} / ${health.latency.p99} | p99 < 50 |`,
    );
    log(
      `| same: score requests/s, p50 / p99 (ms), non-2xx | ${score.requests.average.toFixed(0)}, ${score.latency.p50} / ${score.latency.p99}, ${score.non2xx} | p99 < 100 |`,
    );
    pass &&= health.latency.p99 < 50 && score.latency.p99 < 100 && inBootstrap;
  }
  let reloads = 0;
  let failedReloads = 0;
  const timer = setInterval(() => {
    reloads++;
    void post(`${url}/trpc/models.reload`, { id: 'default' }).then(
      (r) => {
        if (r.status !== 200) failedReloads++;
      },
      () => failedReloads++,
    );
  }, 500);
  const reloaded = await scoreLoad(url, bodies, { seconds: JOB_SECONDS, connections });
  clearInterval(timer);
  const failed = reloaded.non2xx + reloaded.errors + reloaded.timeouts;
  log(
    `| score with a reload every 500 ms (${reloads} reloads, ${failedReloads} failed): requests/s, p50 / p99 (ms), failed | ${reloaded.requests.average.toFixed(0)}, ${reloaded.latency.p50} / ${reloaded.latency.p99}, ${failed} | p99 < 100, 0 failed |`,
  );
  return pass && reloaded.latency.p99 < 100 && failed === 0 && failedReloads === 0;
}
