import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Files must be kebab-case (`log-sum-exp.ts`); a tiny local rule keeps us free of plugins that need newer Node. */
const filenameCase = {
  meta: {
    type: 'suggestion',
    schema: [],
    messages: { kebab: 'File name "{{name}}" must be kebab-case.' },
  },
  create(context) {
    return {
      Program(node) {
        const base = context.filename.split(/[\\/]/).pop() ?? '';
        const stem = base.replace(/(\.(test|spec|test-d|config|d))?\.[cm]?[jt]sx?$/, '');
        if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(stem) && !stem.startsWith('[')) {
          context.report({ node, messageId: 'kebab', data: { name: base } });
        }
      },
    };
  },
};

/**
 * Shared flat config: typescript-eslint type-aware rules plus the conventions' picks.
 * @param {string} tsconfigRootDir - the package folder (`import.meta.dirname`)
 * @param {{ numeric?: string[] }} [options] - `numeric`: globs of pure numeric-kernel folders
 */
export function base(tsconfigRootDir, { numeric = ['src/math/**/*.ts'] } = {}) {
  return tseslint.config(
    {
      ignores: [
        '**/node_modules/**',
        '**/dist/**',
        '**/.next/**',
        '**/.cache/**',
        '**/coverage/**',
        '*.config.*',
        'eslint.config.js',
      ],
    },
    js.configs.recommended,
    ...tseslint.configs.recommendedTypeChecked,
    ...tseslint.configs.stylisticTypeChecked,
    {
      languageOptions: { parserOptions: { projectService: true, tsconfigRootDir } },
      plugins: { local: { rules: { 'filename-case': filenameCase } } },
      rules: {
        'local/filename-case': 'error',
        '@typescript-eslint/no-floating-promises': 'error',
        '@typescript-eslint/no-misused-promises': 'error',
        '@typescript-eslint/switch-exhaustiveness-check': 'error',
        '@typescript-eslint/consistent-type-imports': [
          'error',
          { prefer: 'type-imports', fixStyle: 'separate-type-imports' },
        ],
        '@typescript-eslint/no-non-null-assertion': 'error',
        '@typescript-eslint/no-unused-vars': [
          'error',
          { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
        ],
        '@typescript-eslint/naming-convention': [
          'error',
          { selector: 'typeParameter', format: ['PascalCase'], prefix: ['T'] },
        ],
        '@typescript-eslint/prefer-for-of': 'off',
        'max-params': ['error', 3],
      },
    },
    {
      // Numeric kernels index typed arrays inside bounds their entry guard has proved (conventions §5).
      // The conventions name `math/**`; the same holds for the other pure numeric folders, so the
      // relaxation covers them too, and stays off in API, pipeline and UI code that reads record maps.
      files: numeric,
      rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
    },
    {
      files: ['**/*.test.ts', '**/*.spec.ts'],
      rules: {
        '@typescript-eslint/no-non-null-assertion': 'off',
        '@typescript-eslint/no-unsafe-assignment': 'off',
        '@typescript-eslint/no-unsafe-member-access': 'off',
        // Tests read JSON fixtures and reports whose shape the assertions themselves check.
        '@typescript-eslint/no-unsafe-argument': 'off',
        '@typescript-eslint/no-unsafe-return': 'off',
        '@typescript-eslint/no-unsafe-call': 'off',
        'max-params': 'off',
      },
    },
  );
}
