/** Post-hoc calibration of grade probabilities. */
export {
  fitTemperature,
  temperatureNll,
  type FitTemperatureOptions,
  type TemperatureFit,
} from './temperature';
