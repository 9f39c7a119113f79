// @ts-check
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', 'data/', 'bench/peers/', 'test-artifacts/'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['*.js', '*.mjs'] }, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      // Port methods are async so that a synchronous throw still reaches the caller as a rejection.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/event-store/adapters/esdb-event-store.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: '@eventstore/db-client',
              message: 'The EventStoreDB client lives only in src/event-store/adapters/esdb-event-store.ts.',
            },
          ],
        },
      ],
    },
  },
  {
    // The domain is pure (../shared/STYLE.md, beside this repository): no framework, no storage, no I/O, no clock.
    files: ['src/contracts/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@nestjs/*', '@eventstore/*', 'better-sqlite3', 'rxjs', 'fastify', 'node:*'],
              message: 'The domain is pure: decide and evolve take everything as data.',
            },
            {
              group: ['**/event-store/**', '**/application/**', '**/http/**', '**/config/**'],
              message: 'The domain depends on nothing outside it but src/shared.',
            },
          ],
        },
      ],
      'no-restricted-globals': ['error', { name: 'Date', message: 'No clock in the domain: dates come in with the command.' }],
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: 'No randomness in the domain: ids come in with the command.' },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable', __dirname: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      // HTTP bodies are untyped JSON and Jest's asymmetric matchers are typed
      // `any`: in tests the assertions check the shapes.
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
);
