export { assertTemperature, energyScores } from './energy-score';
export {
  createEnergyDetector,
  ENERGY_STATE_VERSION,
  fitEnergy,
  type EnergyState,
  type FitEnergyOptions,
} from './energy-detector';
