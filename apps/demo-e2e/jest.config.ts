export default {
  displayName: 'demo-e2e',
  preset: '../../jest.preset.cjs',
  rootDir: '.',
  // The suites run the compiled apps; this rebuilds those whose sources changed.
  globalSetup: '../../tools/jest/build-apps.setup.mjs',
};
