/**
 * The rerank-compatible endpoints, mounted beside `/trpc/` by the HTTP handler:
 *
 * - `POST /v2/rerank`, Cohere v2: `{model, query, documents, top_n}` → `{id, results: [{index, relevance_score}],
 *   meta}`;
 * - `POST /v1/rerank`, Jina and Cohere v1 (one request shape): as v2 plus `return_documents` (default true) →
 *   results with `document: {text}`;
 * - `POST /rerank`, Hugging Face TEI: `{query, texts, raw_scores, return_text, truncate}` → `[{index, score, text}]`.
 *
 * Results are best first. `relevance_score` (TEI: `score`) is the expected grade normalised to [0, 1] (TEI with
 * `raw_scores`: the expected grade itself, 0 … K − 1). Each result's `gradeshift` field carries the grade
 * probabilities, decided grade and every OOD score with its flag; the response's `gradeshift` field (TEI: the
 * `x-gradeshift-model` header) names the model, grades and thresholds. Limits, model choice and errors are those
 * of `score` / `rank`, each error in the vendor's shape (vendor-errors.ts).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

import { TRPCError } from '@trpc/server';

import type { ApiServices } from '../services';
import { readJsonBody } from './read-json-body';
import { rerankDocuments, type RerankHit, type RerankResult } from './rerank-documents';
import { cohereV2Request, teiRequest, truncateText, v1Request } from './rerank-requests';
import { rerankErrorOf, sendVendorError, type Vendor } from './vendor-errors';

/** Serves one rerank call; resolves when the response is written. */
type Endpoint = (body: unknown, res: ServerResponse, requestId: string) => Promise<unknown>;

/** Answers a request when its path is a rerank endpoint; returns false (nothing written) otherwise. */
export type RerankRoutes = (
  req: IncomingMessage,
  res: ServerResponse,
  requestId: string,
) => boolean;

function sendJson(res: ServerResponse, body: unknown): void {
  const text = JSON.stringify(body);
  res.statusCode = 200;
  res.setHeader('content-type', 'application/json');
  res.setHeader('content-length', Buffer.byteLength(text));
  res.end(text);
}

function cohereResult(hit: RerankHit, withDocument: boolean) {
  return {
    index: hit.index,
    relevance_score: hit.relevanceScore,
    ...(withDocument ? { document: { text: hit.text } } : {}),
    gradeshift: hit.gradeshift,
  };
}

function cohereBody(
  result: RerankResult,
  id: string,
  options: { version: string; withDocs: boolean },
) {
  const { version, withDocs } = options;
  return {
    id,
    model: result.gradeshift.model.id,
    results: result.hits.map((hit) => cohereResult(hit, withDocs)),
    meta: { api_version: { version }, billed_units: { search_units: 1 } },
    gradeshift: result.gradeshift,
  };
}

/**
 * Creates the endpoints over the server's services.
 * @param services - registry, limits (config) and logger
 */
export function createRerankRoutes(services: ApiServices): RerankRoutes {
  const { registry, config } = services;
  const { limits } = config;
  const v2 = cohereV2Request(limits);
  const v1 = v1Request(limits);
  const tei = teiRequest(limits);

  const endpoints: Record<string, { vendor: Vendor; serve: Endpoint }> = {
    '/v2/rerank': {
      vendor: 'cohere',
      serve: async (body, res, requestId) => {
        const input = v2.parse(body);
        const request = { ...input, topN: input.top_n };
        const result = await rerankDocuments(registry, limits, request);
        sendJson(res, cohereBody(result, requestId, { version: '2', withDocs: false }));
      },
    },
    '/v1/rerank': {
      vendor: 'jina',
      serve: async (body, res, requestId) => {
        const input = v1.parse(body);
        const request = { ...input, topN: input.top_n };
        const result = await rerankDocuments(registry, limits, request);
        sendJson(
          res,
          cohereBody(result, requestId, { version: '1', withDocs: input.return_documents }),
        );
      },
    },
    '/rerank': {
      vendor: 'tei',
      serve: async (body, res) => {
        const input = tei.parse(body);
        const cut = (text: string) =>
          input.truncate
            ? truncateText(text, limits.maxTextChars, input.truncation_direction)
            : text;
        const request = {
          query: cut(input.query),
          documents: input.texts.map(cut),
          field: 'texts',
        };
        const result = await rerankDocuments(registry, limits, request);
        const { model } = result.gradeshift;
        res.setHeader('x-gradeshift-model', `${model.id}@${model.version}`);
        sendJson(
          res,
          result.hits.map((hit) => ({
            index: hit.index,
            score: input.raw_scores ? hit.gradeshift.expected : hit.relevanceScore,
            ...(input.return_text ? { text: hit.text } : {}),
            gradeshift: hit.gradeshift,
          })),
        );
      },
    },
  };

  return (req, res, requestId) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const endpoint = endpoints[path];
    if (endpoint === undefined) return false;
    const log = services.logger.child({ requestId });
    const fail = (error: unknown) =>
      sendVendorError(res, endpoint.vendor, { ...rerankErrorOf(error, log), requestId });
    if (req.method !== 'POST') {
      res.setHeader('allow', 'POST');
      fail(
        new TRPCError({
          code: 'METHOD_NOT_SUPPORTED',
          message: `${path} takes POST with a JSON body`,
        }),
      );
      return true;
    }
    readJsonBody(req, limits.maxBodyBytes)
      .then((body) => endpoint.serve(body, res, requestId))
      .catch((error: unknown) => {
        if (res.headersSent) return;
        // An unread body would be parsed as the next request on this connection.
        if (!req.readableEnded) res.setHeader('connection', 'close');
        fail(error);
      });
    return true;
  };
}
