/**
 * A small accumulator for hand-built ONNX graphs: every node names its output, constants become named
 * initializers, and the shared axis tensors of opset-18 reductions are created once. Keeps the exported
 * scorer graph readable (one line per operation, a meaningful name per intermediate value).
 * @internal
 */
import { onnxNode, onnxTensor } from '../model/onnx/builders';
import type { OnnxAttributeValue, OnnxNodeSpec, OnnxTensorSpec } from '../model/onnx/onnx-types';

/** Inputs and output of one operation added with {@link GraphBuilder.op}. @internal */
export interface GraphOpIo {
  /** The value names read, in the operator's input order. */
  readonly inputs: readonly string[];
  /** The name of the single value produced. */
  readonly output: string;
}

/** Collects nodes and initializers in topological order. @internal */
export interface GraphBuilder {
  /** Adds one node and returns the name of its output. */
  op(
    opType: string,
    io: GraphOpIo,
    attributes?: Readonly<Record<string, OnnxAttributeValue>>,
  ): string;
  /** Adds one node with several outputs (e.g. `TopK`'s values and indices) and returns their names. */
  opOutputs(
    opType: string,
    io: { readonly inputs: readonly string[]; readonly outputs: readonly string[] },
    attributes?: Readonly<Record<string, OnnxAttributeValue>>,
  ): readonly string[];
  /** Adds a float32 initializer (values rounded to float32) and returns its name. */
  floats(name: string, values: ArrayLike<number>, dims: readonly number[]): string;
  /** A float32 scalar initializer. */
  scalar(name: string, value: number): string;
  /** An int64 initializer holding reduction / unsqueeze axes, shared by name (`axes_1`, `axes_2_3`). */
  axes(...axes: readonly number[]): string;
  /** Adds an initializer as it is (its name must be unique). */
  initializer(tensor: OnnxTensorSpec): string;
  readonly nodes: readonly OnnxNodeSpec[];
  readonly initializers: readonly OnnxTensorSpec[];
}

/**
 * Creates an empty {@link GraphBuilder}.
 * @internal
 */
export function createGraphBuilder(): GraphBuilder {
  const nodes: OnnxNodeSpec[] = [];
  const initializers: OnnxTensorSpec[] = [];
  const axisNames = new Set<string>();
  const initializer = (tensor: OnnxTensorSpec): string => {
    initializers.push(tensor);
    return tensor.name;
  };
  const floats = (name: string, values: ArrayLike<number>, dims: readonly number[]): string =>
    initializer(
      onnxTensor(name, values instanceof Float32Array ? values : Float32Array.from(values), dims),
    );
  return {
    nodes,
    initializers,
    initializer,
    floats,
    scalar: (name, value) => floats(name, [value], []),
    op(opType, io, attributes) {
      nodes.push(
        onnxNode(opType, { inputs: io.inputs, outputs: [io.output], name: io.output }, attributes),
      );
      return io.output;
    },
    opOutputs(opType, io, attributes) {
      const name = io.outputs[0] ?? opType;
      nodes.push(onnxNode(opType, { inputs: io.inputs, outputs: io.outputs, name }, attributes));
      return io.outputs;
    },
    axes(...axes) {
      const name = `axes_${axes.map((a) => (a < 0 ? `m${-a}` : String(a))).join('_')}`;
      if (!axisNames.has(name)) {
        axisNames.add(name);
        initializer(onnxTensor(name, BigInt64Array.from(axes, BigInt), [axes.length]));
      }
      return name;
    },
  };
}
