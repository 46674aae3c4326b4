import { base } from '@gradeshift/eslint-config/base';
import { platform } from '@gradeshift/eslint-config/platform';

export default [
  ...base(import.meta.dirname, { numeric: ['src/**/*.ts'] }),
  ...platform({ neutral: ['src/**/*.ts'] }),
];
