// Lint the extension sources with the type-aware typescript-eslint rules.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '*.vsix', 'test-e2e/artifacts/**'] },
  js.configs.recommended,
  {
    files: ['src/**/*.ts'],
    extends: [...tseslint.configs.strictTypeChecked],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
    },
  },
  {
    files: ['**/*.mjs', 'test-e2e/**/*.js'],
    languageOptions: {
      sourceType: 'module',
      // Node scripts; drive.mjs also passes functions that run in the page (document).
      globals: { process: 'readonly', console: 'readonly', URL: 'readonly', document: 'readonly' },
    },
  },
);
