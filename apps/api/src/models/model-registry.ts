/**
 * @file The model registry: the bundles the server scores with, by id, each swappable at run time.
 *
 * Design: a request leases the model it starts with and releases it when done, so a reload never changes the
 * model under a request in flight. A reload loads and checks the new bundle completely before it swaps it in
 * (one assignment, so each request sees the old model or the new one, never a mix); a bundle that fails to load
 * is refused and the old one stays. The replaced model is disposed once its last lease is released. Reloads of
 * one id run one at a time.
 */
import {
  CROSS_ENCODER_BUNDLE_FORMAT,
  type BundleManifest,
  type BundleScorer,
} from '@gradeshift/core';
import type {
  CrossEncoderBundleScorer,
  EncoderBundleScorer,
  LoadedTransformerBundleScorer,
} from '@gradeshift/pipeline';

/** A loaded word-vector scorer bundle and how to release it (`loadBundleScorer`'s shape). */
export interface LoadedScorerBundle {
  readonly bundle: { readonly dir: string; readonly manifest: BundleManifest };
  readonly scorer: BundleScorer;
  dispose(): Promise<void>;
}

/**
 * A loaded bundle's scorer and how to release it: a word-vector scorer bundle, or an encoder or cross-encoder
 * bundle (`loadTransformerBundleScorer`'s shape, whose bundle carries its identity and size).
 */
export type LoadedScorer = LoadedScorerBundle | LoadedTransformerBundleScorer;

/** Loads a bundle folder (the port the server fills with `loadBundleScorer` or the scoring threads). */
export type LoadModel = (dir: string) => Promise<LoadedScorer>;

/** What a served model is, by the kind of its bundle. */
export type ServedBundle =
  | {
      /** A word-vector scorer bundle (model.onnx + manifest.json). */
      readonly kind: 'scorer';
      readonly manifest: BundleManifest;
      readonly scorer: BundleScorer;
    }
  | {
      /** An encoder bundle (encoder + tokenizer + head + rule + detectors, `gradeshift encoder`). */
      readonly kind: 'encoder';
      readonly manifest: EncoderBundleScorer['manifest'];
      readonly scorer: EncoderBundleScorer;
    }
  | {
      /** A cross-encoder bundle (model + tokenizer + logit mapping + rule + detectors, `--bundle-out`). */
      readonly kind: 'cross-encoder';
      readonly manifest: CrossEncoderBundleScorer['manifest'];
      readonly scorer: CrossEncoderBundleScorer;
    };

/** A model being served. */
export type ServedModel = ServedBundle & {
  readonly id: string;
  /** 1 at start-up, +1 per successful reload. */
  readonly version: number;
  readonly dir: string;
  /**
   * The bundle's identity: sha256 of model.onnx for a scorer bundle, of manifest.json (which lists every file's
   * sha256) for an encoder or cross-encoder bundle.
   */
  readonly sha256: string;
  /** Bytes of the model: model.onnx, or every file of an encoder or cross-encoder bundle. */
  readonly bytes: number;
  /** ISO 8601 time the bundle was loaded. */
  readonly loadedAt: string;
};

/** A model held by one request; release it exactly once. */
export interface ModelLease {
  readonly model: ServedModel;
  release(): void;
}

/** A model id that is not served; `known` lists those that are. */
export class UnknownModelError extends Error {
  readonly id: string;
  readonly known: readonly string[];

  constructor(id: string, known: readonly string[]) {
    super(`no model "${id}" is served (models: ${known.join(', ') || 'none'})`);
    this.name = 'UnknownModelError';
    this.id = id;
    this.known = known;
  }
}

interface Entry {
  readonly model: ServedModel;
  readonly loaded: LoadedScorer;
  leases: number;
  retired: boolean;
}

interface Slot {
  current: Entry;
  /** The tail of this id's reload queue. */
  queue: Promise<unknown>;
}

/** The registry. */
export interface ModelRegistry {
  /** The default model's id (the first added). */
  readonly defaultId: string | undefined;
  /** Loads a bundle under a new id. @throws whatever the loader throws; RangeError for a taken id */
  add(id: string, dir: string): Promise<ServedModel>;
  /** Leases a model (the default when `id` is undefined). @throws UnknownModelError */
  acquire(id?: string): ModelLease;
  /** Runs `fn` with a leased model and releases it afterwards. */
  use<T>(id: string | undefined, fn: (model: ServedModel) => Promise<T>): Promise<T>;
  /** Every served model, in the order added. */
  list(): ServedModel[];
  /** One served model. @throws UnknownModelError */
  get(id: string): ServedModel;
  /** Whether `id` is served. */
  has(id: string): boolean;
  /**
   * Loads `dir` (default: the model's current folder) and swaps it in when it loads; the old model keeps serving
   * requests that hold it and is disposed after them. @throws UnknownModelError; the loader's error (old model kept)
   */
  reload(id: string, dir?: string): Promise<ServedModel>;
  /** Leases held right now, over all models and versions (for health and tests). */
  activeLeases(): number;
  /**
   * Disposes every model once its leases are released, waiting at most `timeoutMs` for leases still held (a
   * model still leased then is left to the process's exit).
   */
  close(timeoutMs?: number): Promise<void>;
}

/** Whether a loaded bundle is an encoder or cross-encoder bundle (its bundle carries its identity). */
export function isTransformerBundleLoaded(
  loaded: LoadedScorer,
): loaded is LoadedTransformerBundleScorer {
  return 'sha256' in loaded.bundle;
}

