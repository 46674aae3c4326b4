export {
  createMspDetector,
  fitMsp,
  mspScores,
  MSP_STATE_VERSION,
  type FitMspOptions,
  type MspState,
} from './msp';
export {
  createMaxLogitDetector,
  fitMaxLogit,
  maxLogitScores,
  MAX_LOGIT_STATE_VERSION,
  type FitMaxLogitOptions,
  type MaxLogitState,
} from './max-logit';
