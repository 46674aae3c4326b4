/**
 * The terms the views use, each explained in a sentence or two where it appears (`components/glossary.tsx`),
 * so an analyst does not need the methods document to read a number.
 */

/** The terms explained. */
export const GLOSSARY = {
  gap: 'ID − OOD: how much worse the model does on shifted traffic than on traffic like its training data. Positive is worse for accuracy, macro-F1 and NDCG@10; negative is worse for ECE, RMSE and over-recall (lower is better there).',
  'over-recall':
    'The share of truly irrelevant pairs the model grades as relevant (weak or strong): irrelevant items let through to the results page. Lower is better.',
  interval:
    'A 95% interval from resampling whole queries (query bootstrap): the range the metric would plausibly take on another sample of queries like these.',
  'p-value':
    'How often a difference at least this large would appear by chance if ID and OOD traffic were graded equally well (paired by query). Below 0.05 is conventionally called significant.',
  α: 'Stage 3 interpolates the weights of stage 1 (α = 0) and stage 2 (α = 1); α is chosen on validation data. α = 0 means stage 2 did not help and stage 1 was kept.',
  'fused percentile':
    "Each detector's score turned into its percentile among ID validation pairs, then averaged over detectors: 0.95 means the pair looks less typical than 95% of in-distribution pairs.",
  entropy:
    'The spread of the grade probabilities: 0 when the model is sure of one grade, log 3 ≈ 1.10 when all three are equally likely.',
  'decision rule':
    'How the three probabilities become one predicted grade, fitted on ID validation: grade offsets add a per-grade constant to the log-probabilities before taking the largest; ordinal thresholds cut the expected grade at two points, and may first decide irrelevant whenever the probability of irrelevant reaches a fitted level.',
  'score direction':
    'For every detector here a higher score means more out of distribution (MSP and max-logit are negated so that this holds). A pair is flagged when its score is above the threshold.',
  AUROC:
    'The chance that a random OOD test pair scores higher than a random ID test pair: 0.5 is a coin toss, 1 is perfect separation.',
  'calibrated threshold':
    'The score that keeps 95% of ID validation pairs unflagged: about 5% of in-distribution traffic is flagged by design.',
  ECE: 'Expected calibration error: the average gap between how confident the model is and how often it is right, over bins of confidence. 0 means a stated 70% is right 70% of the time.',
  'expected grade':
    'Σ grade × probability (0 = irrelevant, 1 = weak, 2 = strong); the error of a pair is |expected grade − true grade|.',
  percentile:
    "Where a pair's score falls among the ID test pairs' scores: 99% means higher than 99% of in-distribution test pairs.",
} as const;

/** A term of the glossary. */
export type Term = keyof typeof GLOSSARY;