/** The served bundle of a loaded encoder or cross-encoder bundle, its kind by its manifest's format. */
function servedTransformer(loaded: LoadedTransformerBundleScorer): ServedBundle {
  const { manifest, ...calls } = loaded.scorer;
  return manifest.format === CROSS_ENCODER_BUNDLE_FORMAT
    ? { kind: 'cross-encoder', manifest, scorer: { ...calls, manifest } }
    : { kind: 'encoder', manifest, scorer: { ...calls, manifest } };
}

/** The kind, identity and size of a loaded bundle. */
function servedOf(loaded: LoadedScorer): ServedBundle & { sha256: string; bytes: number } {
  if (isTransformerBundleLoaded(loaded)) {
    const { sha256, bytes } = loaded.bundle;
    return { ...servedTransformer(loaded), sha256, bytes };
  }
  const { manifest } = loaded.bundle;
  const { sha256, bytes } = manifest.model;
  return { kind: 'scorer', manifest, scorer: loaded.scorer, sha256, bytes };
}

/** Loads a bundle folder as the entry of model `id` at `version`. */
async function loadEntry(
  load: LoadModel,
  dir: string,
  { id, version }: { id: string; version: number },
): Promise<Entry> {
  const loaded = await load(dir);
  return {
    loaded,
    leases: 0,
    retired: false,
    model: {
      ...servedOf(loaded),
      id,
      version,
      dir: loaded.bundle.dir,
      loadedAt: new Date().toISOString(),
    },
  };
}

/**
 * Entries taken out of service: each is disposed as soon as it holds no lease; those still leased wait here.
 */
function createRetirement() {
  const waiting = new Set<Entry>();
  const disposals = new Set<Promise<void>>();
  const dispose = (entry: Entry): void => {
    waiting.delete(entry);
    // A retired model's release cannot fail a request, and an unhandled rejection would end the server.
    const done = entry.loaded
      .dispose()
      .catch(() => undefined)
      .finally(() => disposals.delete(done));
    disposals.add(done);
  };
  return {
    /** Takes an entry out of service. */
    retire(entry: Entry): void {
      entry.retired = true;
      if (entry.leases === 0) dispose(entry);
      else waiting.add(entry);
    },
    /** Called after a lease of `entry` is released. */
    released(entry: Entry): void {
      if (entry.retired && entry.leases === 0) dispose(entry);
    },
    /** Leases held on retired entries. */
    leases(): number {
      let n = 0;
      for (const entry of waiting) n += entry.leases;
      return n;
    },
    /** Waits for every disposal, and for leased entries until `deadline` (ms since the epoch). */
    async drain(deadline: number): Promise<void> {
      while (disposals.size > 0 || (waiting.size > 0 && Date.now() < deadline)) {
        if (disposals.size > 0) await Promise.all(disposals);
        else await new Promise((done) => setTimeout(done, 10));
      }
    },
  };
}

/** Leases `entry` until `release` is called (again: no effect); `onRelease` runs after the release. */
function leaseOf(entry: Entry, onRelease: (entry: Entry) => void): ModelLease {
  entry.leases += 1;
  let released = false;
  return {
    model: entry.model,
    release() {
      if (released) return;
      released = true;
      entry.leases -= 1;
      onRelease(entry);
    },
  };
}

/**
 * Creates an empty registry.
 * @param load - loads and checks a bundle folder
 * @returns the registry
 * @example const registry = createModelRegistry((dir) => loadBundleScorer(dir)); await registry.add('default', dir);
 */
export function createModelRegistry(load: LoadModel): ModelRegistry {
  const slots = new Map<string, Slot>();
  const retirement = createRetirement();
  let defaultId: string | undefined;

  const slotOf = (id: string): Slot => {
    const slot = slots.get(id);
    if (slot === undefined) throw new UnknownModelError(id, [...slots.keys()]);
    return slot;
  };

  const registry: ModelRegistry = {
    get defaultId() {
      return defaultId;
    },
    async add(id, dir) {
      if (slots.has(id)) throw new RangeError(`model id "${id}" is already served`);
      const entry = await loadEntry(load, dir, { id, version: 1 });
      if (slots.has(id)) {
        await entry.loaded.dispose();
        throw new RangeError(`model id "${id}" is already served`);
      }
      slots.set(id, { current: entry, queue: Promise.resolve() });
      defaultId ??= id;
      return entry.model;
    },
    acquire(id) {
      const wanted = id ?? defaultId;
      if (wanted === undefined) throw new UnknownModelError('(default)', []);
      return leaseOf(slotOf(wanted).current, (entry) => retirement.released(entry));
    },
    async use(id, fn) {
      const lease = registry.acquire(id);
      try {
        return await fn(lease.model);
      } finally {
        lease.release();
      }
    },
    list: () => [...slots.values()].map((slot) => slot.current.model),
    get: (id) => slotOf(id).current.model,
    has: (id) => slots.has(id),
    reload(id, dir) {
      const slot = slotOf(id);
      const next = slot.queue.then(async () => {
        const old = slot.current;
        const entry = await loadEntry(load, dir ?? old.model.dir, {
          id,
          version: old.model.version + 1,
        });
        slot.current = entry;
        retirement.retire(old);
        return entry.model;
      });
      slot.queue = next.catch(() => undefined);
      return next;
    },
    activeLeases() {
      let n = retirement.leases();
      for (const slot of slots.values()) n += slot.current.leases;
      return n;
    },
    async close(timeoutMs = Infinity) {
      const deadline = Date.now() + timeoutMs;
      await Promise.all([...slots.values()].map((slot) => slot.queue));
      for (const slot of slots.values()) retirement.retire(slot.current);
      slots.clear();
      await retirement.drain(deadline);
    },
  };
  return registry;
}
