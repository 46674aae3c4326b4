/**
 * Browser side of tests/e2e/web-encoder.spec.ts: exposes `window.encoderHarness.run(request)`, which fetches a
 * `tokenizer.json` and an encoder or cross-encoder ONNX model from the test's server, builds the tokenizer from
 * the file's text (`tokenizerFromJson`), and tokenizes, embeds or scores with onnxruntime-web (WASM), all through
 * `@gradeshift/core/web`.
 */
import {
  createCrossEncoder,
  createTextEncoder,
  createWebBackend,
  tokenizerFromJson,
  type TextEncoderInput,
} from '@gradeshift/core/web';

/** One text (or pair) to tokenize at a given length. */
export interface TokenizeCase {
  readonly text: string;
  readonly pair?: string | undefined;
  readonly maxLength: number;
}

/** What the test asks the page to run. */
export interface EncoderRequest {
  readonly tokenizerUrl: string;
  readonly modelUrl: string;
  /** Texts to tokenize, each at its own length. */
  readonly cases: readonly TokenizeCase[];
  /** `embed`: a text encoder over `inputs`; `score`: a cross-encoder over `pairs`. */
  readonly embed?: { readonly inputs: readonly TextEncoderInput[]; readonly maxLength: number };
  readonly score?: {
    readonly pairs: readonly { readonly query: string; readonly item: string }[];
    readonly maxLength: number;
  };
}

/** What the page returns: plain arrays, so they cross `page.evaluate`. */
export interface EncoderResponse {
  readonly backend: string;
  readonly encodings: { ids: number[]; typeIds: number[]; attentionMask: number[] }[];
  readonly embeddings?: { dim: number; data: number[] };
  readonly scores?: { grades: number; logits: number[]; hidden: number[] | null };
}

declare global {
  interface Window {
    encoderHarness?: { run(request: EncoderRequest): Promise<EncoderResponse> };
  }
}

async function fetchOk(url: string): Promise<Response> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`GET ${url}: HTTP ${response.status}`);
  return response;
}

const backend = createWebBackend({ wasmPaths: `${location.origin}/ort/`, numThreads: 1 });

async function run(request: EncoderRequest): Promise<EncoderResponse> {
  const tokenizer = tokenizerFromJson(await (await fetchOk(request.tokenizerUrl)).text(), {
    source: request.tokenizerUrl,
  });
  const encodings = request.cases.map((c) => {
    const e = tokenizer.encode(c.text, { pair: c.pair, maxLength: c.maxLength });
    return { ids: [...e.ids], typeIds: [...e.typeIds], attentionMask: [...e.attentionMask] };
  });
  const bytes = new Uint8Array(await (await fetchOk(request.modelUrl)).arrayBuffer());
  const session = await backend.createSession(bytes);
  try {
    const { embed, score } = request;
    const embedded =
      embed === undefined
        ? undefined
        : await createTextEncoder(session, tokenizer, { maxLength: embed.maxLength }).embed(
            embed.inputs,
          );
    const scored =
      score === undefined
        ? undefined
        : await createCrossEncoder(session, tokenizer, { maxLength: score.maxLength }).score(
            score.pairs,
          );
    return {
      backend: backend.name,
      encodings,
      ...(embedded && { embeddings: { dim: embedded.dim, data: Array.from(embedded.data) } }),
      ...(scored && {
        scores: {
          grades: scored.grades,
          logits: Array.from(scored.logits),
          hidden: scored.hidden === null ? null : Array.from(scored.hidden.data),
        },
      }),
    };
  } finally {
    await session.dispose();
  }
}

window.encoderHarness = { run };
document.body.append(
  Object.assign(document.createElement('p'), { id: 'ready', textContent: 'ready' }),
);
