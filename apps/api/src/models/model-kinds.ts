/**
 * What the routers read of a served model whichever its bundle's kind (word-vector scorer bundle, encoder bundle
 * or cross-encoder bundle), and the narrowing of jobs to scorer bundles.
 */
import type { BundleOodScore } from '@gradeshift/core';
import { TRPCError } from '@trpc/server';

import type { ServedModel } from './model-registry';

/** A served word-vector scorer bundle: what evaluate and select jobs run with. */
export type ScorerModel = Extract<ServedModel, { kind: 'scorer' }>;

/** The model's grade names, lowest first. */
export function gradeNames(model: ServedModel): string[] {
  return model.kind === 'scorer'
    ? model.manifest.grades.map((g) => g.name)
    : [...model.manifest.grades];
}

/** The model's OOD scores by name (none for an encoder bundle written before it carried them). */
export function oodScoresOf(model: ServedModel): Readonly<Record<string, BundleOodScore>> {
  return model.manifest.ood ?? {};
}

/** How to evaluate a model of each kind jobs do not run with, and the kind with its article. */
const ELSEWHERE = {
  encoder: { what: 'an encoder bundle', evaluate: 'evaluate the encoder with gradeshift encoder' },
  'cross-encoder': {
    what: 'a cross-encoder bundle',
    evaluate: 'evaluate the cross-encoder with gradeshift evaluate --cross-encoder',
  },
} as const;

/**
 * The model as a scorer bundle, for a job that needs one.
 * @param model - a leased model
 * @param job - the job's name, for the message
 * @throws TRPCError BAD_REQUEST for an encoder or cross-encoder bundle, saying what to do instead
 */
export function asScorerModel(model: ServedModel, job: string): ScorerModel {
  if (model.kind === 'scorer') return model;
  const { what, evaluate } = ELSEWHERE[model.kind];
  throw new TRPCError({
    code: 'BAD_REQUEST',
    message: `model ${model.id} is ${what}: ${job} jobs run with a word-vector scorer bundle (name one in "model", or ${evaluate}); ${what} serves score, rank and rerank`,
  });
}
