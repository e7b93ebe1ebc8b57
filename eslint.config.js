import nx from '@nx/eslint-plugin';
import prettier from 'eslint-config-prettier';

// Architecture rules (STYLE.md section 1): contracts depends on nothing, the browser SDK only on contracts,
// libraries never on apps, and the testing kit only from specs and e2e suites.
const depConstraints = [
  { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: [] },
  { sourceTag: 'scope:client', onlyDependOnLibsWithTags: ['scope:shared', 'scope:client'] },
  { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
  { sourceTag: 'type:core', onlyDependOnLibsWithTags: ['type:contracts', 'type:core'] },
  { sourceTag: 'type:data', onlyDependOnLibsWithTags: ['type:contracts', 'type:core', 'type:data'] },
  {
    sourceTag: 'type:feature',
    onlyDependOnLibsWithTags: ['type:contracts', 'type:core', 'type:data', 'type:feature'],
  },
  { sourceTag: 'type:sdk', onlyDependOnLibsWithTags: ['type:contracts'] },
  {
    sourceTag: 'type:testing',
    onlyDependOnLibsWithTags: ['type:contracts', 'type:core', 'type:data', 'type:feature', 'type:sdk'],
  },
  {
    sourceTag: 'type:app',
    onlyDependOnLibsWithTags: ['type:contracts', 'type:core', 'type:data', 'type:feature'],
  },
  {
    sourceTag: 'type:e2e',
    onlyDependOnLibsWithTags: ['type:contracts', 'type:core', 'type:testing', 'type:sdk', 'type:app'],
  },
];

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  { ignores: ['**/dist', '**/node_modules', '**/coverage', '**/.nx', 'tmp', 'bench/results'] },
  {
    files: ['**/*.ts', '**/*.js', '**/*.cjs', '**/*.mjs'],
    // A project's own eslint.config.js extends the root one by relative path, as Nx intends.
    ignores: ['**/eslint.config.js'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          banTransitiveDependencies: true,
          depConstraints,
        },
      ],
    },
  },
  {
    files: ['libs/contracts/src/**/*.ts', 'libs/client/src/**/*.ts'],
    rules: {
      // Browser-safe code: no Node built-ins, whatever the tags say (STYLE.md section 1).
      'no-restricted-imports': ['error', { patterns: [{ group: ['node:*'], message: 'browser-safe code' }] }],
    },
  },
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  prettier,
];
