export default {
  displayName: 'observability',
  preset: '../../jest.preset.cjs',
  rootDir: '.',
};
