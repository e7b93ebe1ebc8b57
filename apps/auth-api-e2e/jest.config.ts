export default {
  displayName: 'auth-api-e2e',
  preset: '../../jest.preset.cjs',
  rootDir: '.',
  // Each suite boots real server processes; PGlite's first start and argon2 take a few seconds.
  testTimeout: 30_000,
};
