import { base } from '@gradeshift/eslint-config/base';
import { platform } from '@gradeshift/eslint-config/platform';

export default [
  // Worker-thread fixtures: plain JavaScript entries that register tsx, as pipeline's and the API's thread boots.
  { ignores: ['src/**/*.mjs'] },
  ...base(import.meta.dirname, { numeric: ['src/{math,grades,losses,metrics}/**/*.ts'] }),
  ...platform({ neutral: ['src/**/*.ts'], node: ['src/node/**/*.ts'], web: ['src/web/**/*.ts'] }),
];
