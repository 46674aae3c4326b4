/**
 * What the server and a job thread exchange: the job's data (kind, request, settings, and for evaluate and select
 * the leased model) and the thread's messages (progress, the result, or the failure), plus the thread's model
 * loading.
 */
import type { JobProgress } from '../jobs/job-runner';
import {
  isTransformerBundleLoaded,
  type LoadedScorerBundle,
  type ServedModel,
} from '../models/model-registry';
import type { EvaluateRequest } from './evaluate-work';
import type { LabelsRequest } from './labels-work';
import { nodeModelLoader, type NodeModelSettings } from './load-node-model';
import type { SelectRequest } from './select-work';

/** Settings a job thread needs. */
export interface JobThreadSettings extends NodeModelSettings {
  readonly runsDir: string;
  readonly runStorePath: string;
  readonly maxFilePairs: number;
}

/** The data of a job thread that scores with a model (evaluate, select). */
export type ModelJobThreadData = {
  /** The leased model, without its scorer (the thread loads its own). */
  readonly model: Pick<ServedModel, 'id' | 'version' | 'dir' | 'loadedAt' | 'sha256' | 'bytes'>;
  readonly settings: JobThreadSettings;
} & (
  | { readonly kind: 'evaluate'; readonly request: EvaluateRequest }
  | { readonly kind: 'select'; readonly request: SelectRequest }
);

/** The data a job thread starts with: a model job, or a labels job (which trains from its run folder, no model). */
export type JobThreadData =
  | ModelJobThreadData
  | {
      readonly kind: 'labels';
      readonly request: LabelsRequest;
      readonly settings: JobThreadSettings;
    };

/** A job thread's message to the server. */
export type JobThreadMessage =
  | { readonly type: 'progress'; readonly progress: JobProgress }
  | { readonly type: 'done'; readonly result: unknown }
  | { readonly type: 'failed'; readonly name: string; readonly message: string };

/**
 * Loads the job's model in the thread and checks it is the bundle the job was accepted on.
 * @throws Error when the folder now holds another bundle (a reload replaced it)
 */
export async function loadNodeModelForJob(
  data: ModelJobThreadData,
): Promise<{ loaded: LoadedScorerBundle; dispose: () => Promise<void> }> {
  const loader = nodeModelLoader(data.settings);
  const loaded = await loader.load(data.model.dir);
  // A job is accepted on a scorer bundle only (asScorerModel): an (cross-)encoder bundle here is another bundle too.
  if (
    isTransformerBundleLoaded(loaded) ||
    loaded.bundle.manifest.model.sha256 !== data.model.sha256
  ) {
    await loaded.dispose();
    await loader.dispose();
    throw new Error(
      `model ${data.model.id}: its folder now holds another bundle than the one the job was accepted on; submit the job again`,
    );
  }
  return { loaded, dispose: loader.dispose };
}
