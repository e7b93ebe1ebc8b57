export default {
  displayName: 'enterprise-app-e2e',
  preset: '../../jest.preset.cjs',
  rootDir: '.',
};
