import { base } from '@gradeshift/eslint-config/base';

export default [
  // The scoring thread's entry is a three-line JavaScript bootstrap outside the TypeScript project.
  { ignores: ['src/**/*.mjs'] },
  ...base(import.meta.dirname),
  {
    // The API runs on Node only: the browser runtime entry has no place here (conventions §4.2).
    files: ['src/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@gradeshift/core/web', 'onnxruntime-web'],
              message: 'apps/api runs on Node: use @gradeshift/core/node.',
            },
          ],
        },
      ],
    },
  },
];
