// ESLint (flat config): rules that catch real defects, not style. Formatting and taste are left
// to review; each rule here guards a boundary of the design or a class of bug tsc lets through.
// TypeScript stays on 6.x for now: 7 (the native compiler) has no JavaScript API yet, and the
// type-aware rules below need one.
import vitest from '@vitest/eslint-plugin';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import { importX } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

/**
 * Import aliases (package.json `imports`) as a regex: in the `group` form a leading `#` would be
 * read as a gitignore comment and match nothing.
 */
const aliases = (...names) => `^#(${names.join('|')})/`;

const FUNCTIONS_BOUNDARY = 'Functions are bundled for Lambda: they import nothing from the CDK app, its drivers or the local cloud.';

export default tseslint.config(
  { ignores: ['node_modules/', 'cdk.out/', 'dist/', 'coverage/', '.local-cloud/'] },
  {
    files: ['**/*.ts'],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { '@typescript-eslint': tseslint.plugin, 'import-x': importX },
    settings: {
      // Without them import-x treats .ts modules as foreign and follows no import: no-cycle sees nothing.
      'import-x/extensions': importX.flatConfigs.typescript.settings['import-x/extensions'],
      'import-x/parsers': importX.flatConfigs.typescript.settings['import-x/parsers'],
      'import-x/resolver-next': [createTypeScriptImportResolver()],
    },
    rules: {
      // A promise nobody awaits loses its rejection: an unhandled error, or work that silently
      // never happened. Mark a deliberate fire-and-forget with `void`.
      '@typescript-eslint/no-floating-promises': 'error',
      // A promise where a boolean or a void callback is expected is always truthy / never awaited.
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      // Import cycles make initialisation order matter and modules impossible to read alone.
      'import-x/no-cycle': 'error',
    },
  },
  {
    files: ['local-cloud/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: aliases('shared', 'infra', 'local', 'test'),
              message: 'The local cloud is a generic emulator: it runs any synthesized template and imports nothing from the app (functions/, infra/). Pass what it needs through startLocalCloud options.',
            },
            {
              group: ['**/functions/**', '**/infra/**', 'aws-cdk-lib', 'aws-cdk-lib/*'],
              message: 'The local cloud is a generic emulator: it runs any synthesized template and imports nothing from the app (functions/, infra/). Pass what it needs through startLocalCloud options.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['functions/**/*.ts'],
    ignores: ['functions/shared/adapters/**', 'functions/shared/runtime/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@aws-sdk/*'],
              message: 'Domain code talks to ports (functions/shared/ports.ts); only adapters/ (and the runtime/ that builds them) import the AWS SDK.',
            },
            {
              regex: aliases('infra', 'local', 'cloud', 'test'),
              message: FUNCTIONS_BOUNDARY,
            },
            {
              group: ['aws-cdk-lib', 'aws-cdk-lib/*'],
              message: FUNCTIONS_BOUNDARY,
            },
          ],
        },
      ],
    },
  },
  {
    files: ['functions/shared/adapters/**/*.ts', 'functions/shared/runtime/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: aliases('infra', 'local', 'cloud', 'test'),
              message: FUNCTIONS_BOUNDARY,
            },
            {
              group: ['aws-cdk-lib', 'aws-cdk-lib/*'],
              message: FUNCTIONS_BOUNDARY,
            },
          ],
        },
      ],
    },
  },
  {
    files: ['test/**/*.ts'],
    plugins: { vitest },
    rules: {
      // A focused or skipped test left behind turns the rest of the suite off, or this test.
      'vitest/no-focused-tests': 'error',
      'vitest/no-disabled-tests': 'error',
    },
  },
);
