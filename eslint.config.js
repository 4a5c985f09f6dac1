import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['node_modules', 'out', 'dist', 'release', 'coverage', 'test/fixtures', 'examples'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
  {
    // shared/ runs in the renderer, the worker, main and the CLI: no Node or Electron imports.
    files: ['src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*', 'electron', 'fs', 'path', 'os', 'crypto', 'stream', 'child_process'],
              message: 'src/shared must stay free of Node and Electron.',
            },
            {
              group: [
                '../../engine/*',
                '../../sandbox/*',
                '../../cli/*',
                '../../main/*',
                '../../renderer/*',
                '../../web/*',
              ],
              message: 'src/shared imports nothing else from src/.',
            },
          ],
        },
      ],
    },
  },
  {
    // The sandbox is an independent second opinion on the API rules: it must not use the shared schema.
    files: ['src/sandbox/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/shared/**'], message: 'The sandbox implements the API rules on its own.' },
          ],
        },
      ],
    },
  },
);
