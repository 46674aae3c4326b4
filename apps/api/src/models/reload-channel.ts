/**
 * @file `models.reload` across replicas: the replica that reloads announces it on the run store's message channel
 * (PostgreSQL NOTIFY), and every other replica on the same store reloads the same model from the same folder of
 * the shared models folder. On the SQLite file alone the channel stays inside the process, so a reload reaches
 * that process only. A replica whose reload fails keeps its model and logs why.
 *
 * A notice sent while a replica's listening connection was down is lost with it, so each reload is also recorded
 * in the store (the last one per model): when the connection comes back, the replica compares each recorded
 * reload's model sha256 with the one it serves and applies the reloads it missed.
 */
import { randomUUID } from 'node:crypto';
import { relative } from 'node:path';

import { RECONNECTED_TOPIC, type StoreMessage } from '@gradeshift/pipeline';

import { confineFolder } from '../confine-path';
import type { StoreListenerOptions } from '../store/shared-store';
import type { ModelRegistry, ServedModel } from './model-registry';

const TOPIC = 'models.reload';

/** What a replica announces after a reload. */
export interface ReloadNotice {
  /** The replica that reloaded. */
  readonly replica: string;
  readonly id: string;
  /** The bundle folder relative to the models folder, or null for the model's current folder. */
  readonly path: string | null;
  readonly sha256: string;
}

/** The reload channel of one replica. */
export interface ReloadChannel {
  /** This replica's id (random per process). */
  readonly replica: string;
  /**
   * Tells the other replicas that `model` was reloaded here.
   * @param dir - the folder the reload named, or undefined when it reloaded the model's current folder
   */
  announce(model: ServedModel, dir: string | undefined): Promise<void>;
  close(): Promise<void>;
}

function isNotice(message: StoreMessage): message is { topic: string; payload: ReloadNotice } {
  return message.topic === TOPIC && isNoticePayload(message.payload);
}

function isNoticePayload(payload: unknown): payload is ReloadNotice {
  const p = payload as Partial<ReloadNotice> | null;
  return (
    typeof p?.sha256 === 'string' &&
    typeof p.replica === 'string' &&
    typeof p.id === 'string' &&
    (typeof p.path === 'string' || p.path === null)
  );
}

/**
 * Joins the reload channel of a store: reloads announced by other replicas are applied to `registry`.
 * @param options - the store, the registry, the models folder reloads must stay inside, a logger
 */
export async function connectReloadChannel(
  options: StoreListenerOptions & { registry: ModelRegistry; modelsDir: string },
): Promise<ReloadChannel> {
  const { backend, registry, modelsDir, logger } = options;
  const replica = randomUUID();
  const apply = async (notice: ReloadNotice): Promise<void> => {
    const t0 = performance.now();
    try {
      const dir =
        notice.path === null
          ? undefined
          : confineFolder(notice.path, { root: modelsDir, field: 'path' });
      const model = await registry.reload(notice.id, dir);
      logger.info(
        {
          model: model.id,
          version: model.version,
          sha256: model.sha256,
          from: notice.replica,
          ms: Math.round(performance.now() - t0),
        },
        'model reloaded by another replica',
      );
    } catch (error) {
      logger.error(
        { model: notice.id, path: notice.path, from: notice.replica, err: error },
        'a reload announced by another replica failed here; the model served is unchanged',
      );
    }
  };
  // The reloads recorded in the store whose model differs from the one served here.
  const catchUp = async (): Promise<void> => {
    const missed = (await backend.listModelReloads())
      .map((r) => r.notice)
      .filter(isNoticePayload)
      .filter((n) => registry.has(n.id) && registry.get(n.id).sha256 !== n.sha256);
    logger.warn(
      { store: backend.location, missed: missed.map((n) => n.id) },
      `the store connection was lost and is back: ${missed.length} reload(s) made meanwhile on another replica applied here`,
    );
    for (const notice of missed) await apply(notice);
  };
  const unsubscribe = await backend.subscribe((message) => {
    if (isNotice(message) && message.payload.replica !== replica) void apply(message.payload);
    else if (message.topic === RECONNECTED_TOPIC)
      catchUp().catch((error: unknown) =>
        logger.error(
          { store: backend.location, err: error },
          'the store connection is back but its recorded reloads could not be read; repeat a missed models.reload on this replica',
        ),
      );
  });
  return {
    replica,
    async announce(model, dir) {
      const notice: ReloadNotice = {
        replica,
        id: model.id,
        path: dir === undefined ? null : relative(modelsDir, dir) || '.',
        sha256: model.sha256,
      };
      await backend.putModelReload(model.id, notice);
      await backend.publish({ topic: TOPIC, payload: notice });
    },
    close: unsubscribe,
  };
}
