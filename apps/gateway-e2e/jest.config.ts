export default {
  displayName: 'gateway-e2e',
  preset: '../../jest.preset.cjs',
  rootDir: '.',
};
