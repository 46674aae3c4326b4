/**
 * The Term Control gate and the gated query pooling, forward and backward. Each real query token gets a gate
 * g_i = σ(gateW·E_i + gateMatch·maxSim_i + gateBias) that mixes its dense vector with its term-match signal;
 * the query vector is the gate-weighted mean q = Σ g_i E_i / (Σ g_i + ε).
 * @see https://arxiv.org/abs/2410.18097 (RRADistill: a Term Control Layer injects term-matching signals into dense representations)
 * @internal
 */
import { sigmoid } from '../math/log-sum-exp';
import type { FrozenBatch } from './frozen';
import { dotFloat32 } from './token-vectors';
import { SCORER_CONSTANTS } from './types';

/** Gate parameters as plain values. @internal */
export interface TermGateParams {
  readonly gateW: Float64Array;
  readonly gateMatch: number;
  readonly gateBias: number;
}

/** Output of {@link termGateForward}, kept for {@link termGateBackward}. @internal */
export interface TermGateState {
  /** The scored pair indices into the frozen batch, B entries. */
  readonly rows: Int32Array;
  /** First entry of each scored pair's tokens in `gates`, B + 1 entries. */
  readonly gateStart: Int32Array;
  /** g_i of the real query tokens, pair by pair. */
  readonly gates: Float64Array;
  /** Z = Σ g_i + ε per pair. */
  readonly gateNorm: Float64Array;
  /** gMax = Σ g_i maxSim_i / Z per pair. */
  readonly gatedMatch: Float64Array;
}

/**
 * Gates and pools the query tokens of the scored pairs into `pooled` = [q; t] (2B·D): q in rows 0 … B−1, the
 * frozen item vector t copied into rows B … 2B−1.
 * @internal
 */
export function termGateForward(
  frozen: FrozenBatch,
  rows: Int32Array,
  gate: TermGateParams,
): TermGateState & { pooled: Float64Array } {
  const d = frozen.config.embeddingDim;
  const { tokenStart, tokenRow, tokenVectors, tokenMaxSim, itemPooled } = frozen;
  const { gateW, gateMatch, gateBias } = gate;
  const b = rows.length;
  const gateStart = new Int32Array(b + 1);
  for (let p = 0; p < b; p++) {
    const r = rows[p] ?? 0;
    gateStart[p + 1] = (gateStart[p] ?? 0) + (tokenStart[r + 1] ?? 0) - (tokenStart[r] ?? 0);
  }
  const gates = new Float64Array(gateStart[b] ?? 0);
  const gateNorm = new Float64Array(b);
  const gatedMatch = new Float64Array(b);
  const pooled = new Float64Array(2 * b * d);
  for (let p = 0; p < b; p++) {
    const r = rows[p] ?? 0;
    const first = tokenStart[r] ?? 0;
    const n = (tokenStart[r + 1] ?? 0) - first;
    const q = p * d;
    let z = 0;
    let gm = 0;
    for (let i = 0; i < n; i++) {
      const o = (tokenRow[first + i] ?? 0) * d;
      const sim = tokenMaxSim[first + i] ?? 0;
      let a = gateBias + gateMatch * sim;
      a += dotFloat32(gateW, tokenVectors, { aOffset: 0, bOffset: o, n: d });
      const g = sigmoid(a);
      gates[(gateStart[p] ?? 0) + i] = g;
      z += g;
      gm += g * sim;
      for (let c = 0; c < d; c++)
        pooled[q + c] = (pooled[q + c] ?? 0) + g * (tokenVectors[o + c] ?? 0);
    }
    // Σ g + ε: a pair without real query tokens pools to 0 instead of 0/0.
    z += SCORER_CONSTANTS.gateEpsilon;
    gateNorm[p] = z;
    gatedMatch[p] = gm / z;
    for (let c = 0; c < d; c++) pooled[q + c] = (pooled[q + c] ?? 0) / z;
    const t = (b + p) * d;
    for (let c = 0; c < d; c++) pooled[t + c] = itemPooled[r * d + c] ?? 0;
  }
  return { rows, gateStart, gates, gateNorm, gatedMatch, pooled };
}

/** Inputs of {@link termGateBackward}. @internal */
export interface TermGateGradInput {
  /** ∂L/∂q, B·D. */
  readonly dPooled: Float64Array;
  /** ∂L/∂gMax per pair, read at `dMatch[p * matchStride + matchOffset]`. */
  readonly dMatch: Float64Array;
  readonly matchStride: number;
  readonly matchOffset: number;
  /** [q; t] from the forward pass (rows 0 … B−1 are q). */
  readonly pooled: Float64Array;
}

/**
 * Gradients of the gate parameters: dg_i = (dq·(E_i − q) + dgMax·(maxSim_i − gMax)) / Z, da_i = dg_i·g_i(1 − g_i),
 * dgateW = Σ da_i E_i, dgateMatch = Σ da_i maxSim_i, dgateBias = Σ da_i.
 * @internal
 */
export function termGateBackward(
  frozen: FrozenBatch,
  state: TermGateState,
  input: TermGateGradInput,
): { gateW: Float64Array; gateMatch: number; gateBias: number } {
  const d = frozen.config.embeddingDim;
  const { tokenStart, tokenRow, tokenVectors, tokenMaxSim } = frozen;
  const { rows, gateStart, gates, gateNorm, gatedMatch } = state;
  const { dPooled: dq, dMatch, matchStride, matchOffset, pooled } = input;
  const gateW = new Float64Array(d);
  let gateMatch = 0;
  let gateBias = 0;
  for (let p = 0; p < rows.length; p++) {
    const r = rows[p] ?? 0;
    const first = tokenStart[r] ?? 0;
    const n = (tokenStart[r + 1] ?? 0) - first;
    const z = gateNorm[p] ?? 1;
    const dgMax = dMatch[p * matchStride + matchOffset] ?? 0;
    const gMax = gatedMatch[p] ?? 0;
    let dqDotQ = 0;
    for (let c = 0; c < d; c++) dqDotQ += (dq[p * d + c] ?? 0) * (pooled[p * d + c] ?? 0);
    for (let i = 0; i < n; i++) {
      const o = (tokenRow[first + i] ?? 0) * d;
      const dqDotE = dotFloat32(dq, tokenVectors, { aOffset: p * d, bOffset: o, n: d });
      const sim = tokenMaxSim[first + i] ?? 0;
      const g = gates[(gateStart[p] ?? 0) + i] ?? 0;
      // ∂q/∂g_i = (E_i − q)/Z and ∂gMax/∂g_i = (maxSim_i − gMax)/Z; σ'(a) = g(1 − g).
      const da = ((dqDotE - dqDotQ + dgMax * (sim - gMax)) / z) * g * (1 - g);
      gateBias += da;
      gateMatch += da * sim;
      for (let c = 0; c < d; c++) gateW[c] = (gateW[c] ?? 0) + da * (tokenVectors[o + c] ?? 0);
    }
  }
  return { gateW, gateMatch, gateBias };
}
