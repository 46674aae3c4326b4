import { base } from '@gradeshift/eslint-config/base';

export default [
  // bin/gradeshift.js is a three-line JavaScript launcher outside the TypeScript project.
  { ignores: ['bin/**'] },
  ...base(import.meta.dirname),
];
