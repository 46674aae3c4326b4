/**
 * The content space: what a (query, item) pair is about (pooled word-vector directions) and how familiar its
 * words are to the ID training texts (surprisal), computed in the same forward pass as the grades.
 */
export { computeContentFeatures, contentDim, type ContentFeatures } from './content-features';
export { CONTENT_ONNX_OUTPUTS } from './content-graph';
export { buildPairWeightTable, buildSurprisalTable, tokenSurprisal } from './surprisal-table';
