// Worker-thread entry of a run's lease on the PostgreSQL run store (run-lease.ts): renews `run_leases.renewed_at`
// every period on a connection of its own, so a run whose process is busy in long synchronous work (a bootstrap
// over millions of pairs) is never taken for dead, while a process that is gone stops renewing. The thread lives as
// long as its process: that is the fact the lease stands for. A dropped or refused connection (a server restart, a
// fail-over, an idle-session timeout, max_connections) is opened again at the next period; the lease lapses only if
// the store stays out of reach for the whole lapse window, when nobody can tell this process from a dead one.
// Plain JavaScript: the thread needs nothing of the workspace but `pg`.
import { parentPort, workerData } from 'node:worker_threads';

import pg from 'pg';

const { url, runId, periodMs } = workerData;
/** @type {pg.Client | undefined} */
let client;
let stopping = false;

async function close() {
  const open = client;
  client = undefined;
  await open?.end().catch(() => undefined);
}

async function connect() {
  const next = new pg.Client({ connectionString: url, connectionTimeoutMillis: periodMs });
  // An error on an idle connection: drop it; the next renewal opens another.
  next.on('error', () => {
    if (client === next) void close();
  });
  await next.connect();
  return next;
}

/** One renewal; any failure drops the connection and leaves the next period to try again. */
async function renew() {
  try {
    client ??= await connect();
    await client.query('UPDATE run_leases SET renewed_at = now() WHERE run_id = $1', [runId]);
    return true;
  } catch {
    await close();
    return false;
  }
}

let timer;
async function tick() {
  if (stopping) return;
  await renew();
  if (!stopping) timer = setTimeout(tick, periodMs);
}

parentPort.on('message', async (message) => {
  if (message !== 'stop') return;
  stopping = true;
  clearTimeout(timer);
  await close();
  parentPort.postMessage('stopped');
  process.exit(0);
});
const first = await renew();
parentPort.postMessage(first ? 'renewing' : 'retrying');
if (!stopping) timer = setTimeout(tick, periodMs);
