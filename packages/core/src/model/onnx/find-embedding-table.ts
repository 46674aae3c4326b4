/**
 * Reads, from an ONNX model's bytes, how many rows the token-embedding table has, so a tokenizer whose ids run
 * past the table is refused before any run (onnxruntime would fail mid-batch with a Gather index error, or,
 * on some providers, read garbage), and how many positions the position-embedding table holds (the longest
 * sequence the model takes). A minimal protobuf walk over `ModelProto.graph` (field 7): the graph's
 * nodes (field 1: `input` 1, `op_type` 4) and initializers (field 5: `dims` 1, `name` 8); tensor contents
 * are skipped, never copied. The table is the data input of the `Gather` that reads `input_ids` directly,
 * else the initializer whose name contains `word_embeddings` (Hugging Face's BERT naming); the position table is
 * the initializer whose name contains `position_embeddings`.
 * @see https://github.com/onnx/onnx/blob/main/onnx/onnx.proto3
 * @see https://protobuf.dev/programming-guides/encoding/
 */
import { CoreError } from '../../errors';

/** A cursor over protobuf bytes. */
interface Cursor {
  readonly bytes: Uint8Array;
  pos: number;
  readonly end: number;
}

function malformed(what: string): never {
  throw new CoreError('MODEL_LOAD_FAILED', `the ONNX model is malformed: ${what}`);
}

/** An unsigned varint (up to 2^53, enough for sizes and dims). */
function varint(c: Cursor): number {
  let value = 0;
  let scale = 1;
  for (let i = 0; i < 10; i++) {
    if (c.pos >= c.end) malformed('a varint runs past the end');
    const byte = c.bytes[c.pos++] ?? 0;
    value += (byte & 0x7f) * scale;
    if ((byte & 0x80) === 0) return value;
    scale *= 128;
  }
  return malformed('a varint is longer than 10 bytes');
}

/** Visits each field of the message in `[c.pos, c.end)`; `field` gets a sub-cursor for length-delimited ones. */
function fields(
  c: Cursor,
  field: (no: number, wire: number, value: Cursor | number) => void,
): void {
  while (c.pos < c.end) {
    const tag = varint(c);
    const no = Math.floor(tag / 8);
    const wire = tag % 8;
    if (wire === 0) field(no, wire, varint(c));
    else if (wire === 2) {
      const length = varint(c);
      const end = c.pos + length;
      if (end > c.end) malformed(`field ${no} runs past the end of its message`);
      field(no, wire, { bytes: c.bytes, pos: c.pos, end });
      c.pos = end;
    } else if (wire === 1 || wire === 5) {
      c.pos += wire === 1 ? 8 : 4;
      if (c.pos > c.end) malformed(`field ${no} runs past the end of its message`);
    } else malformed(`unsupported wire type ${wire}`);
  }
}

/**
 * A name's bytes as one character each: exact for ASCII names (ONNX exporters write ASCII), and consistent for
 * others, since node inputs and initializer names are decoded alike (the neutral build has no TextDecoder).
 */
function textOf(c: Cursor): string {
  let text = '';
  for (let i = c.pos; i < c.end; i++) text += String.fromCharCode(c.bytes[i] ?? 0);
  return text;
}

/** An initializer's name and shape. */
function tensorShape(c: Cursor): { name: string; dims: number[] } {
  let name = '';
  const dims: number[] = [];
  fields(c, (no, _wire, value) => {
    if (no === 8 && typeof value !== 'number') name = textOf(value);
    else if (no === 1 && typeof value === 'number') dims.push(value);
    // Packed repeated int64 (proto3's default encoding).
    else if (no === 1 && typeof value !== 'number')
      while (value.pos < value.end) dims.push(varint(value));
  });
  return { name, dims };
}

/** A node's op type and inputs. */
function nodeOf(c: Cursor): { op: string; inputs: string[] } {
  let op = '';
  const inputs: string[] = [];
  fields(c, (no, _wire, value) => {
    if (typeof value === 'number') return;
    if (no === 1) inputs.push(textOf(value));
    else if (no === 4) op = textOf(value);
  });
  return { op, inputs };
}

/** The token-embedding table of a model: its initializer name and shape, or null when none is found. */
export interface OnnxEmbeddingTable {
  readonly name: string;
  readonly dims: readonly number[];
}

/** The embedding tables of a BERT-shaped model, each null when the graph does not show it. */
export interface OnnxEmbeddingTables {
  /** Token embeddings: `[vocabulary rows, hidden]`. */
  readonly token: OnnxEmbeddingTable | null;
  /** Position embeddings (`*position_embeddings*`): `[positions, hidden]`, the longest sequence the model takes. */
  readonly position: OnnxEmbeddingTable | null;
}

/**
 * Finds the token- and position-embedding tables of a BERT-shaped ONNX model (see the module comment).
 * @param model - the model's bytes (`.onnx`; external-data models work too: shapes live in the graph).
 * @param inputName - the token-id input. @default 'input_ids'
 * @returns each table's name and dims, or null when the graph has no such initializer
 * @throws CoreError `MODEL_LOAD_FAILED` for bytes that are not a protobuf message
 * @example const { token } = findEmbeddingTables(bytes); if (token && tokenizer.vocabSize > token.dims[0]) …
 */
export function findEmbeddingTables(
  model: Uint8Array,
  inputName = 'input_ids',
): OnnxEmbeddingTables {
  const initializers = new Map<string, number[]>();
  const gathers: string[] = [];
  fields({ bytes: model, pos: 0, end: model.length }, (no, _wire, graph) => {
    if (no !== 7 || typeof graph === 'number') return;
    fields(graph, (g, _w, value) => {
      if (typeof value === 'number') return;
      if (g === 5) {
        const t = tensorShape(value);
        initializers.set(t.name, t.dims);
      } else if (g === 1) {
        const node = nodeOf(value);
        if (node.op === 'Gather' && node.inputs[1] === inputName && node.inputs[0] !== undefined)
          gathers.push(node.inputs[0]);
      }
    });
  });
  const named = (part: string): OnnxEmbeddingTable | null => {
    for (const [name, dims] of initializers)
      if (name.includes(part) && dims.length === 2) return { name, dims };
    return null;
  };
  const gathered = gathers
    .map((name) => ({ name, dims: initializers.get(name) ?? [] }))
    .find((t) => t.dims.length === 2);
  return { token: gathered ?? named('word_embeddings'), position: named('position_embeddings') };
}

/**
 * Finds the token-embedding table of a BERT-shaped ONNX model ({@link findEmbeddingTables}' `token`).
 * @example const table = findEmbeddingTable(bytes); if (table && tokenizer.vocabSize > table.dims[0]) …
 */
export const findEmbeddingTable = (model: Uint8Array, inputName = 'input_ids') =>
  findEmbeddingTables(model, inputName).token;
