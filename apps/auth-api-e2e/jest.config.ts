export default {
  displayName: 'auth-api-e2e',
  preset: '../../jest.preset.cjs',
  rootDir: '.',
};
