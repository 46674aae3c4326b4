/**
 * Names of the scorer's trainable tensors and the subset that forms the classifier head.
 */

/** Names of the trainable tensors, in the order of `flattenTrainable`. */
export const TRAINABLE_PARAM_NAMES = [
  'gateW',
  'gateMatch',
  'gateBias',
  'P',
  'W1',
  'b1',
  'W2',
  'b2',
  'W3',
  'b3',
] as const;

/** A trainable tensor's name. */
export type TrainableParamName = (typeof TRAINABLE_PARAM_NAMES)[number];

/**
 * The classifier head, the only tensors trained in the linear-probing stage of LP-FT.
 * @see https://arxiv.org/abs/2202.10054 (Kumar et al. 2022, LP-FT)
 */
export const HEAD_PARAM_NAMES: readonly TrainableParamName[] = Object.freeze(['W3', 'b3']);
