import { base } from '@gradeshift/eslint-config/base';

export default [
  // onnxruntime-web's files, copied in by scripts/copy-ort.ts
  { ignores: ['public/**', 'next-env.d.ts'] },
  ...base(import.meta.dirname),
  {
    files: ['src/**/*.ts', 'src/**/*.tsx'],
    rules: {
      // The dashboard reads the API through its types only; data comes over HTTP (conventions §3), and the
      // Node runtime never reaches a browser bundle (conventions §4.2).
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: '@gradeshift/api',
              allowTypeImports: true,
              message: 'Import only types from @gradeshift/api; call it through the tRPC client.',
            },
          ],
          patterns: [
            {
              group: ['@gradeshift/core/node', 'onnxruntime-node', '@gradeshift/pipeline'],
              message:
                'The dashboard reads data through the API and scores in the browser with @gradeshift/core/web.',
            },
          ],
        },
      ],
    },
  },
];
