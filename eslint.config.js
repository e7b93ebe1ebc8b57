import nx from '@nx/eslint-plugin';
import prettier from 'eslint-config-prettier';
import * as jsoncParser from 'jsonc-eslint-parser';

// Architecture rules (STYLE.md section 1): contracts libraries depend only on contracts libraries, the browser SDK only on contracts,
// libraries never on apps, and the testing kit only from specs and e2e suites.
const depConstraints = [
  // Contracts libraries build only on contracts libraries (the demo's event maps extend ioauth's); @ioauth/contracts
  // itself imports nothing, and nx refuses the cycle if it ever imported a library that builds on it.
  { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: ['type:contracts'] },
  { sourceTag: 'scope:client', onlyDependOnLibsWithTags: ['scope:shared', 'scope:client'] },
  { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
  { sourceTag: 'type:core', onlyDependOnLibsWithTags: ['type:contracts', 'type:core', 'type:testing'] },
  {
    sourceTag: 'type:data',
    onlyDependOnLibsWithTags: ['type:contracts', 'type:core', 'type:data', 'type:testing'],
  },
  {
    sourceTag: 'type:feature',
    onlyDependOnLibsWithTags: ['type:contracts', 'type:core', 'type:data', 'type:feature', 'type:testing'],
  },
  { sourceTag: 'type:sdk', onlyDependOnLibsWithTags: ['type:contracts'] },
  {
    sourceTag: 'type:testing',
    onlyDependOnLibsWithTags: [
      'type:contracts',
      'type:core',
      'type:data',
      'type:feature',
      'type:sdk',
      'type:testing',
    ],
  },
  // What reads the environment and starts an app: for apps only, so that no library reads process.env.
  {
    sourceTag: 'type:config',
    onlyDependOnLibsWithTags: ['type:contracts', 'type:core', 'type:data', 'type:feature'],
  },
  {
    sourceTag: 'type:app',
    onlyDependOnLibsWithTags: [
      'type:contracts',
      'type:core',
      'type:data',
      'type:feature',
      'type:sdk',
      'type:config',
    ],
  },
  {
    sourceTag: 'type:e2e',
    onlyDependOnLibsWithTags: ['type:contracts', 'type:core', 'type:testing', 'type:sdk', 'type:app'],
  },
];

/** For the testing kit itself and the e2e suites, which may import it anywhere. */
export const testingAllowed = { files: ['**/*.ts'], rules: { 'no-restricted-imports': 'off' } };

/**
 * Rules for browser-safe projects (contracts, the client SDK): no Node built-ins, whatever the tags say. Each such
 * project adds it in its own eslint.config.js, since ESLint resolves globs from the nearest config file.
 */
export const browserSafe = {
  files: ['**/*.ts'],
  ignores: ['**/*.spec.ts'],
  rules: {
    'no-restricted-imports': [
      'error',
      { patterns: [{ group: ['node:*'], message: 'Browser-safe code: no Node built-ins.' }] },
    ],
  },
};

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
    // The testing kit may be imported by specs and their helpers only (the tags above cannot tell them apart).
    files: ['**/*.ts'],
    ignores: ['**/*.spec.ts', '**/testing/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: '@ioauth/testing', message: 'The testing kit is for specs and e2e suites only.' },
            { name: '@ioauth/test-support', message: 'Test support is for specs and e2e suites only.' },
          ],
        },
      ],
    },
  },
  {
    // A published library's package.json lists what its shipped code imports, no more and no less (its specs and
    // test helpers are not shipped), so that it installs and runs outside this repository.
    files: ['**/package.json'],
    languageOptions: { parser: jsoncParser },
    rules: {
      '@nx/dependency-checks': [
        'error',
        {
          ignoredFiles: [
            '{projectRoot}/src/**/*.spec.ts',
            '{projectRoot}/src/testing/**',
            '{projectRoot}/*.ts',
          ],
          // Imported by the shipped declarations only (the packages' .d.ts extend passport-http and pg types).
          ignoredDependencies: ['@types/passport-http', '@types/pg'],
          checkObsoleteDependencies: true,
          checkVersionMismatches: true,
          includeTransitiveDependencies: false,
        },
      ],
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
