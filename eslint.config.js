import js from '@eslint/js';
import globals from 'globals';
import regexp from 'eslint-plugin-regexp';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'examples/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  // Regular expressions run on user-controlled text: none may backtrack super-linearly, nor be
  // retried from every position of a long run that then fails (ADR-016).
  { plugins: { regexp }, rules: { 'regexp/no-super-linear-backtracking': 'error', 'regexp/no-super-linear-move': 'error' } },
  {
    languageOptions: { globals: { ...globals.node }, ecmaVersion: 2024, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: '@actions/core', message: 'Only packages/core imports @actions/core.' },
            { name: '@actions/exec', message: 'Use exec() from @pipeline-toolkit/core (argv only, with deadlines).' },
          ],
          patterns: [
            { group: ['@kubernetes/client-node'], message: 'Only packages/k8s imports @kubernetes/client-node.' },
            { group: ['@aws-sdk/*', '@smithy/*'], message: 'Only packages/eks imports the AWS SDK.' },
            { group: ['@pipeline-toolkit/testing'], message: 'packages/testing is for tests only.' },
          ],
        },
      ],
    },
  },
  { files: ['packages/core/src/**'], rules: { 'no-restricted-imports': 'off' } },
  {
    files: ['packages/k8s/src/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: '@actions/core', message: 'Only packages/core imports @actions/core.' }] }],
    },
  },
  {
    files: ['packages/eks/src/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: '@actions/core', message: 'Only packages/core imports @actions/core.' }] }],
    },
  },
  { files: ['**/test/**', 'scripts/**', 'test/**'], rules: { 'no-restricted-imports': 'off' } },
);
