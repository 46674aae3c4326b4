/**
 * `@gradeshift/api`: types only, for clients (`createTRPCClient<AppRouter>`). The server starts from
 * `src/server.ts`; nothing here has a side effect.
 */
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';

import type { AppRouter } from './routers/index';

export type { AppRouter } from './routers/index';
/** Inputs of every procedure, e.g. `RouterInputs['score']`. */
export type RouterInputs = inferRouterInputs<AppRouter>;
/** Outputs of every procedure, e.g. `RouterOutputs['score']['items'][number]`. */
export type RouterOutputs = inferRouterOutputs<AppRouter>;
export type { LimitInfo, LimitName } from './limits';
export type { InputIssue } from './trpc';
