// ESLint flat config for the whole monorepo. typescript-eslint's recommended rules without type
// information, so `npm run lint` stays fast; `tsc` does the type checking.
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  globalIgnores([
    '**/dist/**',
    '**/node_modules/**',
    '.tools/**',
    '.flightdeck/**',
    'client/dist/**',
    '**/coverage/**',
    'perf/results/**',
  ]),
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      'no-console': 'off',
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
        },
      ],
    },
  },
  {
    // Everything but the console's browser code runs in Node.
    ignores: ['client/src/**'],
    languageOptions: { globals: globals.node },
  },
  {
    // CommonJS: .cjs anywhere, and .js in every package but the client (only it has "type": "module").
    files: ['**/*.cjs', '**/*.js'],
    ignores: ['client/**'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // The console runs in browsers, not in Node.
    files: ['client/src/**'],
    languageOptions: { globals: globals.browser },
  },
  {
    // Services throw domain errors (backend/src/domain-errors.ts) and never reach up into HTTP: only
    // the REST edge itself, the role composition roots and the entry points may import from api/.
    // Helpers REST and the gateway share live in backend/src/edge/.
    files: ['backend/src/**/*.ts'],
    ignores: ['backend/src/api/**', 'backend/src/roles/**', 'backend/src/main.ts', 'backend/src/flightdeck.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(\\./|(\\.\\./)+)api(/|$)',
              message:
                'Services do not import api/: throw a domain error from domain-errors.ts (the edge maps it to a status); shared edge helpers live in edge/.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.test.ts', '**/test/**/*.ts'],
    languageOptions: { globals: { ...globals.node, ...globals.jest } },
  },
);
