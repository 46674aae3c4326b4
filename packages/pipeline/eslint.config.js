import { base } from '@gradeshift/eslint-config/base';

export default [
  // The scoring thread's entry is a three-line JavaScript bootstrap outside the TypeScript project.
  { ignores: ['src/**/*.mjs'] },
  ...base(import.meta.dirname),
];
