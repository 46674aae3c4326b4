/**
 * The one table mapping a `device` option to onnxruntime-node execution providers (the transformers.js
 * pattern). The npm package ships CPU binaries for every platform; GPU providers need separately
 * installed libraries, so they are added here only once a deployment provides them.
 * @see https://onnxruntime.ai/docs/execution-providers/
 */
import { CoreError } from '../errors';

/** Devices the node backend accepts, each with the execution providers tried in order. */
export const NODE_DEVICE_PROVIDERS = Object.freeze({
  cpu: Object.freeze(['cpu']),
});

/** A device name accepted by `createNodeBackend`. */
export type NodeDevice = keyof typeof NODE_DEVICE_PROVIDERS;

/**
 * Execution providers for `device`.
 * @throws CoreError `BACKEND_UNAVAILABLE` for a device outside {@link NODE_DEVICE_PROVIDERS}, listing the known ones.
 */
export function resolveExecutionProviders(device: string): readonly string[] {
  if (!Object.hasOwn(NODE_DEVICE_PROVIDERS, device)) {
    const known = Object.keys(NODE_DEVICE_PROVIDERS)
      .map((d) => `'${d}'`)
      .join(', ');
    throw new CoreError(
      'BACKEND_UNAVAILABLE',
      `onnxruntime-node: unknown device '${device}'; available devices: ${known}`,
    );
  }
  return NODE_DEVICE_PROVIDERS[device as NodeDevice];
}
