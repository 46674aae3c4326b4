import { base } from '@gradeshift/eslint-config/base';

// Benchmarks and scripts are numeric loops over typed arrays, like the kernels they measure.
export default [...base(import.meta.dirname, { numeric: ['bench/**/*.ts', 'scripts/**/*.ts'] })];
