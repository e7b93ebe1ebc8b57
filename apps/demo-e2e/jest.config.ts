export default {
  displayName: 'demo-e2e',
  preset: '../../jest.preset.cjs',
  rootDir: '.',
};
