/**
 * `health`: whether the server can score (at least one model served), with its models, jobs and process
 * figures. `GET /healthz` answers the same for load balancers without tRPC.
 */
import { z } from 'zod';

import type { ApiServices } from '../services';
import { publicProcedure } from '../trpc';

const healthSchema = z.object({
  status: z.enum(['ok', 'degraded']),
  uptimeSeconds: z.number(),
  models: z.array(z.object({ id: z.string(), version: z.number().int(), sha256: z.string() })),
  jobs: z.object({ running: z.number().int() }),
  /** The run store runs are read from (`postgres`: shared by replicas), and this replica's id on it. */
  store: z.object({ kind: z.enum(['sqlite', 'postgres']), replica: z.string() }),
  /** Requests and jobs holding a model right now. */
  modelLeases: z.number().int(),
  memory: z.object({ rssBytes: z.number(), heapUsedBytes: z.number() }),
});

/** The health report. */
export type Health = z.infer<typeof healthSchema>;

/** The health report of a server. */
export function healthOf(services: ApiServices): Health {
  const models = services.registry.list();
  const memory = process.memoryUsage();
  return {
    status: models.length > 0 ? 'ok' : 'degraded',
    uptimeSeconds: (Date.now() - services.startedAt) / 1000,
    models: models.map((m) => ({ id: m.id, version: m.version, sha256: m.sha256 })),
    jobs: { running: services.jobs.running() },
    store: { kind: services.runs.backend.kind, replica: services.reloads.replica },
    modelLeases: services.registry.activeLeases(),
    memory: { rssBytes: memory.rss, heapUsedBytes: memory.heapUsed },
  };
}

/** The `health` procedure. */
export const healthProcedure = publicProcedure
  .output(healthSchema)
  .query(({ ctx }) => healthOf(ctx.services));
