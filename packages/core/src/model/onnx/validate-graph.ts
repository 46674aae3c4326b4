/**
 * Structural checks run before encoding, so a mistake in a generated graph surfaces as a message that
 * names the node and value instead of a runtime's load error. ONNX graphs are SSA: every value is
 * produced once, and nodes are listed in topological order.
 * @see https://onnx.ai/onnx/repo-docs/IR.html#graphs
 */
import type { OnnxGraphSpec } from './onnx-types';

function nodeLabel(index: number, opType: string, name: string | undefined): string {
  return name === undefined || name === ''
    ? `node ${index} (${opType})`
    : `node ${index} "${name}" (${opType})`;
}

/**
 * Throws when a graph is not well formed: an empty or duplicated value name, a node reading a value
 * before it is produced, or a graph output that nothing produces.
 * @throws RangeError naming the offending node or value.
 */
export function validateOnnxGraph(graph: OnnxGraphSpec): void {
  const defined = new Set<string>();
  const define = (name: string, what: string): void => {
    if (name === '') throw new RangeError(`${what} must have a non-empty name`);
    if (defined.has(name))
      throw new RangeError(`${what} redefines value "${name}" (ONNX values are assigned once)`);
    defined.add(name);
  };
  // Since IR 4 an initializer may also be listed as a graph input (a default that callers can override).
  const initializerNames = new Set<string>();
  for (const [i, t] of (graph.initializers ?? []).entries()) {
    define(t.name, `initializer ${i}`);
    initializerNames.add(t.name);
  }
  for (const [i, v] of graph.inputs.entries()) {
    if (!initializerNames.has(v.name)) define(v.name, `graph input ${i}`);
  }
  for (const [i, node] of graph.nodes.entries()) {
    const label = nodeLabel(i, node.opType, node.name);
    if (node.opType === '') throw new RangeError(`node ${i} must have a non-empty opType`);
    for (const input of node.inputs) {
      // An empty name is ONNX's marker for an omitted optional input.
      if (input !== '' && !defined.has(input))
        throw new RangeError(`${label} reads "${input}" before it is produced`);
    }
    for (const output of node.outputs) {
      if (output !== '') define(output, label);
    }
  }
  for (const [i, v] of graph.outputs.entries()) {
    if (!defined.has(v.name))
      throw new RangeError(
        `graph output ${i} "${v.name}" is not produced by any node, input or initializer`,
      );
  }
}
