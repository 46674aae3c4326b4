// Worker-thread entry of a run's lease on the PostgreSQL run store (run-lease.ts): renews `run_leases.renewed_at`
// every period on a connection of its own, so a run whose process is busy in long synchronous work (a bootstrap
// over millions of pairs) is never taken for dead, while a process that is gone stops renewing. Plain JavaScript:
// the thread needs nothing of the workspace but `pg`.
import { parentPort, workerData } from 'node:worker_threads';

import pg from 'pg';

const { url, runId, periodMs } = workerData;
const client = new pg.Client({ connectionString: url });
// A dropped connection ends the thread; the lease then lapses as it would for a dead process.
client.on('error', () => process.exit(1));
await client.connect();
const renew = () =>
  client.query('UPDATE run_leases SET renewed_at = now() WHERE run_id = $1', [runId]);
await renew();
const timer = setInterval(() => {
  renew().catch(() => process.exit(1));
}, periodMs);
parentPort.on('message', async (message) => {
  if (message !== 'stop') return;
  clearInterval(timer);
  await client.end().catch(() => undefined);
  parentPort.postMessage('stopped');
  process.exit(0);
});
parentPort.postMessage('renewing');
