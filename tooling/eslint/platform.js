/**
 * The platform gate (conventions §4.2): platform-neutral code may not reach for Node, the DOM or an ONNX runtime.
 * Applied by `packages/core` and `packages/ood`.
 */
const NODE_GLOBALS = [
  'process',
  'Buffer',
  '__dirname',
  '__filename',
  'require',
  'window',
  'document',
  'console',
];
const NODE_MODULES = [
  {
    group: ['node:*', 'fs', 'fs/*', 'path', 'os', 'child_process', 'url'],
    message: 'Node modules belong in src/node/** only.',
  },
];

/** @param {{ neutral: string[], node?: string[], web?: string[] }} globs */
export function platform({ neutral, node = [], web = [] }) {
  const blocks = [
    {
      files: neutral,
      ignores: [...node, ...web, '**/*.test.ts'],
      rules: {
        'no-restricted-globals': [
          'error',
          ...NODE_GLOBALS.map((name) => ({
            name,
            message: `${name} is not available in platform-neutral code; inject it.`,
          })),
        ],
        '@typescript-eslint/no-restricted-imports': [
          'error',
          {
            patterns: [
              ...NODE_MODULES,
              {
                group: ['onnxruntime-*'],
                message: 'ONNX runtimes are imported only by src/node/** and src/web/**.',
              },
              {
                group: ['@gradeshift/core/node', '@gradeshift/core/web'],
                message: 'Platform entries may not be imported from neutral code.',
              },
            ],
          },
        ],
      },
    },
    {
      files: node,
      rules: {
        '@typescript-eslint/no-restricted-imports': [
          'error',
          {
            patterns: [
              {
                group: ['onnxruntime-web'],
                message: 'onnxruntime-web belongs in src/web/** only.',
              },
            ],
          },
        ],
      },
    },
    {
      files: web,
      rules: {
        '@typescript-eslint/no-restricted-imports': [
          'error',
          {
            patterns: [
              ...NODE_MODULES,
              {
                group: ['onnxruntime-node'],
                message: 'onnxruntime-node belongs in src/node/** only.',
              },
            ],
          },
        ],
      },
    },
  ];
  // A package without platform entries (ood) passes no node/web globs; flat config rejects `files: []`.
  return blocks.filter((block) => block.files.length > 0);
}
