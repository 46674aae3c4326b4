import { base } from '@gradeshift/eslint-config/base';
import { platform } from '@gradeshift/eslint-config/platform';

export default [
  ...base(import.meta.dirname, { numeric: ['src/{math,grades,losses,metrics}/**/*.ts'] }),
  ...platform({ neutral: ['src/**/*.ts'], node: ['src/node/**/*.ts'], web: ['src/web/**/*.ts'] }),
];
