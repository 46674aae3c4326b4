/**
 * Saying "irrelevant" when it is (issue 12): the model's extra de-biasing step after stage 3. The modules:
 * `debias-settings` (settings chosen on ID validation), `debias-train` (negatives, LREF's DPO stage, temperature
 * scaling), `debias-checks` (random pairs, validation figures), `debias-operating-point` (the capped operating
 * point with a bootstrap margin) and `debias-ablation` (none / negatives / DPO / both).
 */
export * from './debias-settings';
export * from './debias-train';
export * from './debias-checks';
export * from './debias-operating-point';
export * from './debias-ablation';
